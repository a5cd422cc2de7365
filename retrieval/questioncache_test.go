package retrieval

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// clock is a settable time for a cache's last-used days.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func openAt(t *testing.T, path string, c *clock) *QuestionCache {
	t.Helper()
	qc, err := OpenQuestionCache(path)
	if err != nil {
		t.Fatal(err)
	}
	qc.now = c.now
	return qc
}

func TestQuestionCachePersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "questions.json")
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	c := openAt(t, path, clk)
	a := CachedQuestions{Answered: []string{"how do I move segments?"}, Unanswered: []string{"can I move segments back?"}}
	c.Put("a", a)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c = openAt(t, path, clk)
	if got, ok := c.Get("a"); !ok || !reflect.DeepEqual(got, a) {
		t.Fatalf("a = %+v, %v after reopening", got, ok)
	}
}

func TestQuestionCacheDropsWhatNoRunUsedForAMonth(t *testing.T) {
	path := filepath.Join(t.TempDir(), "questions.json")
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	c := openAt(t, path, clk)
	for _, k := range []string{"index", "serve", "old"} {
		c.Put(k, CachedQuestions{Answered: []string{k + "?"}})
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}

	// Weeks later one process (faqbot index on another corpus) uses
	// "index", another (the server) "serve"; nothing uses "old".
	clk.t = clk.t.Add(20 * 24 * time.Hour)
	for _, k := range []string{"index", "serve"} {
		c := openAt(t, path, clk)
		if _, ok := c.Get(k); !ok {
			t.Fatalf("%s missing", k)
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
	}
	clk.t = clk.t.Add(15 * 24 * time.Hour)
	c = openAt(t, path, clk)
	c.Put("new", CachedQuestions{Answered: []string{"new?"}})
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c = openAt(t, path, clk)
	for k, want := range map[string]bool{"index": true, "serve": true, "new": true, "old": false} {
		if _, ok := c.Get(k); ok != want {
			t.Errorf("%s cached %v, want %v", k, ok, want)
		}
	}
}

func TestQuestionCacheRefusesACorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "questions.json")
	if err := os.WriteFile(path, []byte(`{"version":1,"sections":{"a":`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := OpenQuestionCache(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "delete it") {
		t.Errorf("err = %v, want one naming the file and what to do", err)
	}
}
