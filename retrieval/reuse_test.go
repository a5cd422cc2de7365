package retrieval

import (
	"context"
	"math/rand/v2"
	"reflect"
	"sort"
	"sync"
	"testing"

	"github.com/faqbot/faqbot/corpus"
)

// faqIndexWithQuestions is the embedded FAQ indexed as faqbot serves it:
// with the questions its sections answer and the near misses.
func faqIndexWithQuestions(t testing.TB, c *corpus.Corpus) *Index {
	t.Helper()
	doc, answered, unanswered := corpus.DefaultQuestions()
	shipped, err := ParseShippedQuestions(doc, answered, unanswered)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := shipped.Questions(context.Background(), c.Sections())
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Build(context.Background(), c, BuildOptions{Embedder: NewLocalEmbedder(0), Questions: qs})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// Searches reuse work space (candidate slots, the pools' per-question
// arrays, the lexical scores): a search must find exactly what it finds
// on a fresh index, whatever ran before it or beside it.
func TestSearchesLeaveNothingBehind(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	questions := []string{
		"Can I request an extension for outbound marketing?",
		"what happens to marketing lists after removal",
		"How many contacts does real-time journeys support?",
		"What is the capital of France?",
		"Können wir die Abschaltung von outbound um ein paar Monate verschieben?",
		"Can I requets an extenshun?",
	}
	search := func(ix *Index, q string, mode Mode) Ranking {
		r, err := ix.Search(context.Background(), Query{Text: q, K: 10, Mode: mode})
		if err != nil {
			t.Error(err)
		}
		return r
	}
	modes := []Mode{Fused, LexicalOnly, DenseOnly}
	// Each question first, on an index of its own, is the reference.
	want := map[string][]Ranking{}
	for _, q := range questions {
		ix := faqIndexWithQuestions(t, c)
		for _, m := range modes {
			want[q] = append(want[q], search(ix, q, m))
		}
	}
	ix := faqIndexWithQuestions(t, c)
	check := func(q string, i int, got Ranking) {
		if !reflect.DeepEqual(got, want[q][i]) {
			t.Errorf("%s %q after other searches: %+v, alone: %+v", modes[i], q, got.Results, want[q][i].Results)
		}
	}
	for range 2 {
		for _, q := range questions {
			for i, m := range modes {
				check(q, i, search(ix, q, m))
			}
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 7))
			for range 50 {
				q := questions[r.IntN(len(questions))]
				i := r.IntN(len(modes))
				check(q, i, search(ix, q, modes[i]))
			}
		}()
	}
	wg.Wait()
}

func TestTopSharesKeepsTheLargestInOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		var top topShares
		var all []float64
		for range r.IntN(12) {
			x := float64(r.IntN(6)) / 5
			top.add(x)
			all = append(all, x)
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(all)))
		want := all[:min(len(all), voteNeighbours)]
		if got := top.values(); !reflect.DeepEqual(append([]float64{}, got...), append([]float64{}, want...)) {
			t.Fatalf("after %v: %v, want %v", all, got, want)
		}
	}
}
