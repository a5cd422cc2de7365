package retrieval

import (
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"

	"github.com/faqbot/faqbot/internal/literal"
)

// abbreviations are the short forms people use for this product family. They
// are expanded in questions and documents alike, so "RTJ" finds
// "real-time journeys" and a page that says "OBM" is found for "outbound".
var abbreviations = map[string][]string{
	"rtj":    {"realtime", "journeys"},
	"rtm":    {"realtime", "marketing"},
	"obm":    {"outbound", "marketing"},
	"cij":    {"customer", "insights", "journeys"},
	"cid":    {"customer", "insights", "data"},
	"d365":   {"dynamics", "365"},
	"dyn365": {"dynamics", "365"},
}

// hyphenated forms that would otherwise split into meaningless letters, and
// "real-time", which is one product word: split, its "time" would match every
// question about time.
var hyphenated = literal.MustCompile(`\b(ci)[- ]?([jd])(?:ourneys|ata)?\b|\b(e)-(mail)|\b(real)[- ](time)\b`)

// extraStopWords are question fillers that say nothing about the topic.
var extraStopWords = map[string]bool{
	"can": true, "could": true, "would": true, "will": true, "shall": true,
	"may": true, "might": true, "must": true, "please": true, "also": true,
	"still": true, "get": true, "us": true, "anything": true, "something": true,
	"etc": true, "like": true, "want": true, "know": true, "tell": true,
	"exactly": true, "yet": true, "now": true,
	// Chat shorthand and contractions typed without the apostrophe.
	"pls": true, "plz": true, "thx": true, "thanks": true, "rn": true, "asap": true, "fyi": true, "btw": true,
	"tbh": true, "imo": true, "imho": true, "ppl": true, "u": true, "ur": true, "hi": true, "hello": true, "hey": true,
	"dont": true, "doesnt": true, "didnt": true, "cant": true, "wont": true, "isnt": true, "arent": true,
	"wasnt": true, "werent": true, "shouldnt": true, "couldnt": true, "wouldnt": true, "havent": true, "hasnt": true,
	"im": true, "ive": true, "youre": true, "theyre": true, "whats": true, "thats": true, "theres": true, "lets": true,
}

// token is one content word of a text: its surface form, its index term
// (stem) and its position among all the text's words.
type token struct {
	word string
	term string
	pos  int
}

// typography folds typographic punctuation to plain ASCII. A Replacer is
// immutable once built and safe for concurrent use.
var typography = strings.NewReplacer("’", "'", "‘", "'", "–", "-", "—", "-")

// fold lower-cases text and folds typographic punctuation.
func fold(text string) string {
	s := strings.ToLower(text)
	s = typography.Replace(s)
	if strings.Contains(s, "-") || strings.Contains(s, "real time") {
		s = hyphenated.ReplaceAllString(s, "$1$2$3$4$5$6")
	}
	return s
}

// words splits text into lower-case words with abbreviations expanded,
// keeping stop words (phrases such as "more time" need them).
func words(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(fold(text), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'')
	}) {
		w = strings.TrimSuffix(strings.Trim(w, "'"), "'s")
		if long, ok := abbreviations[w]; ok {
			out = append(out, long...)
		} else if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// tokens returns the content words of text: stop words dropped, the rest
// stemmed with the Snowball English stemmer so "licenses" meets "licensing".
func tokens(text string) []token {
	return contentTokens(words(text))
}

func contentTokens(ws []string) []token {
	return contentTokensOf(ws, nil)
}

// contentTokensOf is contentTokens with the words' stems already known
// (nil: stem here). A question's words are stemmed once and read by
// several steps.
func contentTokensOf(ws, stems []string) []token {
	if stems != nil {
		return contentTokensBy(ws, func(i int) string { return stems[i] })
	}
	return contentTokensBy(ws, func(i int) string { return english.Stem(ws[i], true) })
}

// contentTokensBy is contentTokens with stem giving the i-th word's stem,
// asked only of content words.
func contentTokensBy(ws []string, stem func(i int) string) []token {
	var out []token
	for i, w := range ws {
		if english.IsStopWord(w) || extraStopWords[w] || isContraction(w) {
			continue
		}
		if len(w) == 1 && !unicode.IsDigit(rune(w[0])) {
			continue
		}
		out = append(out, token{word: w, term: stem(i), pos: i})
	}
	return out
}

// stemAll stems every word.
func stemAll(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = english.Stem(w, true)
	}
	return out
}

// isContraction drops "won't", "we're" and the like; the Snowball list
// spells only some of them.
func isContraction(w string) bool {
	return strings.HasSuffix(w, "n't") || strings.HasSuffix(w, "'ll") ||
		strings.HasSuffix(w, "'re") || strings.HasSuffix(w, "'ve") || strings.HasSuffix(w, "'d") || strings.HasSuffix(w, "'m")
}

// Terms returns the index terms (stems of content words, abbreviations
// expanded) of text: what the index matches on. Answer composition uses it
// to pick the sentences that carry a question's words.
func Terms(text string) []string {
	return termsOf(tokens(text))
}

// Terms is the package's Terms with the stems the searched index
// remembers: the same terms, found without stemming the words it knows.
func (r Ranking) Terms(text string) []string {
	ws := words(text)
	return termsOf(contentTokensBy(ws, func(i int) string { return r.stems.stem(ws[i]) }))
}

func termsOf(toks []token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.term
	}
	return out
}
