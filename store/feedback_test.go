package store

import (
	"context"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// A person's last choice on an answer is the one that counts; other
// people's, and feedback without a message or a recorded user, are kept.
func TestFeedbackLastChoicePerUserAndMessage(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		for _, tc := range []struct {
			ids  AskerPolicy
			want bot.FeedbackCounts
		}{
			{AskerHash, bot.FeedbackCounts{Helpful: 2, NotHelpful: 2}},
			{AskerNone, bot.FeedbackCounts{Helpful: 3, NotHelpful: 3}},
		} {
			s := db.open(t, Options{AskerIDs: tc.ids})
			ctx := context.Background()
			now := time.Now().UTC()
			from := now.Add(-time.Hour)
			before, err := s.Stats(ctx, bot.Period{From: from, To: now.Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			for i, f := range []bot.Feedback{
				{Kind: bot.FeedbackHelpful, User: "U1", Message: "C1/1.1"},
				{Kind: bot.FeedbackNotHelpful, User: "U1", Message: "C1/1.1"},
				{Kind: bot.FeedbackNotHelpful, User: "U1", Message: "C1/1.1", Comment: "out_of_date: old"},
				{Kind: bot.FeedbackHelpful, User: "U2", Message: "C1/1.1"},
				{Kind: bot.FeedbackNotHelpful, User: "U1", Message: "C1/2.2"},
				{Kind: bot.FeedbackHelpful, User: "U1"},
			} {
				f.Time = now.Add(time.Duration(i) * time.Millisecond)
				if err := s.RecordFeedback(ctx, f); err != nil {
					t.Fatal(err)
				}
			}
			st, err := s.Stats(ctx, bot.Period{From: from, To: now.Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			got := bot.FeedbackCounts{Helpful: st.Feedback.Helpful - before.Feedback.Helpful, NotHelpful: st.Feedback.NotHelpful - before.Feedback.NotHelpful}
			if got != tc.want {
				t.Errorf("asker ids %s: feedback %+v, want %+v", tc.ids, got, tc.want)
			}
			s.Close()
		}
	})
}
