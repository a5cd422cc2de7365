package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"
)

// BenchmarkClaim takes one new delivery claim, as the Slack app does twice
// for every event, and reports the median and 99th percentile. SQLite
// always; PostgreSQL, where replicas share claims, when
// FAQBOT_TEST_DATABASE_URL is set.
func BenchmarkClaim(b *testing.B) {
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
			var took []time.Duration
			i := 0
			for b.Loop() {
				i++
				start := time.Now()
				if ok, err := s.Claim(context.Background(), fmt.Sprint("slack:event:Ev", i)); err != nil || !ok {
					b.Fatal(ok, err)
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds()), "p99-ns")
		})
	}
}

// On PostgreSQL, what a person is told has been kept waits for the disk;
// answers and claims, one-statement writes included, do not.
func TestPostgresCommitsWaitForTheDiskOnlyWhenSynced(t *testing.T) {
	s := postgresDB(t).open(t, Options{})
	ctx := context.Background()
	setting := func(d durability) string {
		var v string
		if err := s.write(ctx, d, func(tx *sql.Tx) error {
			return tx.QueryRowContext(ctx, `SHOW synchronous_commit`).Scan(&v)
		}); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := setting(synced); v != "on" {
		t.Errorf("synced write: synchronous_commit %s, want on", v)
	}
	if v := setting(committed); v != "off" {
		t.Errorf("committed write: synchronous_commit %s, want off", v)
	}
	var v string
	if err := s.w.QueryRowContext(ctx, `SHOW synchronous_commit`).Scan(&v); err != nil || v != "off" {
		t.Errorf("a session outside transactions: %s %v, want off", v, err)
	}
}
