package llm

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot/llm/llmtest"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/retrieval"
)

// copyDir copies the pages of dir into a new temporary folder.
func copyDir(t *testing.T, dir string) string {
	t.Helper()
	out := t.TempDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// questionStore is a store as faqbot wires it with a model: the shipped
// questions first, then the model's, cached in the file at path.
func questionStore(t *testing.T, srv *llmtest.Server, path string) *retrieval.Store {
	t.Helper()
	doc, answered, unanswered := corpus.DefaultQuestions()
	shipped, err := retrieval.ParseShippedQuestions(doc, answered, unanswered)
	if err != nil {
		t.Fatal(err)
	}
	cache, err := retrieval.OpenQuestionCache(path)
	if err != nil {
		t.Fatal(err)
	}
	w := newQuestionWriter(srv, QuestionOptions{Cache: cache})
	return retrieval.NewStore(retrieval.NewLocalEmbedder(0), retrieval.StoreOptions{Questions: retrieval.ChainQuestions(shipped, w)})
}

func TestRefreshAsksOnlyAboutChangedSections(t *testing.T) {
	srv := llmtest.NewServer(t, plausible)
	dir := copyDir(t, filepath.Join("testdata", "questions"))
	cachePath := filepath.Join(t.TempDir(), "questions.json")
	store := questionStore(t, srv, cachePath)
	ctx := context.Background()
	load := func(s *retrieval.Store) (newCalls []string) {
		t.Helper()
		before := len(srv.ChatCalls())
		if _, err := s.Load(ctx, loadCorpus(t, dir)); err != nil {
			t.Fatal(err)
		}
		for _, c := range srv.ChatCalls()[before:] {
			newCalls = append(newCalls, headingOf(c.Chat))
		}
		return newCalls
	}

	if got := load(store); len(got) != 5 {
		t.Fatalf("first index: %d model calls, want one per section (5)", len(got))
	}
	if got := load(store); len(got) != 0 {
		t.Errorf("refresh of the same corpus asked about %v", got)
	}

	edit(t, filepath.Join(dir, "loyalty.md"), "expire after 12 months", "expire after 24 months")
	if got := load(store); len(got) != 1 || got[0] != "Expire points" {
		t.Errorf("refresh after one section changed asked about %v, want [Expire points]", got)
	}

	// A restart reads the cache file: the same corpus costs no call, and
	// one changed section one call.
	store = questionStore(t, srv, cachePath)
	if got := load(store); len(got) != 0 {
		t.Errorf("after a restart: asked about %v", got)
	}
	edit(t, filepath.Join(dir, "vouchers.md"), "valid for 30 days", "valid for 60 days")
	if got := load(store); len(got) != 1 || got[0] != "Issue vouchers" {
		t.Errorf("after a restart, refresh after one section changed asked about %v, want [Issue vouchers]", got)
	}
	reopened, err := retrieval.OpenQuestionCache(cachePath)
	if err != nil {
		t.Fatal(err)
	}
	// The sections' current texts and the two old ones, kept for a month
	// in case they come back.
	if reopened.Len() != 7 {
		t.Errorf("cache file holds %d entries, want 7", reopened.Len())
	}
}

// edit replaces old with new in the file at path.
func edit(t *testing.T, path, old, new string) {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(text), old, new, 1)
	if changed == string(text) {
		t.Fatalf("%s lacks %q", path, old)
	}
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestEmbeddedFAQCostsNoModelCall(t *testing.T) {
	srv := llmtest.NewServer(t, plausible)
	store := questionStore(t, srv, filepath.Join(t.TempDir(), "questions.json"))
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Load(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.ChatCalls()); n != 0 {
		t.Errorf("%d model calls for the embedded FAQ, whose questions are shipped", n)
	}
}
