package retrieval

import "github.com/kljensen/snowball/english"

// stemMemo remembers the stem of every word an index was built from: the
// corpus's and the question pools' words, stop words included. Snowball
// stemming is most of the cost of analysing text, and the same few
// thousand words recur in every passage and every question; a question
// is made of them too, so its words are looked up rather than stemmed.
//
// An index fills its memo while it is built, in one goroutine (keep), and
// only reads it afterwards (stem), from any number of searches at once: a
// word it has not seen is stemmed and not kept, so the memo never grows
// and needs no lock. A nil memo stems everything.
type stemMemo struct {
	stems map[string]string
}

func newStemMemo() *stemMemo { return &stemMemo{stems: map[string]string{}} }

// stem returns the Snowball stem of a lower-case word.
func (m *stemMemo) stem(w string) string {
	if m != nil {
		if s, ok := m.stems[w]; ok {
			return s
		}
	}
	return english.Stem(w, true)
}

// keep is stem that remembers the word; only while the index is built.
func (m *stemMemo) keep(w string) string {
	s, ok := m.stems[w]
	if !ok {
		s = english.Stem(w, true)
		m.stems[w] = s
	}
	return s
}

// all stems every word.
func (m *stemMemo) all(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = m.stem(w)
	}
	return out
}

// keepAll is all that remembers the words; only while the index is built.
func (m *stemMemo) keepAll(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = m.keep(w)
	}
	return out
}

// tokens is tokens with the memo, remembering the words; only while the
// index is built.
func (m *stemMemo) tokens(text string) []token {
	ws := words(text)
	return contentTokensOf(ws, m.keepAll(ws))
}
