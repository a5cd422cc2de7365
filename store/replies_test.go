package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

func TestRepliesFindTheirExchangesAfterARestart(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		clk := newClock(monday)
		s := db.open(t, Options{Clock: clk.now})
		var ids []string
		for i, q := range []string{"first", "second", "third"} {
			clk.add(time.Minute)
			id, err := s.Record(ctx, bot.Exchange{Transport: "teams", Conversation: "19:chat", Asker: "aad-1", Question: q,
				Answer: "answer " + q, Answered: true, Citations: cites("a", "b"), CorpusVersion: "v1"})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.LinkReply(ctx, id, "q"+string(rune('1'+i)), "r"+string(rune('1'+i))); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		if _, err := s.Record(ctx, bot.Exchange{Transport: "slack", Conversation: "19:chat", Question: "elsewhere"}); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s = db.open(t, Options{Clock: clk.now})

		recent, err := s.RecentExchanges(ctx, "teams", "19:chat", 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(recent) != 2 || recent[0].Question != "second" || recent[1].Question != "third" {
			t.Fatalf("recent, oldest first: %+v", recent)
		}
		r := recent[1]
		if r.ID != ids[2] || r.QuestionRef != "q3" || r.ReplyRef != "r3" || r.Answer != "answer third" || r.CorpusVersion != "v1" ||
			len(r.Citations) != 2 || r.Citations[0].URL != "https://learn.microsoft.com/faq#a" || r.Citations[1].Anchor != "b" ||
			r.Asker != s.Asker("aad-1") {
			t.Errorf("exchange read back %+v", r)
		}
		got, err := s.ExchangeByReply(ctx, "teams", "19:chat", "r1")
		if err != nil || got.ID != ids[0] {
			t.Errorf("by reply: %+v, %v", got, err)
		}
		for _, ref := range []string{"", "r9"} {
			if _, err := s.ExchangeByReply(ctx, "teams", "19:chat", ref); !errors.Is(err, bot.ErrNotFound) {
				t.Errorf("reply %q: %v", ref, err)
			}
		}
		if err := s.LinkReply(ctx, "unknown", "q", "r"); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("link unknown: %v", err)
		}

		// An escalation of a recorded exchange keeps the asker as the
		// exchange has it, however the transport names them now.
		esc, _, err := s.OpenEscalation(ctx, bot.EscalationRecord{Key: "teams:k", ExchangeID: ids[0], Asker: r.Asker, Question: "first"})
		if err != nil {
			t.Fatal(err)
		}
		if esc.Asker != s.Asker("aad-1") {
			t.Errorf("escalation asker %q, want the exchange's %q", esc.Asker, s.Asker("aad-1"))
		}
		if f, err := s.Forget(ctx, "aad-1"); err != nil || f.Escalations != 1 || f.Exchanges != 3 {
			t.Errorf("forget: %+v, %v", f, err)
		}
	})
}
