package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

func TestFollowupsAreDueOnceAcrossReplicas(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		clk := newClock(monday)
		a, b := db.open(t, Options{Clock: clk.now}), db.open(t, Options{Clock: clk.now})
		open := func(q, dest string) bot.EscalationRecord {
			t.Helper()
			e, _, err := a.OpenEscalation(ctx, bot.EscalationRecord{Question: q, Reason: bot.UserRequest, Transport: "slack",
				ReplyTo: "ref-" + q})
			if err != nil {
				t.Fatal(err)
			}
			if err := a.EscalationDelivered(ctx, e.ID, dest, nil); err != nil {
				t.Fatal(err)
			}
			return e
		}
		old, nowhere := open("old", "slack"), open("nowhere", "")
		// Imported from the JSON Lines of earlier versions: never reminded.
		if _, _, err := a.OpenEscalation(ctx, bot.EscalationRecord{Question: "imported", Transport: "slack", Destination: "slack",
			Delivery: bot.DeliveryFailed, Imported: true}); err != nil {
			t.Fatal(err)
		}
		clk.add(23 * time.Hour)
		young := open("young", "slack")
		clk.add(2 * time.Hour) // old is 25 h open, young 2 h

		due, err := b.DueFollowups(ctx, bot.FollowupRemind, clk.now().Add(-24*time.Hour), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) != 1 || due[0].ID != old.ID || due[0].ReplyTo != "ref-old" {
			t.Fatalf("due reminders %+v; want only %s (%s has nowhere to go, %s is young)", due, old.ID, nowhere.ID, young.ID)
		}

		// Replicas racing for it: one wins.
		var won atomic.Int64
		var wg sync.WaitGroup
		for i := range 8 {
			s := a
			if i%2 == 1 {
				s = b
			}
			wg.Go(func() {
				ok, err := s.ClaimFollowup(ctx, old.ID, bot.FollowupRemind)
				if err != nil {
					t.Error(err)
				}
				if ok {
					won.Add(1)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 {
			t.Fatalf("%d claims won, want 1", won.Load())
		}
		if due, _ := b.DueFollowups(ctx, bot.FollowupRemind, clk.now().Add(-24*time.Hour), 10); len(due) != 0 {
			t.Errorf("a claimed reminder is still due: %+v", due)
		}
		// The claimer died: after the stale age the reminder is due again.
		clk.add(bot.FollowupStaleAfter + time.Second)
		if ok, err := b.ClaimFollowup(ctx, old.ID, bot.FollowupRemind); err != nil || !ok {
			t.Fatalf("stale claim not retaken: %v %v", ok, err)
		}
		// A failed post frees it; a done one is done for good.
		if err := b.FinishFollowup(ctx, old.ID, bot.FollowupRemind, false); err != nil {
			t.Fatal(err)
		}
		if ok, _ := a.ClaimFollowup(ctx, old.ID, bot.FollowupRemind); !ok {
			t.Fatal("a released reminder cannot be claimed")
		}
		if err := a.FinishFollowup(ctx, old.ID, bot.FollowupRemind, true); err != nil {
			t.Fatal(err)
		}
		clk.add(time.Hour)
		if ok, _ := a.ClaimFollowup(ctx, old.ID, bot.FollowupRemind); ok {
			t.Error("a reminder was claimed twice")
		}
		got, _ := a.Escalation(ctx, old.ID)
		if !got.RemindedAt.Equal(clk.now().Add(-time.Hour)) {
			t.Errorf("reminded at %v", got.RemindedAt)
		}

		// Notices are owed once an escalation is resolved, and not by open
		// ones.
		if ok, _ := a.ClaimFollowup(ctx, young.ID, bot.FollowupNotify); ok {
			t.Error("an open escalation's notice was claimed")
		}
		resolvedAt := clk.now()
		if _, err := a.ResolveEscalation(ctx, young.ID, "Jane", "Use the export."); err != nil {
			t.Fatal(err)
		}
		due, err = b.DueFollowups(ctx, bot.FollowupNotify, resolvedAt.Add(-time.Minute), 10)
		if err != nil || len(due) != 1 || due[0].ID != young.ID || due[0].HumanAnswer != "Use the export." {
			t.Fatalf("due notices %+v, %v", due, err)
		}
		if due, _ := b.DueFollowups(ctx, bot.FollowupNotify, resolvedAt.Add(time.Minute), 10); len(due) != 0 {
			t.Errorf("a resolution older than the cut-off is due: %+v", due)
		}
		// old was reminded, nowhere has no destination, young is resolved.
		if due, _ := b.DueFollowups(ctx, bot.FollowupRemind, clk.now(), 10); len(due) != 0 {
			t.Errorf("reminders due: %+v", due)
		}
		if ok, _ := b.ClaimFollowup(ctx, young.ID, bot.FollowupNotify); !ok {
			t.Fatal("notice not claimed")
		}
		if err := b.FinishFollowup(ctx, young.ID, bot.FollowupNotify, true); err != nil {
			t.Fatal(err)
		}
		if got, _ := a.Escalation(ctx, young.ID); got.NotifiedAt.IsZero() {
			t.Error("notice not recorded")
		}
		if err := a.FinishFollowup(ctx, "unknown", bot.FollowupNotify, true); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("finish unknown: %v", err)
		}
		if _, err := a.ClaimFollowup(ctx, young.ID, bot.Followup("dance")); err == nil {
			t.Error("an unknown follow-up was claimed")
		}
	})
}
