package metrics

import "github.com/prometheus/client_golang/prometheus"

// TrackQuestions exposes what the model wrote of the questions sections
// answer, read at each scrape: faqbot_section_questions_total{result},
// counting sections whose questions were generated, taken from the cache,
// failed (the model failed them), or not asked (after repeated failures, or
// when the refresh's time for them ran out).
func (m *Metrics) TrackQuestions(counts func() (generated, cached, failed, notAsked int64)) error {
	if m == nil {
		return nil
	}
	results := map[string]func() float64{
		"generated": func() float64 { g, _, _, _ := counts(); return float64(g) },
		"cached":    func() float64 { _, c, _, _ := counts(); return float64(c) },
		"failed":    func() float64 { _, _, f, _ := counts(); return float64(f) },
		"not_asked": func() float64 { _, _, _, n := counts(); return float64(n) },
	}
	for result, value := range results {
		c := prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name:        "faqbot_section_questions_total",
			Help:        "Sections whose questions (what they answer, for retrieval) the model generated, the cache had, the model failed, or were not asked; failed and not asked ones are asked again at the next refresh.",
			ConstLabels: prometheus.Labels{"result": result},
		}, value)
		if err := m.reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}
