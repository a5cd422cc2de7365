package store

import (
	"context"
	"testing"

	"github.com/faqbot/faqbot/bot"
)

func TestImportHappensOnceAndAllOrNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.open(t, Options{AskerIDs: AskerRaw})
		legacy := Legacy{
			Feedback: []bot.Feedback{
				{Time: monday, Kind: bot.FeedbackHelpful, User: "U1", Transport: "slack", Message: "C1/1.1", Question: "segments?", Asker: "U2"},
				{Time: monday, Kind: bot.FeedbackNotHelpful, User: "U3", Transport: "slack", Message: "C1/1.2", Question: "forms?", Asker: "U2"},
			},
			Escalations: []bot.EscalationRecord{
				{Key: "slack:answer:C1/1.1", Time: monday, Reason: bot.UserRequest, Question: "segments?", Delivery: bot.DeliveryDelivered, Destination: "slack", Imported: true},
				{Key: "slack:answer:C1/1.1", Time: monday, Reason: bot.UserRequest, Question: "dup", Imported: true},
				{Time: monday, Reason: bot.ExtensionRequest, Question: "extension?", Delivery: bot.DeliveryFailed, DeliveryError: "500", Imported: true},
			},
		}
		done, err := s.Import(ctx, "slack-jsonl", legacy)
		if err != nil || !done {
			t.Fatalf("first import: %v %v", done, err)
		}
		done, err = db.open(t, Options{}).Import(ctx, "slack-jsonl", legacy)
		if err != nil || done {
			t.Fatalf("second import: %v %v", done, err)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM feedback`); n != 2 {
			t.Errorf("%d feedback rows, want 2", n)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM escalations WHERE imported`); n != 2 {
			t.Errorf("%d escalations, want 2 (one per key)", n)
		}
		// The imported "Ask a human" still counts: the button escalates no more.
		if _, created, err := s.OpenEscalation(ctx, bot.EscalationRecord{Key: "slack:answer:C1/1.1"}); err != nil || created {
			t.Errorf("escalated again after the import: %v %v", created, err)
		}

		bad := Legacy{Feedback: []bot.Feedback{{Time: monday, Kind: bot.FeedbackHelpful}, {Time: monday, Kind: "bogus"}}}
		if _, err := s.Import(ctx, "broken", bad); err == nil {
			t.Fatal("a bad record was imported")
		}
		if n := count(t, s, `SELECT COUNT(*) FROM feedback`); n != 2 {
			t.Errorf("a failed import left %d rows, want the 2 from before", n)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM meta WHERE name = 'import:broken'`); n != 0 {
			t.Error("a failed import was marked done")
		}
	})
}
