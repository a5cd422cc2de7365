package bot_test

import (
	"context"
	"testing"

	"github.com/faqbot/faqbot/bot"
)

func BenchmarkAskOffline(b *testing.B) {
	bt := bot.New(faqStore(b), bot.Options{})
	questions := []string{
		"Can I request an extension for outbound marketing?",
		"what happens to marketing lists after removal",
		"How many contacts does real-time journeys support?",
		"is the email designer different in RTJ",
		"What is the capital of France?",
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := bt.Ask(context.Background(), bot.Question{Text: questions[i%len(questions)]}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
