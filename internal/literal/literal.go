// Package literal tells cheaply when a regular expression cannot match a
// text. Every match of most patterns holds one of a few literal strings
// ("when", "how long", "deadline" for a question asking a time); a text
// that holds none of them needs no regular expression run, and a
// substring search costs a fraction of one.
package literal

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxClass is the largest character class taken as a set of one-rune
// literals ("[45]", "\d"): a longer one says too little to be worth it.
const maxClass = 16

// Any returns strings one of which every match of pattern contains, or
// nil when there is no such set (a match may hold no literal at all, as
// "\w+" or "(?:a )?x*"). Case-insensitive parts hold no literal.
func Any(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	return anyOf(re.Simplify())
}

func anyOf(re *syntax.Regexp) []string {
	set := structuralAnyOf(re)
	if exact, ok := exactOf(re); ok && !slices.Contains(exact, "") && better(exact, set) {
		return exact
	}
	return set
}

func structuralAnyOf(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil
		}
		return []string{string(re.Rune)}
	case syntax.OpCharClass:
		return classOf(re)
	case syntax.OpCapture, syntax.OpPlus:
		return anyOf(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return anyOf(re.Sub[0])
		}
	case syntax.OpConcat:
		// Any part's set will do: every match holds a match of each part.
		// So will a run of parts that each match one of a few strings
		// ("wh" then "at date" or "ich date"), as the strings the run
		// matches. The set whose shortest literal is longest rules out
		// most.
		var best []string
		consider := func(set []string) {
			if set != nil && !slices.Contains(set, "") && better(set, best) {
				best = set
			}
		}
		var run []string // the strings the current run of exact parts matches
		inRun := false
		for _, sub := range re.Sub {
			set, ok := exactOf(sub)
			if !ok {
				if inRun {
					consider(run)
				}
				run, inRun = nil, false
				consider(anyOf(sub))
				continue
			}
			consider(set)
			if !inRun {
				run, inRun = []string{""}, true
			}
			if longer := product(run, set); longer != nil {
				run = longer
			} else {
				// Too many strings: the run so far is one set, and a new
				// run starts with this part.
				consider(run)
				run = set
			}
		}
		if inRun {
			consider(run)
		}
		return best
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			set := anyOf(sub)
			if set == nil {
				return nil
			}
			out = append(out, set...)
		}
		return out
	}
	return nil
}

// maxExact bounds the strings an exact set may hold.
const maxExact = 64

// exactOf returns every string re matches, when they are few: "what
// (?:date|day)" matches "what date" and "what day". Zero-width assertions
// match the empty string.
func exactOf(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		return []string{string(re.Rune)}, true
	case syntax.OpCharClass:
		set := classOf(re)
		return set, set != nil
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []string{""}, true
	case syntax.OpCapture:
		return exactOf(re.Sub[0])
	case syntax.OpQuest:
		set, ok := exactOf(re.Sub[0])
		if !ok {
			return nil, false
		}
		return union([]string{""}, set)
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			set, ok := exactOf(sub)
			if !ok {
				return nil, false
			}
			if out, ok = union(out, set); !ok {
				return nil, false
			}
		}
		return out, true
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			set, ok := exactOf(sub)
			if !ok {
				return nil, false
			}
			if out = product(out, set); out == nil {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// union is a and b without repeats, or false when that is too many.
func union(a, b []string) ([]string, bool) {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, len(out) <= maxExact
}

// product is every string of a followed by every string of b, or nil when
// that is too many.
func product(a, b []string) []string {
	if len(a)*len(b) > maxExact {
		return nil
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			if s := x + y; !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// classOf is a small character class as its runes; nil for a large or
// case-folded one.
func classOf(re *syntax.Regexp) []string {
	if re.Flags&syntax.FoldCase != 0 {
		return nil
	}
	var out []string
	for i := 0; i+1 < len(re.Rune); i += 2 {
		lo, hi := re.Rune[i], re.Rune[i+1]
		if hi-lo >= maxClass || len(out)+int(hi-lo)+1 > maxClass {
			return nil
		}
		for r := lo; r <= hi; r++ {
			out = append(out, string(r))
		}
	}
	return out
}

// goodLiteral is a literal long enough to be rare: a set of them is
// preferred for being small rather than for being longer still.
const goodLiteral = 5

// better prefers the set whose shortest literal has more letters, up to
// goodLiteral, then the smaller set: each literal costs a substring
// search. Spaces and punctuation do not count: " the " is as common as
// "the".
func better(a, b []string) bool {
	if b == nil {
		return true
	}
	if sa, sb := min(shortest(a), goodLiteral), min(shortest(b), goodLiteral); sa != sb {
		return sa > sb
	}
	return len(a) < len(b)
}

func shortest(set []string) int {
	n := -1
	for _, s := range set {
		l := 0
		for _, r := range s {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				l++
			}
		}
		if n < 0 || l < n {
			n = l
		}
	}
	return n
}

// Gate is a pattern's literals, to test texts against before running it.
type Gate struct {
	lits []string // nil: the pattern may match without any
	// runes holds the one-rune literals, tested in one pass.
	runes string
}

// NewGate returns the gate of pattern.
func NewGate(pattern string) Gate {
	var g Gate
	set := Any(pattern)
	if set == nil {
		return g
	}
	g.lits = []string{}
	var runes strings.Builder
	for _, s := range set {
		if utf8.RuneCountInString(s) == 1 {
			runes.WriteString(s)
		} else {
			g.lits = append(g.lits, s)
		}
	}
	g.runes = runes.String()
	return g
}

// Open reports whether the pattern may match text: false means it does
// not.
func (g Gate) Open(text string) bool {
	if g.lits == nil {
		return true
	}
	if g.runes != "" && strings.ContainsAny(text, g.runes) {
		return true
	}
	for _, s := range g.lits {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// Regexp is a regular expression behind its gate: texts that hold none of
// its literals are answered without running it, with what it would have
// answered.
type Regexp struct {
	gate Gate
	re   *regexp.Regexp
}

// MustCompile compiles pattern and its gate; it panics on a bad pattern,
// like regexp.MustCompile.
func MustCompile(pattern string) *Regexp {
	return &Regexp{gate: NewGate(pattern), re: regexp.MustCompile(pattern)}
}

// MatchString is regexp's MatchString.
func (r *Regexp) MatchString(s string) bool { return r.gate.Open(s) && r.re.MatchString(s) }

// FindAllString is regexp's FindAllString.
func (r *Regexp) FindAllString(s string, n int) []string {
	if !r.gate.Open(s) {
		return nil
	}
	return r.re.FindAllString(s, n)
}

// FindStringSubmatch is regexp's FindStringSubmatch.
func (r *Regexp) FindStringSubmatch(s string) []string {
	if !r.gate.Open(s) {
		return nil
	}
	return r.re.FindStringSubmatch(s)
}

// ReplaceAllString is regexp's ReplaceAllString.
func (r *Regexp) ReplaceAllString(src, repl string) string {
	if !r.gate.Open(src) {
		return src
	}
	return r.re.ReplaceAllString(src, repl)
}

// String returns the pattern.
func (r *Regexp) String() string { return r.re.String() }

// FindAllStringIndex is regexp's FindAllStringIndex.
func (r *Regexp) FindAllStringIndex(s string, n int) [][]int {
	if !r.gate.Open(s) {
		return nil
	}
	return r.re.FindAllStringIndex(s, n)
}
