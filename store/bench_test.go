package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// BenchmarkRecord writes one answered question with two citations, as the
// recording Asker does after every answer, and reports the median and
// 99th percentile of single writes. SQLite always; PostgreSQL when
// FAQBOT_TEST_DATABASE_URL is set.
func BenchmarkRecord(b *testing.B) {
	dbs := []struct {
		name string
		url  func(b *testing.B) string
	}{
		{SQLite, func(b *testing.B) string { return "sqlite:" + b.TempDir() + "/faqbot.db" }},
		{Postgres, func(b *testing.B) string { return postgresDB(b).url }},
	}
	for _, db := range dbs {
		b.Run("backend="+db.name, func(b *testing.B) {
			s := testDB{url: db.url(b)}.open(b, Options{})
			e := bot.Exchange{Transport: "api", Conversation: "C1/1700000000.000100", Asker: "U123",
				Question: "What happens to my segments after the transition?", Answer: "Segments stay available [1]. " + string(make([]byte, 600)),
				Answered: true, Citations: cites("segments", "forms"), Mode: bot.ModeExtractive, CorpusVersion: "f90b57b38329", Latency: 250 * time.Microsecond}
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := s.Record(context.Background(), e); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds()), "p99-ns")
		})
	}
}
