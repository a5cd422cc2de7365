package bot

import (
	"sync"

	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/retrieval"
)

// quotable is a sentence or bullet of a section with what answering needs
// to know of it, worked out once per corpus version.
type quotable struct {
	text  string
	terms []string
	// holds are the kinds of answer it states (time, amount, price).
	holds retrieval.AnswerTypes
	// fate says it tells what becomes of something; pointer that it only
	// points elsewhere ("See also …"); date that it states an absolute date.
	fate, pointer, date bool
	// bold are the terms of what it bolds: what a list item is about.
	bold map[string]bool
}

func newQuotable(t string) quotable {
	q := quotable{text: t, terms: retrieval.Terms(t), fate: fate.MatchString(t), pointer: pointer.MatchString(t), date: retrieval.HoldsDate(t)}
	for _, typ := range []retrieval.AnswerTypes{retrieval.TimeAnswer, retrieval.AmountAnswer, retrieval.PriceAnswer} {
		if retrieval.Holds(t, typ) {
			q.holds |= typ
		}
	}
	for _, b := range bold.FindAllStringSubmatch(t, -1) {
		for _, term := range retrieval.Terms(b[1]) {
			if q.bold == nil {
				q.bold = map[string]bool{}
			}
			q.bold[term] = true
		}
	}
	return q
}

// unitCache keeps each section's quotable units for the serving corpus
// version, so that answering does not split and stem the same sections on
// every question. A new version replaces the cache, which keeps it bounded
// by one corpus.
type unitCache struct {
	mu      sync.Mutex
	version string
	units   map[*corpus.Section][]quotable
}

// of returns the quotable units of s, from corpus version v.
func (c *unitCache) of(v string, s *corpus.Section) []quotable {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != v || c.units == nil {
		c.version, c.units = v, map[*corpus.Section][]quotable{}
	}
	if us, ok := c.units[s]; ok {
		return us
	}
	texts := units(s.Text)
	us := make([]quotable, len(texts))
	for i, t := range texts {
		us[i] = newQuotable(t)
	}
	c.units[s] = us
	return us
}
