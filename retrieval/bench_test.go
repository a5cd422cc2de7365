package retrieval

import (
	"context"
	"testing"
)

var benchQuestions = []string{
	"Can I request an extension for outbound marketing?",
	"what happens to marketing lists after removal",
	"How many contacts does real-time journeys support?",
	"is the email designer different in RTJ",
	"What is the capital of France?",
}

func BenchmarkSearchFAQ(b *testing.B) {
	ix := faqIndex(b)
	for _, mode := range []Mode{Fused, LexicalOnly, DenseOnly} {
		b.Run(mode.String(), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := ix.Search(context.Background(), Query{Text: benchQuestions[i%len(benchQuestions)], K: 3, Mode: mode}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
