package bot

import (
	"context"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/retrieval"
)

// The signals answerability reads from the cached facts of the best
// section are the ones AnswerSignals computes afresh.
func TestCachedFactsGiveTheSignals(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	doc, answered, unanswered := corpus.DefaultQuestions()
	qs, err := retrieval.ParseShippedQuestions(doc, answered, unanswered)
	if err != nil {
		t.Fatal(err)
	}
	store := retrieval.NewStore(retrieval.NewLocalEmbedder(0), retrieval.StoreOptions{Questions: qs})
	if _, err := store.Load(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	b, err := New(store, Options{})
	if err != nil {
		t.Fatal(err)
	}
	questions := []string{"How many contacts does real-time journeys support?", "how many days' notice do we get", "What does it cost?"}
	for _, path := range questionFiles[:4] {
		for i, q := range readQuestions(t, path) {
			if i%4 == 0 {
				questions = append(questions, q)
			}
		}
	}
	for _, q := range questions {
		r, err := b.Retrieve(context.Background(), Question{Text: q}, retrieval.Fused)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Ranking.Results) == 0 {
			continue
		}
		got := answerSignals(r, b.units.factsFor(r.Ranking.Version, r.Ranking.Results[0].Section))
		if want := AnswerSignals(r); !slices.Equal(got, want) {
			t.Errorf("%q: signals from cached facts %v, afresh %v", q, got, want)
		}
	}
}

// referenceAnswerNearTerms is answerNearTerms as first written, stemming
// each word of the unit on every call.
func referenceAnswerNearTerms(text string, q question) bool {
	const span = 5
	starts := wordStarts(text)
	var at []int
	for i, s := range starts {
		end := len(text)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		for _, t := range retrieval.Terms(text[s:end]) {
			if q.terms[t] {
				at = append(at, i)
			}
		}
	}
	for _, sp := range retrieval.Spans(text, q.types) {
		from, to := wordAt(starts, sp[0]), wordAt(starts, max(sp[0], sp[1]-1))
		for _, p := range at {
			if p >= from-span && p <= to+span {
				return true
			}
		}
	}
	return false
}

func TestAnswerNearTermsFromCachedWords(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	questions := []string{"when is outbound removed", "how many contacts can we have", "what does it cost per contact",
		"how long do we have after the removal date", "when will the data be deleted", "how many interactions per month"}
	near := 0
	for _, s := range c.Sections() {
		for _, text := range units(s.Text) {
			u := newQuotable(text)
			for _, qt := range questions {
				q := readQuestion(qt, retrieval.TypeOf(qt), retrieval.Terms)
				got, want := answerNearTerms(u, q), referenceAnswerNearTerms(text, q)
				if got != want {
					t.Errorf("%q in %.50q: %v, first version %v", qt, text, got, want)
				}
				if want {
					near++
				}
			}
		}
	}
	if near == 0 {
		t.Error("no unit had an answer near a question's terms: the check says nothing")
	}
}

// Answers from two corpus versions at once each get their version's units
// and facts.
func TestUnitCacheAcrossVersions(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	secs := c.Sections()[:6]
	facts, counts := make([]sectionFacts, len(secs)), make([]int, len(secs))
	for i, s := range secs {
		facts[i], counts[i] = factsOf(s), len(units(s.Text))
	}
	var cache unitCache
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 24 {
				// Mostly one version, now and then the other, as during a
				// refresh.
				v := "v1"
				if (g+i)%8 == 0 {
					v = "v2"
				}
				j := i % len(secs)
				if f := cache.factsFor(v, secs[j]); !reflect.DeepEqual(f, facts[j]) {
					t.Errorf("facts of %s differ from the section's", secs[j].Anchor)
				}
				if us := cache.of(v, secs[j]); len(us) != counts[j] {
					t.Errorf("%s: %d units cached, %d in the section", secs[j].Anchor, len(us), counts[j])
				}
			}
		}()
	}
	wg.Wait()
}
