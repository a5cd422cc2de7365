package metrics

import "testing"

func TestTrackQuestionsReadsCountsAtScrape(t *testing.T) {
	m := New()
	var generated, cached, failed, notAsked int64
	if err := m.TrackQuestions(func() (int64, int64, int64, int64) { return generated, cached, failed, notAsked }); err != nil {
		t.Fatal(err)
	}
	generated, cached, failed, notAsked = 5, 90, 2, 1
	wantLines(t, scrape(t, m),
		`faqbot_section_questions_total{result="generated"} 5`,
		`faqbot_section_questions_total{result="cached"} 90`,
		`faqbot_section_questions_total{result="failed"} 2`,
		`faqbot_section_questions_total{result="not_asked"} 1`,
	)
	var none *Metrics
	if err := none.TrackQuestions(nil); err != nil {
		t.Errorf("nil metrics: %v", err)
	}
}
