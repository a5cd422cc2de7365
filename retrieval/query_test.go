package retrieval

import (
	"context"
	"testing"

	"github.com/faqbot/faqbot/corpus"
)

const (
	extensionAnchor = "i-cant-transition-by-the-outbound-marketing-removal-date-can-i-request-an-extension"
	tablesAnchor    = "what-will-happen-to-outbound-tables-and-data-when-outbound-marketing-is-removed"
	startAnchor     = "how-do-i-start-with-real-time-journeys"
	scaleAnchor     = "whats-the-new-scale-of-real-time-journeys-and-how-does-it-compare-to-the-previous-level"
)

func faqIndex(t testing.TB) *Index {
	t.Helper()
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Build(context.Background(), c, BuildOptions{Embedder: NewLocalEmbedder(0)})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// These questions are written for this test, in wordings the FAQ does not
// use: typos, abbreviations, synonyms.
func TestSearchFindsSectionDespiteWording(t *testing.T) {
	ix := faqIndex(t)
	tests := []struct {
		q    string
		want string
	}{
		{"Can I requets an extenshun?", extensionAnchor},
		{"OBM removal: is an extension possible", extensionAnchor},
		{"Can the deadline be postponed for us?", extensionAnchor},
		{"what happens to the asset library", tablesAnchor},
		{"are marketing lits deleted?", tablesAnchor},
		{"can RTJ and OBM run side by side", startAnchor},
		{"what was the previous limit on contacts", scaleAnchor},
	}
	for _, tt := range tests {
		for _, mode := range []Mode{Fused, LexicalOnly} {
			r, err := ix.Search(context.Background(), Query{Text: tt.q, K: 3, Mode: mode})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Results) == 0 || r.Results[0].Section.Anchor != tt.want {
				var got []string
				for _, res := range r.Results {
					got = append(got, res.Section.Anchor)
				}
				t.Errorf("%s %q: got %v, want %s first", mode, tt.q, got, tt.want)
			}
		}
	}
}

func TestSearchAggregatesPassagesToSections(t *testing.T) {
	ix := faqIndex(t)
	r, err := ix.Search(context.Background(), Query{Text: "outbound segments events analytics marketing lists interaction data", K: 10})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, res := range r.Results {
		if seen[res.Section.Anchor] {
			t.Errorf("section %s appears twice", res.Section.Anchor)
		}
		seen[res.Section.Anchor] = true
		if i > 0 && res.Score > r.Results[i-1].Score {
			t.Errorf("results out of order at %d", i)
		}
		for _, h := range res.Passages {
			if h.Passage.Section != res.Section {
				t.Errorf("passage %s listed under %s", h.Passage.ID, res.Section.Anchor)
			}
		}
	}
	if r.Results[0].Section.Anchor != tablesAnchor || len(r.Results[0].Passages) < 3 {
		t.Errorf("top = %s with %d passages", r.Results[0].Section.Anchor, len(r.Results[0].Passages))
	}
}

func TestConfidenceSeparatesOffTopic(t *testing.T) {
	ix := faqIndex(t)
	conf := func(q string) float64 {
		r, err := ix.Search(context.Background(), Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Results) == 0 {
			return 0
		}
		return r.Results[0].Confidence
	}
	on := []string{"Are marketing lists deleted when outbound is removed?", "How many contacts can real-time journeys reach?"}
	off := []string{"How do I bake sourdough bread?", "Which GPU is best for gaming?", "What time is it in Tokyo?"}
	for _, o := range on {
		for _, f := range off {
			if conf(o) <= conf(f) {
				t.Errorf("confidence(%q)=%.2f <= confidence(%q)=%.2f", o, conf(o), f, conf(f))
			}
		}
	}
	for _, f := range off {
		if c := conf(f); c > 0.35 {
			t.Errorf("confidence(%q) = %.2f, too high for an off-topic question", f, c)
		}
	}
}

// chromem-go errors when asked for more results than it holds; a corpus of
// one passage must still answer a request for ten.
func TestSearchTinyCorpus(t *testing.T) {
	doc, err := corpus.Parse("tiny.md", []byte("# Tiny\n\n## Only question?\n\nOnly answer.\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	c := &corpus.Corpus{Documents: []*corpus.Document{doc}, Version: "t"}
	ix, err := Build(context.Background(), c, BuildOptions{Embedder: NewLocalEmbedder(32)})
	if err != nil {
		t.Fatal(err)
	}
	r, err := ix.Search(context.Background(), Query{Text: "only answer", K: 10})
	if err != nil || r.Degraded != nil || len(r.Results) != 1 {
		t.Fatalf("results %d, degraded %v, err %v", len(r.Results), r.Degraded, err)
	}
	if r, _ := ix.Search(context.Background(), Query{Text: "the of and"}); len(r.Results) != 0 {
		t.Errorf("a question of stop words matched %d sections", len(r.Results))
	}
}

func TestWithinOneEdit(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"marketing", "marketing", true},
		{"marketin", "marketing", true},
		{"markueting", "marketing", true},
		{"makreting", "marketing", true},
		{"marxeting", "marketing", true},
		{"mrkting", "marketing", false},
		{"extension", "extensions", true},
		{"abc", "cba", false},
	}
	for _, tt := range tests {
		if got := withinOneEdit(tt.a, tt.b); got != tt.want {
			t.Errorf("withinOneEdit(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

func TestLocalEmbedderIsDeterministicAndUnit(t *testing.T) {
	e := NewLocalEmbedder(256)
	a, _ := e.Embed(context.Background(), []string{"Real-time journeys", "real time journey"})
	b, _ := e.Embed(context.Background(), []string{"Real-time journeys"})
	var dot, norm float32
	for i := range a[0] {
		if a[0][i] != b[0][i] {
			t.Fatal("same text, different vectors")
		}
		dot += a[0][i] * a[1][i]
		norm += a[0][i] * a[0][i]
	}
	if norm < 0.999 || norm > 1.001 {
		t.Errorf("norm² = %f", norm)
	}
	if dot < 0.8 {
		t.Errorf("word forms of the same phrase have similarity %.2f", dot)
	}
}

func TestAsksWhen(t *testing.T) {
	tests := []struct {
		q    string
		want bool
	}{
		{"When will outbound marketing be removed?", true},
		{"How long does the upgrade take?", true},
		{"What is the deadline?", true},
		{"Wann wird Outbound entfernt?", true},
		{"How do I start with real-time journeys?", false},
		{"What happens to marketing lists?", false},
	}
	for _, tt := range tests {
		if got := TypeOf(tt.q).Has(TimeAnswer); got != tt.want {
			t.Errorf("TypeOf(%q) has TimeAnswer = %v", tt.q, got)
		}
	}
}

// A "when" question raises the sections whose passages state a date over
// the same question asked without "when"; a span of time ("a few months
// after") counts half.
func TestWhenQuestionsPreferDatedPassages(t *testing.T) {
	ix := faqIndex(t)
	ratio := func(q string) (float64, Result) {
		r, err := ix.Search(context.Background(), Query{Text: q, K: 10})
		if err != nil {
			t.Fatal(err)
		}
		var dated, tables Result
		for _, res := range r.Results {
			switch res.Section.Anchor {
			case tablesAnchor:
				tables = res
			case "what-will-happen-after-june-30-2025-will-outbound-marketing-stop-working":
				dated = res
			}
		}
		if dated.Section == nil || tables.Section == nil {
			t.Fatalf("%q: the sections compared were not found", q)
		}
		return dated.Score / tables.Score, dated
	}
	when, dated := ratio("When will outbound marketing be removed?")
	plain, _ := ratio("Will outbound marketing be removed?")
	if when <= plain || dated.TimeMatch != 1 {
		t.Errorf("dated section's score relative to the tables section: %.3f for the when-question, %.3f without (time match %.1f)", when, plain, dated.TimeMatch)
	}
}
