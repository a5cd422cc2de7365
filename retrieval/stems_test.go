package retrieval

import (
	"context"
	"sync"
	"testing"

	"github.com/faqbot/faqbot/corpus"
	"github.com/kljensen/snowball/english"
)

// The memo gives Snowball's stem for every word, known or not, and
// searches, however many at once, only read it.
func TestStemMemo(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	ix := faqIndexWithQuestions(t, c)
	if len(ix.stems.stems) < 1000 {
		t.Fatalf("the FAQ's index remembers %d stems; it should know its words", len(ix.stems.stems))
	}
	for w, s := range ix.stems.stems {
		if want := english.Stem(w, true); s != want {
			t.Errorf("memo stems %q as %q, Snowball as %q", w, s, want)
		}
	}
	for _, w := range []string{"the", "extension", "extensions", "verlängerung", "zzzunseen", "a", ""} {
		if got, want := ix.stems.stem(w), english.Stem(w, true); got != want {
			t.Errorf("stem(%q) = %q, Snowball says %q", w, got, want)
		}
	}
	var nilMemo *stemMemo
	if got := nilMemo.stem("journeys"); got != english.Stem("journeys", true) {
		t.Errorf("a nil memo stems %q as %q", "journeys", got)
	}

	known := len(ix.stems.stems)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, q := range []string{"zzzunseen words nowhere in the faq", "Can I request an extension?", "qwertyuiop asdfghjkl"} {
				if _, err := ix.Search(context.Background(), Query{Text: q}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if len(ix.stems.stems) != known {
		t.Errorf("searches grew the memo from %d to %d stems; it must stay read-only", known, len(ix.stems.stems))
	}
}
