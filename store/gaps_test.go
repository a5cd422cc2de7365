package store

import (
	"context"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/retrieval"
)

// TestGapsGroupSimilarQuestions records what the FAQ did not serve
// (abstentions, answers marked not helpful) among answers it did, and
// reads the coverage gaps back as the stats endpoint does: grouped by the
// retrieval embedder.
func TestGapsGroupSimilarQuestions(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.open(t, Options{})
		hour := 0
		record := func(q string, answered bool, anchor string) string {
			t.Helper()
			hour++
			e := bot.Exchange{Time: at(0, hour), Transport: "slack", Question: q, Answer: "…", Answered: answered}
			if anchor != "" {
				e.Citations = cites(anchor)
			}
			id, err := s.Record(ctx, e)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		notHelpful := func(id string) {
			t.Helper()
			if err := s.RecordFeedback(ctx, bot.Feedback{ExchangeID: id, Time: at(1, 0), Kind: bot.FeedbackNotHelpful, User: "U9"}); err != nil {
				t.Fatal(err)
			}
		}
		pdf1 := record("Can I export my email templates to PDF?", false, "email-content")
		record("How do I export email templates as PDF files?", false, "email-content")
		pdf3 := record("export templates to pdf", true, "templates")
		notHelpful(pdf3)
		record("Does real-time journeys support SMS in Brazil?", false, "sms")
		sms2 := record("Can I send SMS to Brazilian numbers with real-time journeys?", true, "sms")
		notHelpful(sms2)
		// Served: answered, and helpful or silent.
		ok1 := record("When will outbound marketing be removed?", true, "removal")
		if err := s.RecordFeedback(ctx, bot.Feedback{ExchangeID: ok1, Kind: bot.FeedbackHelpful, User: "U9"}); err != nil {
			t.Fatal(err)
		}
		record("How do I migrate my segments?", true, "segments")
		lone := record("What is the price of Customer Insights?", false, "")
		// A person answered one of the PDF questions.
		esc, _, err := s.OpenEscalation(ctx, bot.EscalationRecord{ExchangeID: pdf1, Reason: bot.UserRequest, Question: "pdf"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ResolveEscalation(ctx, esc.ID, "Jane", "Use Save as PDF in the designer."); err != nil {
			t.Fatal(err)
		}

		reports := bot.NewGapReports(s, s, retrieval.NewLocalEmbedder(0), func(err error) { t.Error(err) })
		st, err := reports.Stats(ctx, scenarioPeriod)
		if err != nil {
			t.Fatal(err)
		}
		type group struct {
			count, abstained, notHelpful int
			examples                     []string
			nearest                      string
			answers                      []string
		}
		var got []group
		for _, g := range st.Gaps {
			ex := append([]string(nil), g.Examples...)
			sort.Strings(ex)
			gr := group{count: g.Count, abstained: g.Abstained, notHelpful: g.NotHelpful, examples: ex, answers: g.HumanAnswers}
			if g.Nearest != nil {
				gr.nearest = g.Nearest.Anchor
			}
			got = append(got, gr)
			if g.ID == "" || g.Question == "" || g.LastAsked.IsZero() {
				t.Errorf("gap without id, question or time: %+v", g)
			}
		}
		want := []group{
			{count: 3, abstained: 2, notHelpful: 1, nearest: "email-content", answers: []string{"Use Save as PDF in the designer."}, examples: []string{
				"Can I export my email templates to PDF?", "How do I export email templates as PDF files?", "export templates to pdf"}},
			{count: 2, abstained: 1, notHelpful: 1, nearest: "sms", examples: []string{
				"Can I send SMS to Brazilian numbers with real-time journeys?", "Does real-time journeys support SMS in Brazil?"}},
			{count: 1, abstained: 1, examples: []string{"What is the price of Customer Insights?"}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("gaps\n got %+v\nwant %+v", got, want)
		}
		if st.Gaps[0].ID != pdf1 || st.Gaps[2].ID != lone {
			t.Errorf("gap IDs %s, %s; want the first question's exchange %s, %s", st.Gaps[0].ID, st.Gaps[2].ID, pdf1, lone)
		}
		if st.Questions != 8 {
			t.Errorf("the rest of the stats are lost: %d questions", st.Questions)
		}
	})
}

func TestLatencyHistogram(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.open(t, Options{})
		for i, ms := range []int{1, 3, 7, 40, 40, 40, 90, 200, 900, 70000} {
			day := 0
			if i >= 8 {
				day = 1
			}
			if _, err := s.Record(ctx, bot.Exchange{Time: at(day, i), Transport: "api", Question: "q",
				Latency: time.Duration(ms) * time.Millisecond}); err != nil {
				t.Fatal(err)
			}
		}
		st, err := s.Stats(ctx, scenarioPeriod)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[int]int{}
		for _, b := range st.Latency.Buckets {
			counts[b.LeMs] = b.Count
		}
		want := map[int]int{5: 2, 10: 1, 50: 3, 100: 1, 250: 1, 1000: 1, 60000: 1}
		for le, n := range counts {
			if n != want[le] {
				t.Errorf("bucket ≤ %d ms: %d, want %d", le, n, want[le])
			}
		}
		if st.Latency.P50Ms != 50 || st.Latency.P95Ms != 60000 {
			t.Errorf("p50 %d, p95 %d; want 50, 60000", st.Latency.P50Ms, st.Latency.P95Ms)
		}
		if d := st.ByDay[0]; d.LatencyP50Ms != 50 || d.LatencyP95Ms != 250 {
			t.Errorf("day 0: p50 %d p95 %d", d.LatencyP50Ms, d.LatencyP95Ms)
		}
		if d := st.ByDay[1]; d.LatencyP50Ms != 1000 || d.LatencyP95Ms != 60000 {
			t.Errorf("day 1: p50 %d p95 %d", d.LatencyP50Ms, d.LatencyP95Ms)
		}
	})
}
