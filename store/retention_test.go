package store

import (
	"context"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

func TestPruneDeletesWhatIsPastRetentionInBatches(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		clk := newClock(monday)
		s := db.open(t, Options{Clock: clk.now, Retention: 30 * 24 * time.Hour})
		old := pruneBatch*2 + 5
		for i := range old {
			id, err := s.Record(ctx, bot.Exchange{Time: monday.Add(-31*24*time.Hour + time.Duration(i)*time.Second), Transport: "api", Question: "old", Citations: cites("a")})
			if err != nil {
				t.Fatal(err)
			}
			if i%100 == 0 {
				if err := s.RecordFeedback(ctx, bot.Feedback{ExchangeID: id, Time: monday.Add(-time.Hour), Kind: bot.FeedbackHelpful}); err != nil {
					t.Fatal(err)
				}
			}
		}
		fresh, err := s.Record(ctx, bot.Exchange{Time: monday.Add(-29 * 24 * time.Hour), Transport: "api", Question: "fresh", Citations: cites("a")})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RecordFeedback(ctx, bot.Feedback{ExchangeID: fresh, Kind: bot.FeedbackHelpful}); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordFeedback(ctx, bot.Feedback{Time: monday.Add(-40 * 24 * time.Hour), Kind: bot.FeedbackHelpful, Question: "imported"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.OpenEscalation(ctx, bot.EscalationRecord{Time: monday.Add(-31 * 24 * time.Hour), Question: "old"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.OpenEscalation(ctx, bot.EscalationRecord{ExchangeID: fresh, Question: "fresh"}); err != nil {
			t.Fatal(err)
		}

		p, err := s.Prune(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p.Exchanges != old || p.Feedback != 1 || p.Escalations != 1 {
			t.Errorf("pruned %+v, want %d exchanges, 1 unlinked feedback, 1 escalation", p, old)
		}
		for q, want := range map[string]int{
			`SELECT COUNT(*) FROM exchanges`:   1,
			`SELECT COUNT(*) FROM citations`:   1,
			`SELECT COUNT(*) FROM feedback`:    1,
			`SELECT COUNT(*) FROM escalations`: 1,
		} {
			if n := count(t, s, q); n != want {
				t.Errorf("%s = %d, want %d", q, n, want)
			}
		}
	})
}

func TestRunPrunerPrunesAtStartAndStopsWithItsContext(t *testing.T) {
	clk := newClock(monday)
	s := testDB{url: "sqlite:" + t.TempDir() + "/x.db"}.open(t, Options{Clock: clk.now})
	if _, err := s.Record(context.Background(), bot.Exchange{Time: monday.Add(-DefaultRetention - time.Hour), Transport: "api", Question: "old"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.RunPruner(ctx, time.Hour)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for count(t, s, `SELECT COUNT(*) FROM exchanges`) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the pruner did not prune at start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the pruner did not stop")
	}
}
