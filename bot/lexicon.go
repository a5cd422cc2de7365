package bot

import (
	_ "embed"
	"regexp"
	"strings"
)

//go:embed intents.txt
var intentPhrases string

// lexicon holds the literal phrases of each intent (bot/intents.txt),
// which extend the concepts' hand-written patterns.
var lexicon = parseLexicon(intentPhrases)

// parseLexicon reads "[intent]" headings, each followed by one phrase a
// line; "#" starts a comment.
func parseLexicon(text string) map[string][]string {
	out := map[string][]string{}
	intent := ""
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			intent = line[1 : len(line)-1]
		case intent != "":
			out[intent] = append(out[intent], strings.ToLower(line))
		}
	}
	return out
}

// with adds intents' phrases, as literals, to a concept's patterns.
func with(alts []string, intents ...string) []string {
	out := append([]string(nil), alts...)
	for _, intent := range intents {
		for _, p := range lexicon[intent] {
			out = append(out, regexp.QuoteMeta(p))
		}
	}
	return out
}
