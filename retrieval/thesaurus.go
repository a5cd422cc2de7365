package retrieval

import (
	_ "embed"
	"strings"

	"github.com/kljensen/snowball/english"
)

//go:embed thesaurus.txt
var defaultThesaurus string

// synonymWeight discounts a match found through a synonym: the question did
// not use the document's word, so the match is likelier to be a near miss.
const synonymWeight = 0.6

// thesaurus expands question phrases into their synonyms.
type thesaurus struct {
	byFirst map[string][]*phrase // first word's stem -> phrases
	groups  [][]*phrase
}

type phrase struct {
	stems []string // every word, stemmed, for matching
	terms []string // content terms, for searching
	group int
	// target marks the left side of a one-way group ("en = de, nl"):
	// other phrases of the group expand to it, it expands to nothing.
	target, oneWay bool
}

// synonym is one expansion of a question: a phrase of the group that the
// question matched, and the question word it stands in for (-1 when the
// matched phrase had no content word).
type synonym struct {
	terms []string
	word  int
}

func parseThesaurus(text string) *thesaurus {
	th := &thesaurus{byFirst: map[string][]*phrase{}}
	group := 0
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		th.groups = append(th.groups, nil)
		left, right, oneWay := strings.Cut(line, " = ")
		phrases := strings.Split(left, ",")
		targets := len(phrases)
		if oneWay {
			phrases = append(phrases, strings.Split(right, ",")...)
		}
		for i, p := range phrases {
			ws := words(p)
			if len(ws) == 0 {
				continue
			}
			ph := &phrase{group: group, oneWay: oneWay, target: oneWay && i < targets}
			for _, w := range ws {
				ph.stems = append(ph.stems, english.Stem(w, true))
			}
			for _, t := range contentTokens(ws) {
				ph.terms = append(ph.terms, t.term)
			}
			th.byFirst[ph.stems[0]] = append(th.byFirst[ph.stems[0]], ph)
			th.groups[group] = append(th.groups[group], ph)
		}
		group++
	}
	return th
}

// expand finds the thesaurus phrases in a question and returns the other
// phrases of their groups. stems are the question's words stemmed, toks its content
// tokens. One-way groups (translations) take part only in questions
// written in another language: in English ones their phrases would only
// link English words that happen to share a stem with a foreign one.
func (th *thesaurus) expand(stems []string, toks []token, foreign bool) []synonym {
	if th == nil {
		return nil
	}
	tokenAt := map[int]int{} // word position -> token index
	for i, t := range toks {
		tokenAt[t.pos] = i
	}
	matched := map[int]int{} // group -> question token it stands for
	var order []int
	for i := range stems {
		for _, ph := range th.byFirst[stems[i]] {
			if i+len(ph.stems) > len(stems) || !equalStems(stems[i:i+len(ph.stems)], ph.stems) {
				continue
			}
			if _, dup := matched[ph.group]; dup || ph.target || (ph.oneWay && !foreign) {
				continue
			}
			word := -1
			for j := i; j < i+len(ph.stems); j++ {
				if t, ok := tokenAt[j]; ok {
					word = t
					break
				}
			}
			matched[ph.group] = word
			order = append(order, ph.group)
		}
	}
	var out []synonym
	for _, g := range order {
		for _, ph := range th.groups[g] {
			if ph.oneWay && !ph.target {
				continue // one-way groups expand to their targets only
			}
			if len(ph.terms) > 0 {
				out = append(out, synonym{terms: ph.terms, word: matched[g]})
			}
		}
	}
	return out
}

func equalStems(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
