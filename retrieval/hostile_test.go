package retrieval

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/internal/heaptest"
)

// One long word used to cost the square of its length (every one-letter
// deletion for typo correction): a 4,000-letter word allocated tens of
// megabytes and a 30,000-letter one gigabytes. Words longer than any
// indexed word cannot be one edit away from it, so they are not corrected.
func TestLongWordsCostLinearWork(t *testing.T) {
	ix := faqIndex(t)
	ctx := context.Background()
	for _, n := range []int{40, 4000, 30000} {
		word := strings.Repeat("a", n)
		q := "what happens to my segments " + word
		var res Ranking
		var err error
		bytes := heaptest.Allocated(func() { res, err = ix.Search(ctx, Query{Text: q, K: 3}) })
		if err != nil {
			t.Fatal(err)
		}
		// Linear: the word itself a few times over, plus a normal search.
		if limit := uint64(2<<20 + 40*n); bytes > limit {
			t.Errorf("%d-letter word: search allocated %d bytes, want under %d", n, bytes, limit)
		}
		if len(res.Results) == 0 {
			t.Errorf("%d-letter word: the rest of the question found nothing", n)
		}
	}
	if got := ix.lex.corrections(strings.Repeat("x", maxFuzzyRunes+1)); got != nil {
		t.Errorf("corrections of an over-long word = %v, want none", got)
	}
}

func TestSearchStopsWhenItsContextEnds(t *testing.T) {
	ix := faqIndex(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ix.Search(ctx, Query{Text: "what happens to my segments"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Search on a cancelled context: err = %v, want context.Canceled", err)
	}
}

// BenchmarkSearchLongWord shows the cost of a question holding one long
// word growing linearly with its length.
func BenchmarkSearchLongWord(b *testing.B) {
	ix := faqIndex(b)
	for _, n := range []int{1000, 2000, 4000, 8000} {
		q := "what happens to my segments " + strings.Repeat("a", n)
		b.Run(fmt.Sprintf("letters=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ix.Search(context.Background(), Query{Text: q, K: 3}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
