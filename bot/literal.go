package bot

import (
	"regexp/syntax"
	"unicode/utf8"

	"github.com/faqbot/faqbot/internal/literal"
)

// injectionGate holds the words every injected instruction contains
// ("ignore", "pretend", "system prompt"…): a question without any is not
// run through injection, which costs more than reading all its intents.
var injectionGate = literal.NewGate(injection.String())

// requiredLiteral returns the longest literal every match of pattern
// contains ("" when none is certain): "d[ée]cal(?:er|e)" must contain
// "cal", "(?:won't|wont) \w+ any ?more" must contain " any". A phrase is
// only run against text that holds its literal, which skips most of the
// hundreds of phrases for any one question.
func requiredLiteral(pattern string) string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return ""
	}
	return longestRequired(re.Simplify())
}

func longestRequired(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return ""
		}
		return string(re.Rune)
	case syntax.OpCapture, syntax.OpPlus:
		return longestRequired(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return longestRequired(re.Sub[0])
		}
	case syntax.OpConcat:
		best := ""
		for _, sub := range re.Sub {
			if lit := longestRequired(sub); utf8.RuneCountInString(lit) > utf8.RuneCountInString(best) {
				best = lit
			}
		}
		return best
	}
	return ""
}

// grams records which 2- and 3-byte sequences a text holds, hashed into a
// bitset: a phrase whose literal starts with a sequence the text lacks
// cannot match, and asking costs a bit test instead of a substring search.
// False positives only cost the search that would have run anyway.
type grams [1 << 10]uint64

// fill records text's sequences in g (8 KB, which a caller may keep on
// its stack rather than allocate for every question).
func (g *grams) fill(text string) {
	for i := 0; i+1 < len(text); i++ {
		g.set(gramHash(text[i], text[i+1], 0, 2))
		if i+2 < len(text) {
			g.set(gramHash(text[i], text[i+1], text[i+2], 3))
		}
	}
}

func gramHash(a, b, c byte, n uint32) uint32 {
	h := (uint32(a)*31+uint32(b))*31 + uint32(c)
	h = h*2654435761 + n
	return h >> 16
}

func (g *grams) set(h uint32) { g[h>>6] |= 1 << (h & 63) }

func (g *grams) has(h uint32) bool { return g[h>>6]&(1<<(h&63)) != 0 }

// gramOf is the hash of lit's first sequence, which a text must hold to
// hold lit; false when lit is too short to have one.
func gramOf(lit string) (uint32, bool) {
	switch {
	case len(lit) >= 3:
		return gramHash(lit[0], lit[1], lit[2], 3), true
	case len(lit) == 2:
		return gramHash(lit[0], lit[1], 0, 2), true
	}
	return 0, false
}

// mayContain reports whether text may hold lit, whose first sequence's
// hash is gram (from gramOf, ok when it has one): false means it does not.
func (g *grams) mayContain(gram uint32, ok bool) bool { return !ok || g.has(gram) }
