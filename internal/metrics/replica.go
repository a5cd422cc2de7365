package metrics

import "github.com/prometheus/client_golang/prometheus"

// TrackReplica names this replica and exposes what replicas share, read at
// each scrape: faqbot_replica_info{replica}; faqbot_embeddings_computed_total
// and faqbot_embeddings_shared_total (texts the embedder was asked for, and
// vectors another replica had computed); and, when revisions is not nil
// (replicas share a database), faqbot_corpus_revision and
// faqbot_corpus_revision_latest.
func (m *Metrics) TrackReplica(name string, embeddings func() (computed, shared int64), revisions func() (loaded, latest int64)) error {
	if m == nil {
		return nil
	}
	info := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "faqbot_replica_info", Help: "This replica (FAQBOT_REPLICA); always 1.",
		ConstLabels: prometheus.Labels{"replica": name},
	})
	info.Set(1)
	cs := []prometheus.Collector{
		info,
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "faqbot_embeddings_computed_total",
			Help: "Texts the embedder was asked to embed: those in neither this replica's cache nor the shared one.",
		}, func() float64 { c, _ := embeddings(); return float64(c) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "faqbot_embeddings_shared_total",
			Help: "Vectors taken from the cache replicas share instead of being embedded here.",
		}, func() float64 { _, s := embeddings(); return float64(s) }),
	}
	if revisions != nil {
		cs = append(cs,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "faqbot_corpus_revision", Help: "The shared corpus revision this replica serves (0 for none).",
			}, func() float64 { l, _ := revisions(); return float64(l) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "faqbot_corpus_revision_latest", Help: "The newest shared corpus revision this replica has seen in the database.",
			}, func() float64 { _, l := revisions(); return float64(l) }),
		)
	}
	for _, c := range cs {
		if err := m.reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}
