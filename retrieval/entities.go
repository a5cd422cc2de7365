package retrieval

import (
	_ "embed"
	"strings"

	"github.com/kljensen/snowball/english"
)

//go:embed entities.txt
var entityNames string

// entities recognises the named things of the domain in a question
// ("a/b testing", "dkim", "power automate", "hubspot"): what a question is
// specifically about, which the answering section must mention.
type entities struct {
	byFirst map[string][][]string // first word's stem -> phrases, as stems
}

func parseEntities(text string) *entities {
	e := &entities{byFirst: map[string][][]string{}}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ws := entityWords(line)
		if len(ws) == 0 {
			continue
		}
		e.byFirst[ws[0]] = append(e.byFirst[ws[0]], ws)
	}
	return e
}

// entityWords are a text's words as stems, single letters kept: "a/b" is
// two words here, where search drops them.
func entityWords(text string) []string {
	ws := words(text)
	for i, w := range ws {
		ws[i] = english.Stem(w, true)
	}
	return ws
}

// find returns, for each question word position, whether it belongs to a
// named thing. stems are the question's words (as words returns them),
// stemmed.
func (e *entities) find(stems []string) []bool {
	in := make([]bool, len(stems))
	for i := range stems {
		for _, ph := range e.byFirst[stems[i]] {
			if i+len(ph) <= len(stems) && equalStems(stems[i:i+len(ph)], ph) {
				for j := i; j < i+len(ph); j++ {
					in[j] = true
				}
			}
		}
	}
	return in
}
