package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/faqbot/faqbot/corpus"
)

// TrackCorpus exposes the serving corpus, read at each scrape so it can
// never disagree with what answers cite: faqbot_index_ready (0 or 1),
// faqbot_corpus_info{version,source} and faqbot_corpus_sections. current
// returns nil before the first index is built.
func (m *Metrics) TrackCorpus(current func() *corpus.Corpus) error {
	return m.reg.Register(&corpusCollector{
		current:  current,
		ready:    prometheus.NewDesc("faqbot_index_ready", "1 once an index is serving, 0 before.", nil, nil),
		info:     prometheus.NewDesc("faqbot_corpus_info", "The serving corpus; always 1.", []string{"version", "source"}, nil),
		sections: prometheus.NewDesc("faqbot_corpus_sections", "Sections in the serving corpus.", nil, nil),
	})
}

type corpusCollector struct {
	current               func() *corpus.Corpus
	ready, info, sections *prometheus.Desc
}

func (c *corpusCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.ready
	ch <- c.info
	ch <- c.sections
}

func (c *corpusCollector) Collect(ch chan<- prometheus.Metric) {
	cur := c.current()
	if cur == nil {
		ch <- prometheus.MustNewConstMetric(c.ready, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.ready, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(c.info, prometheus.GaugeValue, 1, cur.Version, cur.Source)
	ch <- prometheus.MustNewConstMetric(c.sections, prometheus.GaugeValue, float64(len(cur.Sections())))
}
