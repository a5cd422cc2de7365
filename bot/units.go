package bot

import (
	"strings"
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
	// points elsewhere ("See also …"); date that it states an absolute
	// date; leans that it points back at the unit before it.
	fate, pointer, date, leans bool
	// bold are the terms of what it bolds: what a list item is about.
	bold map[string]bool
	// starts are where its words begin, wordTerms the terms of each word
	// (with what follows it up to the next), for answerNearTerms.
	starts    []int
	wordTerms [][]string
}

func newQuotable(t string) quotable {
	q := quotable{text: t, terms: retrieval.Terms(t), fate: fate.MatchString(t), pointer: pointer.MatchString(t), date: retrieval.HoldsDate(t), leans: leans(t)}
	for _, typ := range []retrieval.AnswerTypes{retrieval.TimeAnswer, retrieval.AmountAnswer, retrieval.PriceAnswer} {
		if retrieval.Holds(t, typ) {
			q.holds |= typ
		}
	}
	q.starts = wordStarts(t)
	q.wordTerms = make([][]string, len(q.starts))
	for i, s := range q.starts {
		end := len(t)
		if i+1 < len(q.starts) {
			end = q.starts[i+1]
		}
		q.wordTerms[i] = retrieval.Terms(t[s:end])
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

// sectionFacts are what answerability asks of the best section's text on
// every question it comes first for.
type sectionFacts struct {
	text retrieval.TextFacts
	// words is the text's length in words.
	words int
}

func factsOf(s *corpus.Section) sectionFacts {
	return sectionFacts{text: retrieval.FactsOf(s.Plain), words: len(strings.Fields(s.Plain))}
}

// unitCache keeps each section's quotable units and facts for the serving
// corpus version, so that answering does not split, stem and search the
// same sections on every question. A new version replaces the cache,
// which keeps it bounded by one corpus.
type unitCache struct {
	mu      sync.Mutex
	version string
	units   map[*corpus.Section][]quotable
	facts   map[*corpus.Section]sectionFacts
}

// reset starts over for corpus version v if the cache holds another one.
// The caller holds mu.
func (c *unitCache) reset(v string) {
	if c.version != v || c.units == nil {
		c.version, c.units, c.facts = v, map[*corpus.Section][]quotable{}, map[*corpus.Section]sectionFacts{}
	}
}

// factsFor returns the facts of s, from corpus version v.
func (c *unitCache) factsFor(v string, s *corpus.Section) sectionFacts {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reset(v)
	f, ok := c.facts[s]
	if !ok {
		f = factsOf(s)
		c.facts[s] = f
	}
	return f
}

// of returns the quotable units of s, from corpus version v.
func (c *unitCache) of(v string, s *corpus.Section) []quotable {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reset(v)
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
