package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// mention is where a concept occurs, in words from the question's start.
type mention struct{ from, to int }

// maxMentions bounds the matches looked for per concept, which keeps the
// work linear in the question's length even for text built to match.
const maxMentions = 32

// mentions finds a concept's occurrences in lower-cased text that start and
// end at word boundaries, as word positions. keep, when set, may reject a
// match given the text before it.
func mentions(c concept, text string, g *grams, starts []int, keep func(before string) bool) []mention {
	var out []mention
	for _, p := range c.prefixed {
		if g.mayContain(p.gram, p.gramOK) && strings.Contains(text, p.literal) {
			out = append(out, matches(p.re, text, starts, keep)...)
		}
	}
	if !c.rest.empty() {
		out = append(out, matches(c.rest, text, starts, keep)...)
	}
	return out
}

// finder is a regular expression, or an alternation of them, as matches
// searches it.
type finder interface {
	FindStringIndex(s string) []int
}

// matches finds re's occurrences at word boundaries.
func matches(re finder, text string, starts []int, keep func(before string) bool) []mention {
	var out []mention
	for off, tries := 0, 0; off < len(text) && tries < 4*maxMentions && len(out) < maxMentions; tries++ {
		loc := re.FindStringIndex(text[off:])
		if loc == nil {
			break
		}
		from, to := off+loc[0], off+loc[1]
		if to == from || !boundaryBefore(text, from) || !boundaryAt(text, to) {
			_, size := utf8.DecodeRuneInString(text[from:])
			off = from + max(size, 1)
			continue
		}
		if keep == nil || keep(text[:from]) {
			out = append(out, mention{from: wordAt(starts, from), to: wordAt(starts, to-1)})
		}
		off = to
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func boundaryBefore(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return i == 0 || !isWordRune(r)
}

func boundaryAt(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return i == len(text) || !isWordRune(r)
}

// wordStarts returns the byte offset at which each word of text begins.
func wordStarts(text string) []int {
	var starts []int
	in := false
	for i, r := range text {
		letter := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\''
		if letter && !in {
			starts = append(starts, i)
		}
		in = letter
	}
	return starts
}

// wordAt is the index of the word at or before byte offset off.
func wordAt(starts []int, off int) int {
	lo, hi := 0, len(starts)
	for lo < hi {
		m := (lo + hi) / 2
		if starts[m] <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return max(0, lo-1)
}

// outside keeps the mentions of xs that overlap no mention of ms:
// "social posting" names a thing, it is no request to post.
func outside(xs, ms []mention) []mention {
	var out []mention
	for _, x := range xs {
		inside := false
		for _, m := range ms {
			inside = inside || (x.from <= m.to && m.from <= x.to)
		}
		if !inside {
			out = append(out, x)
		}
	}
	return out
}

// near reports whether some mention of a lies within span words of some
// mention of b (overlapping counts: "keep outbound running" is both).
func near(a, b []mention, span int) bool {
	for _, x := range a {
		for _, y := range b {
			if x.from <= y.to+span && y.from <= x.to+span {
				return true
			}
		}
	}
	return false
}
