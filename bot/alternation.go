package bot

import (
	"regexp"
	"strings"

	"github.com/faqbot/faqbot/internal/literal"
)

// alternation matches phrases as their alternation "(?:a|b|…)" with
// leftmost-longest matching would, one phrase at a time: a phrase whose
// literals the text lacks is not run, and a phrase of its own is a small
// program, which the regexp package runs many times faster than one made
// of all of them (timeAsk's took 0.1 ms per question).
//
// The match of an alternation is at the leftmost position where one of its
// phrases matches, and is the longest match there of any of them: so it
// is the leftmost of the phrases' own leftmost-longest matches, the
// longest among those that tie. A phrase that opens with a group,
// "(?:until|till) (?:…)", is the alternation of its branches, "until (?:…)"
// and "till (?:…)", each of which starts with a literal that the regexp
// package looks for before it runs anything.
type alternation struct {
	phrases []gatedPhrase
	source  string
}

type gatedPhrase struct {
	gate literal.Gate
	re   *regexp.Regexp
}

// maxBranches bounds how many phrases one phrase may be split into.
const maxBranches = 64

// newAlternation compiles phrases for leftmost-longest matching.
func newAlternation(phrases []string) alternation {
	a := alternation{source: `(?:` + strings.Join(phrases, `|`) + `)`}
	for _, p := range phrases {
		for _, b := range branches(p, maxBranches) {
			re := regexp.MustCompile(b)
			re.Longest()
			a.phrases = append(a.phrases, gatedPhrase{gate: literal.NewGate(b), re: re})
		}
	}
	return a
}

// FindStringIndex is regexp's FindStringIndex for the alternation of the
// phrases, with leftmost-longest matching.
func (a alternation) FindStringIndex(s string) []int {
	var best []int
	for _, p := range a.phrases {
		if !p.gate.Open(s) {
			continue
		}
		loc := p.re.FindStringIndex(s)
		if loc != nil && (best == nil || loc[0] < best[0] || (loc[0] == best[0] && loc[1] > best[1])) {
			best = loc
		}
	}
	return best
}

// String returns the alternation as one pattern.
func (a alternation) String() string { return a.source }

// empty reports whether there are no phrases.
func (a alternation) empty() bool { return len(a.phrases) == 0 }

// branches splits a phrase that opens with a group into one phrase per
// branch, "(?:a|b)c" into "ac" and "bc", and one whose first group is
// optional, "(?:a )?b", into "a b" and "b"; the branches split further the
// same way. Together they match what the phrase matches. A phrase that
// cannot be split, or would make more than max, is kept whole.
func branches(p string, max int) []string {
	inner, rest, quantifier, ok := leadingGroupOf(p)
	if !ok || (quantifier != "" && quantifier != "?") {
		return []string{p}
	}
	heads := splitTop(inner)
	if quantifier == "?" {
		heads = append(heads, "")
	}
	var out []string
	for _, h := range heads {
		for _, b := range branches(h+rest, max) {
			if len(out) == max {
				return []string{p}
			}
			out = append(out, b)
		}
	}
	return out
}

// leadingGroupOf splits "(?:inner)q rest" where q is a quantifier or
// nothing. It refuses groups that set flags or capture, whose meaning a
// split would change.
func leadingGroupOf(p string) (inner, rest, quantifier string, ok bool) {
	if !strings.HasPrefix(p, "(?:") {
		return "", "", "", false
	}
	depth := 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '[':
			i = classEnd(p, i)
			if i < 0 {
				return "", "", "", false
			}
		case '(':
			if i > 0 && !strings.HasPrefix(p[i:], "(?:") {
				return "", "", "", false // a capture or a flag
			}
			depth++
		case ')':
			depth--
			if depth == 0 {
				inner, rest = p[3:i], p[i+1:]
				if rest != "" && strings.ContainsRune("?*+{", rune(rest[0])) {
					quantifier = rest[:1]
					if quantifier == "{" || (len(rest) > 1 && (rest[1] == '?' || rest[1] == '+')) {
						return "", "", "", false // counted, lazy or possessive
					}
					rest = rest[1:]
				}
				return inner, rest, quantifier, true
			}
		}
	}
	return "", "", "", false
}

// classEnd returns the index of the "]" that closes the class opening at
// p[i], or -1.
func classEnd(p string, i int) int {
	j := i + 1
	if j < len(p) && p[j] == '^' {
		j++
	}
	if j < len(p) && p[j] == ']' {
		j++ // a leading "]" is a literal
	}
	for ; j < len(p); j++ {
		switch p[j] {
		case '\\':
			j++
		case '[':
			if strings.HasPrefix(p[j:], "[:") {
				if k := strings.Index(p[j:], ":]"); k >= 0 {
					j += k + 1
				}
			}
		case ']':
			return j
		}
	}
	return -1
}

// splitTop splits a group's inside at its top-level "|".
func splitTop(s string) []string {
	var out []string
	depth, from := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '[':
			if i = classEnd(s, i); i < 0 {
				return []string{s}
			}
		case '(':
			depth++
		case ')':
			depth--
		case '|':
			if depth == 0 {
				out = append(out, s[from:i])
				from = i + 1
			}
		}
	}
	return append(out, s[from:])
}
