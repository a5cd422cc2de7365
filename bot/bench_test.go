package bot_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// BenchmarkAskOffline answers FAQ questions end to end without a model
// (retrieval, policy, extractive answer, citations). Besides the mean it
// reports the median and 99th percentile of single calls, which is what
// the 1 ms bar is about.
func BenchmarkAskOffline(b *testing.B) {
	bt, err := bot.New(faqStore(b), bot.Options{})
	if err != nil {
		b.Fatal(err)
	}
	questions := []string{
		"Can I request an extension for outbound marketing?",
		"what happens to marketing lists after removal",
		"How many contacts does real-time journeys support?",
		"is the email designer different in RTJ",
		"What is the capital of France?",
	}
	var took []time.Duration
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, err := bt.Ask(context.Background(), bot.Question{Text: questions[i%len(questions)]}); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		i++
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkClassify is the escalation policy alone, on questions of the
// kinds it reads: a plain one, a long pasted ticket, an order, a foreign one.
func BenchmarkClassify(b *testing.B) {
	questions := []string{
		"What happens to my outbound segments after the removal?",
		"Hi team, customer (contoso, EU, env prod-mkt) reports that since the last update the outbound registration form for their partner summit no longer submits and they have 300 sign-ups pending. They asked whether we can look into it today or open a case with Microsoft for them.",
		"need outbound kept on through the holidays. make it happen",
		"Können wir die Abschaltung von outbound für unsere Firma um ein paar Monate verschieben?",
	}
	i := 0
	for b.Loop() {
		bot.Classify(questions[i%len(questions)])
		i++
	}
}
