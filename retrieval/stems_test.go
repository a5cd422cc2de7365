package retrieval

import (
	"context"
	"slices"
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

// A ranking's Terms are the package's Terms, found with the index's stems.
func TestRankingTermsAreTerms(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	ix := faqIndexWithQuestions(t, c)
	rank, err := ix.Search(context.Background(), Query{Text: "Can I request an extension?"})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"", "Can I request an extension?", "what's RTJ vs OBM, e-mail & CI-J?", "zzzunseen wörter überall", "the a an of",
		"Outbound marketing will be removed on June 30, 2025."}
	texts = append(texts, tsvQuestions(t, "../eval/testdata/holdout.tsv")...)
	for _, s := range c.Sections() {
		texts = append(texts, s.Title, s.Plain)
	}
	for _, text := range texts {
		if got, want := rank.Terms(text), Terms(text); !slices.Equal(got, want) {
			t.Errorf("Ranking.Terms(%.40q) = %q, Terms %q", text, got, want)
		}
	}
	if got, want := (Ranking{}).Terms("Requests for extensions"), Terms("Requests for extensions"); !slices.Equal(got, want) {
		t.Errorf("a ranking of no index: Terms = %q, want %q", got, want)
	}
}
