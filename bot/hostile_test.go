package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/internal/heaptest"
)

// longWord is one word of n letters, the shape that made typo correction
// cost the square of its length before issue 11.
func longWord(n int) string { return strings.Repeat("a", n) }

// A long word costs at most linear work, whether it is answered (up to
// bot.MaxQuestionChars), refused as too long, or sits in the thread's
// earlier turns; the question around it is still read.
func TestAskLongWordsCostBoundedWork(t *testing.T) {
	b := offlineBot(t, today)
	ctx := context.Background()
	ask := func(q bot.Question) bot.Answer {
		a, err := b.Ask(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	normalQ := bot.Question{Text: "What happens to my segments after the transition?"}
	ask(normalQ) // the first answer fills caches no later one pays for
	normal := heaptest.Allocated(func() { ask(normalQ) })
	manyLong := make([]bot.Turn, 3*bot.MaxHistoryTurns)
	for i := range manyLong {
		manyLong[i] = bot.Turn{Role: []bot.Role{bot.RoleUser, bot.RoleBot}[i%2], Text: longWord(30000)}
	}
	tests := []struct {
		name    string
		q       bot.Question
		tooLong int // the length TooLongText must name; 0 = an answer
		reason  bot.Reason
	}{
		{name: "1,000 letters", q: bot.Question{Text: longWord(1000)}},
		{name: "a word of the whole limit", q: bot.Question{Text: longWord(bot.MaxQuestionChars)}},
		{name: "an extension request ending in a long word", q: bot.Question{Text: "Can we get an extension past June 30? " + longWord(3900)}, reason: bot.ExtensionRequest},
		{name: "one letter over the limit", q: bot.Question{Text: longWord(bot.MaxQuestionChars + 1)}, tooLong: bot.MaxQuestionChars + 1},
		{name: "30,000 letters", q: bot.Question{Text: longWord(30000)}, tooLong: 30000},
		{name: "30,000 accented letters", q: bot.Question{Text: strings.Repeat("é", 30000)}, tooLong: 30000},
		{name: "a follow-up after 30 turns of 30,000 letters", q: bot.Question{Text: "and what about it?", History: manyLong}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a bot.Answer
			got := heaptest.Allocated(func() { a = ask(tt.q) })
			heaptest.WithinSlack(t, tt.name, normal, got)
			if tt.tooLong > 0 {
				if a.Text != bot.TooLongText(tt.tooLong) || a.Answered || len(a.Citations) != 0 {
					t.Errorf("reply %q (answered %v, %d citations), want the too-long reply naming %d characters", a.Text, a.Answered, len(a.Citations), tt.tooLong)
				}
				return
			}
			checkContract(t, a)
			if a.EscalationReason != tt.reason {
				t.Errorf("reason %q, want %q:\n%s", a.EscalationReason, tt.reason, a.Text)
			}
			if strings.Contains(a.Text, "too long") {
				t.Errorf("a question within the limit got the too-long reply:\n%s", a.Text)
			}
		})
	}
}

// pastedTicket is ordinary prose of the kind people paste into a question.
const pastedTicket = "Hi team, customer (contoso, EU, env prod-mkt) reports that since the last update the outbound registration form for their partner summit no longer submits and they have 300 sign-ups pending. They asked whether we can look into it today or open a case with Microsoft for them. "

// BenchmarkAskLongWord asks one word of each length end to end, offline.
// Up to bot.MaxQuestionChars the word is read (classified, searched,
// answered or abstained from); beyond it the work is counting its
// characters for the too-long reply. Both grow linearly with the length.
// prose=4000 is a question of ordinary sentences as long as the limit, for
// comparison: what a long question costs, whatever its words.
func BenchmarkAskLongWord(b *testing.B) {
	bt, err := bot.New(faqStore(b), bot.Options{})
	if err != nil {
		b.Fatal(err)
	}
	run := func(name, text string) {
		q := bot.Question{Text: text}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bt.Ask(context.Background(), q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, n := range []int{1000, 2000, 4000, 8000, 30000} {
		run(fmt.Sprintf("letters=%d", n), longWord(n))
	}
	run("prose=4000", strings.Repeat(pastedTicket, bot.MaxQuestionChars/len(pastedTicket)+1)[:bot.MaxQuestionChars])
}
