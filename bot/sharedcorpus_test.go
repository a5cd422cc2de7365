package bot

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/corpus"
)

// memShared is SharedCorpus in memory, for the refresher's decisions; the
// store's tests and the replica tests of cmd/faqbot run the real one.
type memShared struct {
	mu       sync.Mutex
	revs     []CorpusRevision
	failNext error
	watchers []func()
}

func (m *memShared) PublishCorpus(_ context.Context, rev CorpusRevision) (CorpusRevision, bool, error) {
	m.mu.Lock()
	if err := m.failNext; err != nil {
		m.failNext = nil
		m.mu.Unlock()
		return CorpusRevision{}, false, err
	}
	if n := len(m.revs); n > 0 && m.revs[n-1].Version == rev.Version {
		m.mu.Unlock()
		return m.revs[n-1], false, nil
	}
	rev.Revision = int64(len(m.revs) + 1)
	m.revs = append(m.revs, rev)
	watchers := m.watchers
	m.mu.Unlock()
	for _, w := range watchers {
		w()
	}
	return rev, true, nil
}

func (m *memShared) LatestCorpus(context.Context) (CorpusRevision, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.revs) == 0 {
		return CorpusRevision{}, ErrNotFound
	}
	return m.revs[len(m.revs)-1], nil
}

func (m *memShared) CorpusRevision(_ context.Context, n int64) (CorpusRevision, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n < 1 || int(n) > len(m.revs) {
		return CorpusRevision{}, ErrNotFound
	}
	return m.revs[n-1], nil
}

func (m *memShared) WatchCorpus(ctx context.Context, changed func()) {
	m.mu.Lock()
	m.watchers = append(m.watchers, changed)
	m.mu.Unlock()
	<-ctx.Done()
}

// swapIndex is an IndexLoader that only swaps.
type swapIndex struct {
	mu  sync.Mutex
	cur *corpus.Corpus
}

func (x *swapIndex) Load(_ context.Context, c *corpus.Corpus) (corpus.Changes, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	var ch corpus.Changes
	if x.cur != nil {
		ch = corpus.Diff(x.cur, c)
	}
	x.cur = c
	return ch, nil
}

func (x *swapIndex) current() *corpus.Corpus {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.cur
}

// newReplica is one replica of faqbot over shared, configured with source.
func newReplica(shared SharedCorpus, source, name string, clock func() time.Time) (*SharedRefresher, *swapIndex) {
	ix := &swapIndex{}
	return &SharedRefresher{
		Local:   &IndexRefresher{Corpus: corpus.Loader{}, Index: ix, Source: source},
		Index:   ix,
		Current: ix.current,
		Parser:  corpus.Loader{},
		Shared:  shared,
		Replica: name,
		Clock:   clock,
	}, ix
}

func faqFile(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "transition-faqs.md")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// faqFileUnder writes text as transition-faqs.md in a new folder under the
// configured corpus's folder: refreshes may read only from there.
func faqFileUnder(t *testing.T, configured, text string) string {
	t.Helper()
	dir, err := os.MkdirTemp(filepath.Dir(configured), "next")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "transition-faqs.md")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	faqV1 = "# FAQ\n\n## When is outbound removed?\n\nOutbound marketing is removed on June 30, 2025.\n"
	faqV2 = "# FAQ\n\n## When is outbound removed?\n\nOutbound marketing is removed on June 30, 2025.\n\n## Can I get more time?\n\nNo extensions are granted.\n"
)

func TestSharedRefresherKeepsReplicasOnOneCorpus(t *testing.T) {
	ctx := context.Background()
	shared := &memShared{}
	srcA := faqFile(t, faqV1)
	a, ixA := newReplica(shared, srcA, "a", nil)
	if _, err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	v1 := ixA.current().Version
	if st := a.Status(); st.Loaded != 1 || st.Latest != 1 {
		t.Fatalf("first replica: %+v, want revision 1 shared and loaded", st)
	}

	// B is configured with another FAQ, but the shared one wins.
	b, ixB := newReplica(shared, faqFile(t, faqV2), "b", nil)
	if _, err := b.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ixB.current().Version; got != v1 {
		t.Fatalf("a later replica serves %s, want the shared %s", got, v1)
	}

	// A refresh on B reaches A through the notification.
	fctx, stop := context.WithCancel(ctx)
	defer stop()
	followed := make(chan struct{})
	go func() { a.Follow(fctx); close(followed) }()
	waitFor(t, func() bool { shared.mu.Lock(); defer shared.mu.Unlock(); return len(shared.watchers) == 1 })
	changes, err := b.Refresh(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	v2 := ixB.current().Version
	if v2 == v1 || len(changes.Added) != 1 {
		t.Fatalf("refresh: version %s (was %s), changes %+v", v2, v1, changes)
	}
	waitFor(t, func() bool { return ixA.current().Version == v2 })
	if st := a.Status(); st.Loaded != 2 || st.Lagging {
		t.Errorf("A after the refresh: %+v", st)
	}
	// Refreshing to the same content shares nothing new.
	if _, err := a.Refresh(ctx, faqFileUnder(t, srcA, faqV2)); err != nil {
		t.Fatal(err)
	}
	if n := len(shared.revs); n != 2 {
		t.Errorf("%d revisions after a refresh that changed nothing, want 2", n)
	}
	stop()
	<-followed
}

func TestSharedRefresherGoesBackWhenItCannotShare(t *testing.T) {
	ctx := context.Background()
	shared := &memShared{}
	src := faqFile(t, faqV1)
	a, ix := newReplica(shared, src, "a", nil)
	if _, err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	v1 := ix.current().Version
	shared.failNext = errors.New("connection refused")
	if _, err := a.Refresh(ctx, faqFileUnder(t, src, faqV2)); err == nil {
		t.Fatal("a refresh that could not be shared succeeded")
	}
	if got := ix.current().Version; got != v1 {
		t.Errorf("serving %s after a refresh the others never saw, want %s", got, v1)
	}
	if st := a.Status(); st.Loaded != 1 || st.Latest != 1 {
		t.Errorf("status %+v", st)
	}
}

func TestSharedRefresherReportsLagPastTheGrace(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }

	shared := &memShared{}
	src := faqFile(t, faqV1)
	a, _ := newReplica(shared, src, "a", clock)
	if _, err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// Another replica shares a page this one cannot parse (a newer
	// faqbot's, say): it keeps serving what it has, and says so.
	bad := corpus.Snapshot{Source: "x.md", Pages: []corpus.Page{{Name: "x.md", File: "x.md", Data: []byte("no sections")}}}
	if _, _, err := shared.PublishCorpus(ctx, CorpusRevision{Version: "bad", Snapshot: bad}); err != nil {
		t.Fatal(err)
	}
	a.CatchUp(ctx)
	st := a.Status()
	if st.Loaded != 1 || st.Latest != 2 || st.Lagging {
		t.Fatalf("just behind: %+v", st)
	}
	advance(DefaultCorpusLagGrace + time.Second)
	if st := a.Status(); !st.Lagging || st.Behind <= DefaultCorpusLagGrace {
		t.Fatalf("past the grace: %+v", st)
	}
	// A good revision after it brings the replica back.
	if _, err := a.Refresh(ctx, faqFileUnder(t, src, faqV2)); err != nil {
		t.Fatal(err)
	}
	if st := a.Status(); st.Lagging || st.Loaded != 3 {
		t.Errorf("after a good revision: %+v", st)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
