package retrieval

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/faqbot/faqbot/corpus"
)

// countingEmbedder wraps the local embedder and counts the texts it embeds.
type countingEmbedder struct {
	*LocalEmbedder
	texts atomic.Int64
	fail  error
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if c.fail != nil {
		return nil, c.fail
	}
	c.texts.Add(int64(len(texts)))
	return c.LocalEmbedder.Embed(ctx, texts)
}

func loadShared(t *testing.T, date string) *corpus.Corpus {
	t.Helper()
	p := filepath.Join("../../shared/corpus/versions", "transition-faqs@"+date+".md")
	c, err := corpus.Loader{}.Load(context.Background(), p)
	if err != nil {
		t.Skipf("shared FAQ versions not available (%v)", err)
	}
	return c
}

func TestCacheEmbedsOnlyNewPassages(t *testing.T) {
	old, new := loadShared(t, "2025-06-04"), loadShared(t, "2025-08-18")
	path := filepath.Join(t.TempDir(), "embeddings", "local.gob")
	emb := &countingEmbedder{LocalEmbedder: NewLocalEmbedder(64)}

	cache, err := OpenCache(path)
	if err != nil {
		t.Fatal(err)
	}
	store := NewStore(emb, StoreOptions{Cache: cache})
	if _, err := store.Load(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	st := cache.Stats()
	if st.Hits != 0 || st.Misses != int64(len(old.Passages())) || emb.texts.Load() != st.Misses {
		t.Fatalf("cold build: %+v, embedded %d, passages %d", st, emb.texts.Load(), len(old.Passages()))
	}

	// A restart reads the cache file: nothing is embedded again.
	cache, err = OpenCache(path)
	if err != nil {
		t.Fatal(err)
	}
	emb.texts.Store(0)
	store = NewStore(emb, StoreOptions{Cache: cache})
	if _, err := store.Load(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	if st := cache.Stats(); st.Misses != 0 || st.Hits != int64(len(old.Passages())) || emb.texts.Load() != 0 {
		t.Fatalf("warm restart: %+v, embedded %d", st, emb.texts.Load())
	}

	// A refresh to the next version embeds only passages whose text changed.
	changes, err := store.Load(context.Background(), new)
	if err != nil {
		t.Fatal(err)
	}
	unchanged := 0
	seen := map[string]bool{}
	for _, p := range old.Passages() {
		seen[embedText(p)] = true
	}
	for _, p := range new.Passages() {
		if seen[embedText(p)] {
			unchanged++
		}
	}
	embedded := emb.texts.Load()
	if embedded == 0 || embedded != int64(len(new.Passages())-unchanged) {
		t.Errorf("refresh embedded %d texts, want %d (new passages %d, unchanged %d)", embedded, len(new.Passages())-unchanged, len(new.Passages()), unchanged)
	}
	if changes.Empty() || changes.OldVersion != old.Version || changes.NewVersion != new.Version {
		t.Errorf("changes = %s", changes.Summary())
	}
}

func TestStoreManifestReportsChangesAcrossRestarts(t *testing.T) {
	old, new := loadShared(t, "2024-08-09"), loadShared(t, "2025-06-04")
	manifest := filepath.Join(t.TempDir(), "index.json")
	s := NewStore(NewLocalEmbedder(64), StoreOptions{ManifestPath: manifest})
	if _, err := s.Load(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	restarted := NewStore(NewLocalEmbedder(64), StoreOptions{ManifestPath: manifest})
	changes, err := restarted.Load(context.Background(), new)
	if err != nil {
		t.Fatal(err)
	}
	if changes.OldVersion != old.Version || len(changes.Added) == 0 || len(changes.Removed) == 0 {
		t.Errorf("changes after restart = %s", changes)
	}
}

func TestStoreSwapIsAtomicUnderQueries(t *testing.T) {
	a, b := loadShared(t, "2024-08-09"), loadShared(t, "2026-05-18")
	s := NewStore(NewLocalEmbedder(128), StoreOptions{})
	if _, err := s.Search(context.Background(), Query{Text: "x"}); !errors.Is(err, ErrNotReady) {
		t.Fatalf("search before load: err = %v, want ErrNotReady", err)
	}
	if _, err := s.Load(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	versions := map[string]*corpus.Corpus{a.Version: a, b.Version: b}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var checked atomic.Int64
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				r, err := s.Search(ctx, Query{Text: "can I request an extension for outbound marketing", K: 5})
				if err != nil {
					if ctx.Err() == nil {
						t.Error(err)
					}
					return
				}
				c, ok := versions[r.Version]
				if !ok {
					t.Errorf("search saw unknown version %q", r.Version)
					return
				}
				// Every section in a ranking belongs to the version it reports.
				for _, res := range r.Results {
					if sec, ok := c.Section(res.Section.Document, res.Section.Anchor); !ok || sec != res.Section {
						t.Errorf("version %s ranking holds a section of another version: %s", r.Version, res.Section.Anchor)
						return
					}
				}
				checked.Add(1)
			}
		}()
	}
	for i := 0; i < 10; i++ {
		next := b
		if i%2 == 1 {
			next = a
		}
		if _, err := s.Load(context.Background(), next); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	wg.Wait()
	if checked.Load() == 0 {
		t.Fatal("no queries ran during the swaps")
	}
}

func TestFailedRebuildKeepsServing(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	s := NewStore(NewLocalEmbedder(64), StoreOptions{})
	if _, err := s.Load(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Load(ctx, loadShared(t, "2024-08-09")); err == nil {
		t.Fatal("a cancelled rebuild succeeded")
	}
	if s.Current().Version() != c.Version {
		t.Errorf("serving %s after a failed rebuild, want %s", s.Current().Version(), c.Version)
	}
}

func TestEmbedderFailureDegradesToLexical(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	emb := &countingEmbedder{LocalEmbedder: NewLocalEmbedder(64), fail: errors.New("embeddings API down")}
	var logs bytes.Buffer
	s := NewStore(emb, StoreOptions{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if _, err := s.Load(context.Background(), c); err != nil {
		t.Fatalf("a failing embedder must not stop the index: %v", err)
	}
	if s.Current().DenseErr() == nil {
		t.Error("DenseErr is nil for an index built without vectors")
	}
	if !strings.Contains(logs.String(), "index is lexical-only") || !strings.Contains(logs.String(), "embeddings API down") {
		t.Errorf("the degraded index is not logged:\n%s", logs.String())
	}
	r, err := s.Search(context.Background(), Query{Text: "Can I request an extension?"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Degraded == nil || len(r.Results) == 0 || r.Results[0].Section.Anchor != "i-cant-transition-by-the-outbound-marketing-removal-date-can-i-request-an-extension" {
		t.Errorf("lexical-only search: degraded %v, results %d", r.Degraded, len(r.Results))
	}
}
