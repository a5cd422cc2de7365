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

func TestAskAHumanEscalatesOncePerKey(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		a, b := db.open(t, Options{}), db.open(t, Options{})
		ex, err := a.Record(ctx, bot.Exchange{Transport: "slack", Question: "q", Answered: true})
		if err != nil {
			t.Fatal(err)
		}
		rec := bot.EscalationRecord{Key: "slack:answer:C1/1700000999.000101", ExchangeID: ex, Reason: bot.UserRequest,
			Transport: "slack", Conversation: "C1/1700000010.000001", Asker: "U123", By: "U555", Question: "segments?",
			Draft: "Export the segment", Sources: []string{"https://learn.microsoft.com/faq#a", "https://learn.microsoft.com/faq#b"}}
		var created atomic.Int64
		ids := make(chan string, 12)
		var wg sync.WaitGroup
		for i := range 12 {
			s := a
			if i%2 == 1 {
				s = b
			}
			wg.Go(func() {
				got, ok, err := s.OpenEscalation(ctx, rec)
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					created.Add(1)
				}
				ids <- got.ID
			})
		}
		wg.Wait()
		close(ids)
		if created.Load() != 1 {
			t.Fatalf("%d escalations created for one key, want 1", created.Load())
		}
		var id string
		for got := range ids {
			if id != "" && got != id {
				t.Errorf("callers were told of different escalations: %s, %s", id, got)
			}
			id = got
		}
		got, err := b.EscalationByKey(ctx, rec.Key)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != id || got.ExchangeID != ex || got.State != bot.EscalationOpen || got.Delivery != bot.DeliveryPending ||
			got.Question != "segments?" || len(got.Sources) != 2 || got.Asker != a.Asker("U123") || got.By != a.Asker("U555") {
			t.Errorf("escalation %+v", got)
		}
		if _, err := a.EscalationByKey(ctx, "slack:answer:none"); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("unknown key: %v", err)
		}
		if _, err := a.EscalationByKey(ctx, ""); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("empty key: %v", err)
		}
	})
}

func TestEscalationLifecycle(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		clk := newClock(monday)
		s := db.open(t, Options{Clock: clk.now})
		open := func(q string) bot.EscalationRecord {
			t.Helper()
			clk.add(time.Minute)
			e, ok, err := s.OpenEscalation(ctx, bot.EscalationRecord{Question: q, Reason: bot.ExtensionRequest})
			if err != nil || !ok {
				t.Fatalf("open %q: %v %v", q, ok, err)
			}
			return e
		}
		delivered, failed, nowhere := open("delivered"), open("failed"), open("nowhere")
		for _, c := range []struct {
			id, dest string
			err      error
		}{{delivered.ID, "slack", nil}, {failed.ID, "teams", errors.New("webhook answered 502 Bad Gateway")}, {nowhere.ID, "", nil}} {
			if err := s.EscalationDelivered(ctx, c.id, c.dest, c.err); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.EscalationDelivered(ctx, "unknown", "slack", nil); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("delivery of an unknown escalation: %v", err)
		}
		for _, want := range []struct {
			id       string
			delivery bot.Delivery
			dest     string
			detail   string
		}{{delivered.ID, bot.DeliveryDelivered, "slack", ""}, {failed.ID, bot.DeliveryFailed, "teams", "webhook answered 502 Bad Gateway"}, {nowhere.ID, bot.DeliveryNone, "", ""}} {
			got, err := s.Escalation(ctx, want.id)
			if err != nil || got.Delivery != want.delivery || got.Destination != want.dest || got.DeliveryError != want.detail {
				t.Errorf("escalation %+v, %v; want %+v", got, err, want)
			}
		}

		clk.add(time.Hour)
		res, err := s.ResolveEscalation(ctx, failed.ID, "UAGENT", "We called them.")
		if err != nil {
			t.Fatal(err)
		}
		if res.State != bot.EscalationResolved || res.ResolvedBy != "UAGENT" || res.HumanAnswer != "We called them." || !res.ResolvedAt.Equal(clk.now()) {
			t.Errorf("resolved %+v", res)
		}
		if again, err := s.ResolveEscalation(ctx, failed.ID, "UOTHER", "Me too."); !errors.Is(err, bot.ErrAlreadyResolved) || again.ResolvedBy != "UAGENT" {
			t.Errorf("second resolve: %+v, %v", again, err)
		}
		if _, err := s.ResolveEscalation(ctx, "unknown", "U", "x"); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("resolve unknown: %v", err)
		}
		if _, err := s.Escalation(ctx, "unknown"); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("read unknown: %v", err)
		}

		list, err := s.Escalations(ctx, bot.EscalationQuery{State: bot.EscalationOpen})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != nowhere.ID || list[1].ID != delivered.ID {
			t.Errorf("open escalations, newest first: %+v", list)
		}
		all, err := s.Escalations(ctx, bot.EscalationQuery{Limit: 2})
		if err != nil || len(all) != 2 {
			t.Errorf("limit 2: %d, %v", len(all), err)
		}
	})
}

func TestRecordedEscalatorKeepsEveryHandOff(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.open(t, Options{AskerIDs: AskerRaw})
		fail := errors.New("webhook answered 500")
		for _, tc := range []struct {
			err  error
			want bot.Delivery
		}{{nil, bot.DeliveryDelivered}, {fail, bot.DeliveryFailed}} {
			esc := bot.RecordedEscalator{Next: escalatorFunc(func(ctx context.Context, e bot.Escalation) error {
				// The escalation is on record before the hand-off is tried.
				list, err := s.Escalations(ctx, bot.EscalationQuery{})
				if err != nil || len(list) == 0 || list[0].Question != e.Question.Text || list[0].Delivery != bot.DeliveryPending {
					t.Errorf("not recorded before the hand-off: %+v, %v", list, err)
				}
				return tc.err
			}), Store: s, Destination: "teams"}
			err := esc.Escalate(ctx, bot.Escalation{
				Question: bot.Question{Text: "extension for " + string(tc.want), Asker: bot.User{ID: "a1"}, Transport: "teams", Conversation: "19:abc"},
				Answer:   bot.Answer{Text: "A person needs to handle this.", Citations: cites("ext")}, Reason: bot.ExtensionRequest,
			})
			if !errors.Is(err, tc.err) {
				t.Errorf("Escalate returned %v, want %v", err, tc.err)
			}
			list, _ := s.Escalations(ctx, bot.EscalationQuery{})
			got := list[0]
			if got.Delivery != tc.want || got.Destination != "teams" || got.Asker != "a1" || got.Conversation != "19:abc" ||
				got.Draft != "A person needs to handle this." || len(got.Sources) != 1 || got.Reason != bot.ExtensionRequest {
				t.Errorf("recorded %+v", got)
			}
		}
	})
}

type escalatorFunc func(ctx context.Context, e bot.Escalation) error

func (f escalatorFunc) Escalate(ctx context.Context, e bot.Escalation) error { return f(ctx, e) }
