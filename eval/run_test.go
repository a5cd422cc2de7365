package eval

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/retrieval"
)

// fakeBot answers from a table: a ranking of anchors per question and an
// answer shape, so the metrics have known values.
type fakeBot struct {
	ranks   map[string][]string
	answers map[string]bot.Answer
}

func (f fakeBot) Ask(_ context.Context, q bot.Question) (bot.Answer, error) {
	return f.answers[q.Text], nil
}

func (f fakeBot) Retrieve(_ context.Context, q bot.Question, mode retrieval.Mode) (bot.Retrieval, error) {
	var r retrieval.Ranking
	anchors := f.ranks[q.Text]
	if mode == retrieval.LexicalOnly {
		anchors = nil // the lexical method finds nothing in this fixture
	}
	for _, a := range anchors {
		r.Results = append(r.Results, retrieval.Result{Section: &corpus.Section{Anchor: a}})
	}
	return bot.Retrieval{Ranking: r}, nil
}

const fixture = "id\tquestion\texpected_anchors\tescalate\tanswerable\n" +
	"Q1\tfirst\ta\tno\tyes\n" +
	"Q2\tsecond\tb|c\tyes\tyes\n" +
	"Q3\tthird\ta\tno\tyes\n" +
	"Q4\tfourth\td\tany\tyes\n" +
	"Q5\toff topic\t-\tno\tno\n" +
	"Q6\tanother off topic\t-\tyes\tno\n"

func cite(anchors ...string) []bot.Citation {
	var out []bot.Citation
	for _, a := range anchors {
		out = append(out, bot.Citation{Anchor: a})
	}
	return out
}

func TestRunComputesKnownMetrics(t *testing.T) {
	cases, err := ReadCases(strings.NewReader(fixture), "fixture.tsv")
	if err != nil {
		t.Fatal(err)
	}
	fb := fakeBot{
		ranks: map[string][]string{
			"first":  {"a", "x"},           // rank 1
			"second": {"x", "y", "c"},      // rank 3
			"third":  {"x", "y", "z", "a"}, // rank 4: outside Recall@3
			"fourth": {"x"},                // not found
		},
		answers: map[string]bot.Answer{
			// Citations differ from the rankings: the cited metrics
			// score what the reader sees.
			"first":             {Answered: true, Confidence: 0.9, Citations: cite("a")},
			"second":            {Answered: true, Confidence: 0.7, Escalate: true, EscalationReason: bot.ExtensionRequest, Citations: cite("x", "c")},
			"third":             {Answered: false, Confidence: 0.3, Citations: cite("x", "y")}, // a false abstention
			"fourth":            {Answered: true, Confidence: 0.5, Escalate: true, Citations: cite("d")},
			"off topic":         {Answered: true, Confidence: 0.6, Escalate: true}, // wrong twice
			"another off topic": {Answered: false, Confidence: 0.1},                // missed escalation
		},
	}
	rep, err := Run(context.Background(), fb, "fixture", cases)
	if err != nil {
		t.Fatal(err)
	}
	approx := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	c := rep.Cited
	if c.N != 4 {
		t.Fatalf("cited = %+v", c)
	}
	approx("cited Recall@1", c.Recall1, 2.0/4)
	approx("cited Recall@3", c.Recall3, 3.0/4)
	approx("cited MRR", c.MRR, (1+0.5+0+1)/4)
	fused := rep.Rankings[0]
	if fused.Method != "fused" || fused.N != 4 {
		t.Fatalf("fused = %+v", fused)
	}
	approx("Recall@1", fused.Recall1, 1.0/4)
	approx("Recall@3", fused.Recall3, 2.0/4)
	approx("MRR", fused.MRR, (1+1.0/3+1.0/4)/4)
	if lex := rep.Rankings[1]; lex.Method != "lexical" || lex.Recall3 != 0 {
		t.Errorf("lexical = %+v", lex)
	}
	e := rep.Escalation
	if e.N != 5 || e.TP != 1 || e.FP != 1 || e.FN != 1 {
		t.Errorf("escalation = %+v", e)
	}
	approx("precision", e.Precision, 0.5)
	approx("recall", e.Recall, 0.5)
	a := rep.Abstention
	if a.N != 2 || a.AnswerableN != 4 || a.FalseAbstentions != 1 {
		t.Errorf("abstention = %+v", a)
	}
	approx("abstention accuracy", a.Accuracy, 0.5)
	approx("answer rate", a.AnswerRate, 3.0/4)
	// At t=0.4, "third" (0.3) is declined and "off topic" (0.6) answered.
	p := rep.Tradeoff[3]
	approx("tradeoff threshold", p.Threshold, 0.4)
	approx("tradeoff answer rate", p.AnswerRate, 3.0/4)
	approx("tradeoff accuracy", p.Accuracy, 1.0/2)
	if rep.Latency.P50 <= 0 || rep.Latency.P95 < rep.Latency.P50 {
		t.Errorf("latency = %+v", rep.Latency)
	}
	var out strings.Builder
	if err := WriteText(&out, []Report{rep, rep}, true); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"cited Recall@1", "fused", "lexical", "dense", "0.500 (fp 1)", "Q3", "fixture", "trade-off"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestReadCasesErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"id\tquestion\n", "header"},
		{"id\tquestion\texpected_anchors\tescalate\tanswerable\nQ1\tq\ta\tmaybe\tyes\n", "f.tsv:2: escalate"},
		{"id\tquestion\texpected_anchors\tescalate\tanswerable\nQ1\tq\n", "f.tsv:2: want 5"},
		{"id\tquestion\texpected_anchors\tescalate\tanswerable\n", "no questions"},
	}
	for _, tt := range tests {
		if _, err := ReadCases(strings.NewReader(tt.in), "f.tsv"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadCases(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}
