package retrieval

import (
	"testing"

	"github.com/faqbot/faqbot/corpus"
)

// A text's facts answer as Holds and HoldsAmountOf answer of the text, for
// every kind of answer and the units questions count.
func TestFactsAnswerAsTheText(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"", "two weeks", "10 million contacts per month", "It costs $5 per contact.", "No limit.", "June 2025"}
	for _, s := range c.Sections() {
		texts = append(texts, s.Plain, s.Title)
	}
	units := []string{"days", "day", "contacts", "contact", "weeks", "months", "emails", "journeys", "interactions", "segments", "million", "x"}
	held := map[bool]int{}
	for _, text := range texts {
		f := FactsOf(text)
		for ty := AnswerTypes(0); ty < 1<<7; ty++ {
			got, want := f.Holds(ty), Holds(text, ty)
			if got != want {
				t.Errorf("FactsOf(%.40q).Holds(%07b) = %v, Holds says %v", text, ty, got, want)
			}
			held[want]++
		}
		for _, u := range units {
			got, want := f.HoldsAmountOf(u), HoldsAmountOf(text, u)
			if got != want {
				t.Errorf("FactsOf(%.40q).HoldsAmountOf(%q) = %v, HoldsAmountOf says %v", text, u, got, want)
			}
			held[want]++
		}
	}
	if held[true] == 0 || held[false] == 0 {
		t.Errorf("answers %v: the texts test only one side", held)
	}
}
