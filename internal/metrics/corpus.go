package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
)

// CorpusInfo describes the serving corpus. Source must already be fit to
// show: /metrics is unauthenticated.
type CorpusInfo struct {
	Version, Source string
	Sections        int
}

// TrackCorpus exposes the serving corpus, read at each scrape so it can
// never disagree with what answers cite: faqbot_index_ready (0 or 1),
// faqbot_corpus_info{version,source} and faqbot_corpus_sections. current
// reports false before the first index is built.
func (m *Metrics) TrackCorpus(current func() (CorpusInfo, bool)) error {
	if m == nil {
		return nil
	}
	return m.reg.Register(&corpusCollector{
		current:  current,
		ready:    prometheus.NewDesc("faqbot_index_ready", "1 once an index is serving, 0 before.", nil, nil),
		info:     prometheus.NewDesc("faqbot_corpus_info", "The serving corpus; always 1.", []string{"version", "source"}, nil),
		sections: prometheus.NewDesc("faqbot_corpus_sections", "Sections in the serving corpus.", nil, nil),
	})
}

type corpusCollector struct {
	current               func() (CorpusInfo, bool)
	ready, info, sections *prometheus.Desc
}

func (c *corpusCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.ready
	ch <- c.info
	ch <- c.sections
}

func (c *corpusCollector) Collect(ch chan<- prometheus.Metric) {
	cur, ok := c.current()
	if !ok {
		ch <- prometheus.MustNewConstMetric(c.ready, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.ready, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(c.info, prometheus.GaugeValue, 1, cur.Version, cur.Source)
	ch <- prometheus.MustNewConstMetric(c.sections, prometheus.GaugeValue, float64(cur.Sections))
}
