package retrieval

import (
	_ "embed"
	"math"
	"strings"
	"unicode/utf8"
)

//go:embed everyday.txt
var everydayWords string

// Specificity: how much a word says about what a question is after. Words
// of ordinary speech ("boss", "friday", "honestly") set the scene; words
// that ordinary speech hardly uses ("api", "webinar", "dkim", "hubspot")
// name the thing asked about, which an answer must cover. A word's rank
// among everyday words places it between the two.
const (
	// Words ranked above commonRank are everyday: specificity 0.
	commonRank = 1500
	// Words ranked below rareRank, or unranked, are specific: 1.
	rareRank = 25000
	// foreignSpecificity is for everyday words of the other languages
	// questions come in, which say little more than English ones do.
	foreignSpecificity = 0.3
)

// everyday ranks words by how often people use them in ordinary speech.
type everyday struct {
	rank         map[string]int32
	foreignWords map[string]bool
}

func parseEveryday(text string) *everyday {
	e := &everyday{rank: map[string]int32{}, foreignWords: map[string]bool{}}
	var r int32
	other := false
	for _, line := range strings.Split(text, "\n") {
		switch {
		case line == "# other languages":
			other = true
		case line == "" || strings.HasPrefix(line, "#"):
		case other:
			e.foreignWords[line] = true
		default:
			r++
			if _, ok := e.rank[line]; !ok {
				e.rank[line] = r
			}
		}
	}
	return e
}

// specificity is 0 for everyday words, 1 for specific ones, in between by
// rank on a log scale. Plurals and verb forms count as their base word
// where the base is more common.
func (e *everyday) specificity(word string) float64 {
	r, ok := e.rankOf(word)
	if !ok {
		if e.foreignWords[word] {
			return foreignSpecificity
		}
		return 1
	}
	switch {
	case r <= commonRank:
		return 0
	case r >= rareRank:
		return 1
	}
	return math.Log(float64(r)/commonRank) / math.Log(rareRank/commonRank)
}

// foreign reports whether words read as another language than English:
// several of them are not English words and are either everyday words of
// another language or written with accents English hardly uses
// ("supprimé", "prórroga").
func (e *everyday) foreign(ws []string) bool {
	n := 0
	for _, w := range ws {
		if _, english := e.rank[w]; !english && (e.foreignWords[w] || !isASCII(w)) {
			n++
		}
	}
	return n >= 2 || (n == 1 && len(ws) <= 4)
}

func isASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func (e *everyday) rankOf(word string) (int32, bool) {
	best, found := int32(0), false
	for _, w := range []string{word, strings.TrimSuffix(word, "s"), strings.TrimSuffix(word, "es"), strings.TrimSuffix(word, "ing"), strings.TrimSuffix(word, "ed")} {
		if r, ok := e.rank[w]; ok && (!found || r < best) {
			best, found = r, true
		}
	}
	return best, found
}
