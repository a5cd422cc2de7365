package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

var monday = time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)

func at(day int, hour int) time.Time {
	return monday.Add(time.Duration(day)*24*time.Hour + time.Duration(hour)*time.Hour)
}

func cites(anchors ...string) []bot.Citation {
	var out []bot.Citation
	for _, a := range anchors {
		out = append(out, bot.Citation{Anchor: a, Title: "Title " + a, Document: "transition-faqs.md", URL: "https://learn.microsoft.com/faq#" + a})
	}
	return out
}

// scenario records a week of support work whose statistics are known;
// it returns the exchange IDs by name.
func scenario(t *testing.T, s *Store) map[string]string {
	t.Helper()
	ctx := context.Background()
	ids := map[string]string{}
	for _, e := range []struct {
		name string
		bot.Exchange
	}{
		{"before", bot.Exchange{Time: at(-1, 23), Transport: "api", Answered: true, Citations: cites("a")}},
		{"e1", bot.Exchange{Time: at(0, 9), Transport: "api", Answered: true, Citations: cites("a", "b")}},
		{"e2", bot.Exchange{Time: at(0, 10), Transport: "slack", Answered: true, Citations: cites("a")}},
		{"e3", bot.Exchange{Time: at(0, 11), Transport: "slack", Answered: true, Citations: cites("b")}},
		{"e4", bot.Exchange{Time: at(1, 9), Transport: "teams", Answered: true, Escalate: true, Reason: bot.ExtensionRequest, Citations: cites("c")}},
		{"e5", bot.Exchange{Time: at(1, 10), Transport: "api"}},
		{"e6", bot.Exchange{Time: at(1, 11), Transport: "slack", Answered: true, Citations: cites("a")}},
		{"e7", bot.Exchange{Time: at(3, 8), Transport: "api", Answered: true, Citations: cites("a")}},
		{"after", bot.Exchange{Time: at(4, 0), Transport: "api", Answered: true, Citations: cites("c")}},
	} {
		e.Question, e.Answer, e.Asker, e.Mode, e.CorpusVersion = "question "+e.name, "answer "+e.name, "U-"+e.name, bot.ModeExtractive, "v1"
		e.Latency = 1500 * time.Microsecond
		id, err := s.Record(ctx, e.Exchange)
		if err != nil {
			t.Fatal(err)
		}
		ids[e.name] = id
	}
	for _, f := range []bot.Feedback{
		{ExchangeID: ids["e2"], Time: at(0, 11), Kind: bot.FeedbackNotHelpful, User: "U9"},
		// a day and an hour later: outside the 24 h window, e3 stays deflected
		{ExchangeID: ids["e3"], Time: at(1, 12), Kind: bot.FeedbackNotHelpful, User: "U9"},
		{ExchangeID: ids["e3"], Time: at(0, 12), Kind: bot.FeedbackHelpful, User: "U8"},
		{ExchangeID: ids["after"], Time: at(4, 1), Kind: bot.FeedbackHelpful, User: "U8"},
	} {
		if err := s.RecordFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	auto, _, err := s.OpenEscalation(ctx, bot.EscalationRecord{ExchangeID: ids["e4"], Time: at(1, 9), Reason: bot.ExtensionRequest, Transport: "teams", Question: "question e4"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResolveEscalation(ctx, auto.ID, "UAGENT", "Your extension is being reviewed."); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.OpenEscalation(ctx, bot.EscalationRecord{Key: "slack:answer:C1/1.1", ExchangeID: ids["e6"], Time: at(1, 13), Reason: bot.UserRequest, Transport: "slack"}); err != nil {
		t.Fatal(err)
	}
	return ids
}

var scenarioPeriod = bot.Period{From: monday, To: monday.Add(4 * 24 * time.Hour)}

func TestStatsFollowTheDefinitions(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		s := db.open(t, Options{})
		scenario(t, s)
		got, err := s.Stats(context.Background(), scenarioPeriod)
		if err != nil {
			t.Fatal(err)
		}
		want := bot.Stats{
			From: scenarioPeriod.From, To: scenarioPeriod.To,
			Questions: 7, Answered: 6, Abstained: 1, Escalated: 2, Deflected: 3, DeflectionRate: 3.0 / 7,
			ByTransport: map[string]int{"api": 3, "slack": 3, "teams": 1},
			ByReason:    map[string]int{"extension_request": 1, "user_request": 1},
			// Every answer took 1.5 ms: the first latency bucket, 5 ms.
			ByDay: []bot.DayStats{
				{Day: "2025-03-10", Questions: 3, Answered: 3, Deflected: 2, LatencyP50Ms: 5, LatencyP95Ms: 5},
				{Day: "2025-03-11", Questions: 3, Answered: 2, Abstained: 1, Escalated: 2, EscalatedAnswered: 2, LatencyP50Ms: 5, LatencyP95Ms: 5},
				{Day: "2025-03-12"},
				{Day: "2025-03-13", Questions: 1, Answered: 1, Deflected: 1, LatencyP50Ms: 5, LatencyP95Ms: 5},
			},
			Feedback: bot.FeedbackCounts{Helpful: 1, NotHelpful: 2},
			TopSections: []bot.SectionCount{
				{Anchor: "a", Title: "Title a", Document: "transition-faqs.md", Count: 4},
				{Anchor: "b", Title: "Title b", Document: "transition-faqs.md", Count: 2},
				{Anchor: "c", Title: "Title c", Document: "transition-faqs.md", Count: 1},
			},
			Latency: bot.NewLatencyStats([]int{7}),
			Gaps:    []bot.Gap{},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("stats\n got %+v\nwant %+v", got, want)
		}
	})
}

func TestDeflectionWindowIsASetting(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		s := db.open(t, Options{DeflectionWindow: 48 * time.Hour})
		scenario(t, s)
		got, err := s.Stats(context.Background(), scenarioPeriod)
		if err != nil {
			t.Fatal(err)
		}
		if got.Deflected != 2 { // e3's late "not helpful" now counts
			t.Errorf("deflected %d with a 48 h window, want 2", got.Deflected)
		}
	})
}

func TestStatsOfAnEmptyPeriodAndBadPeriods(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		s := db.open(t, Options{})
		got, err := s.Stats(context.Background(), bot.Period{From: monday, To: monday.Add(36 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if got.Questions != 0 || got.DeflectionRate != 0 || len(got.ByDay) != 2 || got.ByDay[1].Day != "2025-03-11" ||
			got.ByTransport == nil || got.TopSections == nil || got.Gaps == nil {
			t.Errorf("empty stats %+v", got)
		}
		for _, p := range []bot.Period{
			{From: monday, To: monday},
			{From: monday, To: monday.Add(-time.Hour)},
			{From: monday, To: monday.Add(bot.MaxReportPeriod + time.Hour)},
		} {
			if _, err := s.Stats(context.Background(), p); err == nil {
				t.Errorf("period %v accepted", p)
			}
		}
	})
}

func TestConversationsExportTheExchangesWithWhatFollowed(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		s := db.open(t, Options{AskerIDs: AskerRaw})
		ids := scenario(t, s)
		ctx := context.Background()
		if n, err := s.CountConversations(ctx, scenarioPeriod); err != nil || n != 7 {
			t.Fatalf("count %d, %v", n, err)
		}
		var got []bot.Conversation
		err := s.Conversations(ctx, scenarioPeriod, 100, func(c bot.Conversation) error {
			got = append(got, c)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range got {
			names = append(names, c.Question[len("question "):])
		}
		if !reflect.DeepEqual(names, []string{"e1", "e2", "e3", "e4", "e5", "e6", "e7"}) {
			t.Fatalf("conversations in order %v", names)
		}
		e1, e3, e4, e6 := got[0], got[2], got[3], got[5]
		if e1.ID != ids["e1"] || !e1.Time.Equal(at(0, 9)) || e1.Transport != "api" || e1.Asker != "U-e1" || e1.Answer != "answer e1" ||
			!e1.Answered || e1.Mode != bot.ModeExtractive || e1.CorpusVersion != "v1" || e1.Latency != 1500*time.Microsecond ||
			len(e1.Citations) != 2 || e1.Citations[1].Anchor != "b" || !e1.Deflected || e1.Escalation != nil {
			t.Errorf("e1 %+v", e1)
		}
		if e3.Helpful != 1 || e3.NotHelpful != 1 || !e3.Deflected {
			t.Errorf("e3 %+v", e3)
		}
		if e4.Escalation == nil || e4.Escalation.State != bot.EscalationResolved || e4.Escalation.ResolvedBy != "UAGENT" ||
			e4.Escalation.HumanAnswer != "Your extension is being reviewed." || e4.Deflected {
			t.Errorf("e4 %+v %+v", e4, e4.Escalation)
		}
		if e6.Escalation == nil || e6.Escalation.Reason != bot.UserRequest || e6.Escalation.State != bot.EscalationOpen || e6.Deflected {
			t.Errorf("e6 %+v", e6)
		}
		n := 0
		stop := errors.New("stop")
		err = s.Conversations(ctx, scenarioPeriod, 3, func(bot.Conversation) error { n++; return nil })
		if err != nil || n != 3 {
			t.Errorf("limit 3: %d rows, %v", n, err)
		}
		if err := s.Conversations(ctx, scenarioPeriod, 100, func(bot.Conversation) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("fn's error not returned: %v", err)
		}
	})
}
