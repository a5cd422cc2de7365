package bot

import (
	"regexp"
	"strings"
)

// concept is one idea and the phrases that express it. Each phrase that
// must contain a literal is tried only when the text contains that literal:
// a question holds few of the hundreds of phrases, and running one
// alternation of all of them costs more than the rest of answering.
type concept struct {
	name     string
	prefixed []phrase
	rest     alternation // phrases without a required literal
}

type phrase struct {
	literal string
	// gram is the hash of the literal's first letters (gramOf), worked out
	// once rather than for every question.
	gram   uint32
	gramOK bool
	re     *regexp.Regexp
}

// newConcept compiles phrases written in lower case; they are matched
// against lower-cased text.
func newConcept(name string, alternatives []string) concept {
	c := concept{name: name}
	var rest []string
	for _, alt := range expandLeading(alternatives) {
		re := regexp.MustCompile(alt)
		// Leftmost-longest: "mov(?:e|ed)" must take all of "moved", or
		// the match would end inside the word and be dropped.
		re.Longest()
		if lit := requiredLiteral(alt); len(lit) >= 2 {
			gram, ok := gramOf(lit)
			c.prefixed = append(c.prefixed, phrase{literal: lit, gram: gram, gramOK: ok, re: re})
		} else {
			rest = append(rest, alt)
		}
	}
	c.rest = newAlternation(rest)
	return c
}

// expandLeading rewrites phrases that open with a plain alternation,
// "(?:can't|cannot) make it", into one phrase per branch, "can't make it"
// and "cannot make it", so that each has a literal start to look for.
func expandLeading(alts []string) []string {
	var out []string
	for _, alt := range alts {
		branches, rest, ok := leadingGroup(alt)
		if !ok {
			out = append(out, alt)
			continue
		}
		for _, b := range branches {
			out = append(out, b+rest)
		}
	}
	return out
}

// leadingGroup splits "(?:a|b)rest" into its branches and rest when the
// group holds no other group and is not itself repeated or optional.
func leadingGroup(alt string) (branches []string, rest string, ok bool) {
	if !strings.HasPrefix(alt, "(?:") {
		return nil, "", false
	}
	end := strings.IndexByte(alt, ')')
	inner := alt[3:max(3, end)]
	if end < 0 || strings.ContainsAny(inner, "()[]") || strings.HasPrefix(alt[end+1:], "?") ||
		strings.HasPrefix(alt[end+1:], "*") || strings.HasPrefix(alt[end+1:], "+") || strings.HasPrefix(alt[end+1:], "{") {
		return nil, "", false
	}
	return strings.Split(inner, "|"), alt[end+1:], true
}

// w lists a concept's phrases. Matches must start and end at word
// boundaries, which mentions checks itself: \b knows only ASCII letters,
// and a boundary matched as a character would be consumed and hide the
// next word's start.
func w(alts ...string) []string { return alts }
