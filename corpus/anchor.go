package corpus

import (
	"strconv"
	"strings"
	"unicode"
)

// Anchor returns the fragment GitHub and Microsoft Learn give a heading:
// lower-case, every character that is not a letter, digit, space, '-' or '_'
// dropped, spaces turned into '-'.
func Anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// slugger hands out unique anchors within one document the way GitHub does:
// the second "Foo" becomes "foo-1", the third "foo-2".
type slugger struct{ seen map[string]int }

func newSlugger() *slugger { return &slugger{seen: map[string]int{}} }

func (s *slugger) anchor(heading string) string {
	base := Anchor(heading)
	n, dup := s.seen[base]
	s.seen[base] = n + 1
	if !dup {
		return base
	}
	for {
		candidate := base + "-" + strconv.Itoa(n)
		if _, taken := s.seen[candidate]; !taken {
			s.seen[candidate] = 1
			return candidate
		}
		n++
		s.seen[base] = n + 1
	}
}
