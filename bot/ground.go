package bot

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/retrieval"
)

// A model's answer is shown only sentence by sentence as far as the FAQ
// bears it out. verify makes sure markers point at real sources; ground
// checks what each sentence says against the sources it cites (or, for a
// sentence without a marker, against all the answer cites): every date,
// number and named product or feature in it must appear there, most of
// its content words too, and it must not assert what the source denies
// ("granted automatically" where the FAQ says "aren't automatic").
// Sentences that fail are dropped.

// minGroundedShare is the least share of a sentence's content words that
// its sources (or the question) must contain, once it has minGroundedTerms
// of them; shorter ones ("See [1].") assert too little to measure.
const (
	minGroundedShare = 0.5
	minGroundedTerms = 3
)

var (
	// numberLike finds numbers as written: "100", "30,000", "2027", "1.5".
	numberLike = regexp.MustCompile(`\d[\d,.]*\d|\d`)
	// numberWords are the numbers the FAQ writes out.
	numberWords = map[string]string{
		"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
		"eight": "8", "nine": "9", "ten": "10", "twelve": "12", "hundred": "100",
	}
	// negators turn a claim around.
	negators = regexp.MustCompile(`(?i)\b(not|no|never|without|cannot|can't|won't|isn't|aren't|doesn't|don't|didn't|wasn't|weren't|shouldn't|wouldn't|couldn't|nor|none|neither)\b|n't\b`)
	// properName is a capitalised word inside a sentence: a product, a
	// feature, a company.
	properName = regexp.MustCompile(`\b[A-Z][A-Za-z0-9]*(?:[- ][A-Z][A-Za-z0-9]*)*\b`)
)

// ground keeps the units of text that its sources bear out. cited are the
// sources in marker order ([n] is cited[n-1]); question is what was asked,
// whose own words a sentence may repeat. It returns the kept text and how
// many units it dropped.
func ground(text string, cited []*corpus.Section, question string) (string, int) {
	all := evidence(cited, nil)
	asked := termSet(question)
	var kept []string
	dropped := 0
	for _, para := range strings.Split(text, "\n\n") {
		var keep []string
		for _, u := range units(para) {
			if grounded(u, evidenceFor(u, cited, all), asked) {
				keep = append(keep, u)
			} else {
				dropped++
			}
		}
		if len(keep) > 0 {
			kept = append(kept, joinUnits(keep))
		}
	}
	return strings.Join(kept, "\n\n"), dropped
}

// joinUnits puts a paragraph's kept units back together: list items on
// lines of their own, sentences with a space.
func joinUnits(us []string) string {
	var b strings.Builder
	for i, u := range us {
		if i > 0 {
			if strings.HasPrefix(u, "- ") || strings.HasPrefix(us[i-1], "- ") || isNumbered(u) {
				b.WriteString("\n")
			} else {
				b.WriteString(" ")
			}
		}
		b.WriteString(u)
	}
	return b.String()
}

// proof is the text a sentence is checked against.
type proof struct {
	text  string // lower-cased
	terms map[string]bool
	sents []string // lower-cased sentences, for negation
}

func evidence(secs []*corpus.Section, only []int) proof {
	var parts []string
	for i, s := range secs {
		if only != nil && !containsInt(only, i+1) {
			continue
		}
		parts = append(parts, s.Title, s.Plain)
	}
	text := strings.Join(parts, "\n")
	p := proof{text: strings.ToLower(text), terms: termSet(text)}
	for _, s := range sentences(strings.ReplaceAll(text, "\n", " ")) {
		p.sents = append(p.sents, strings.ToLower(s))
	}
	return p
}

// evidenceFor is what a unit cites, or everything the answer cites when it
// cites nothing itself.
func evidenceFor(u string, cited []*corpus.Section, all proof) proof {
	var nums []int
	for _, m := range marker.FindAllStringSubmatch(u, -1) {
		for _, f := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			if n, err := strconv.Atoi(f); err == nil && n >= 1 && n <= len(cited) {
				nums = append(nums, n)
			}
		}
	}
	if len(nums) == 0 {
		return all
	}
	return evidence(cited, nums)
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// grounded reports whether the sources bear a unit out.
func grounded(u string, p proof, asked map[string]bool) bool {
	body := strings.TrimSpace(marker.ReplaceAllString(u, ""))
	if body == "" {
		return true
	}
	lower := strings.ToLower(body)
	// Dates, numbers, amounts: exactly as the sources have them.
	for _, d := range retrieval.Dates(body) {
		if !strings.Contains(p.text, strings.ToLower(d)) {
			return false
		}
	}
	for _, n := range numberLike.FindAllString(body, -1) {
		if !hasNumber(p.text, n) {
			return false
		}
	}
	// Named products and features, as far as capitals tell them.
	for _, loc := range properName.FindAllStringIndex(body, -1) {
		name := body[loc[0]:loc[1]]
		if loc[0] == 0 || startsSentence(body, loc[0]) || name == "I" || name == "FAQ" {
			continue
		}
		if !strings.Contains(p.text, strings.ToLower(name)) && !asked[strings.ToLower(name)] && !termsIn(name, p.terms) {
			return false
		}
	}
	// Most of what it says, and nothing the sources deny.
	terms := retrieval.Terms(body)
	if len(terms) < minGroundedTerms {
		return !contradicts(lower, terms, p) // "See [1]." asserts nothing
	}
	have := 0
	for _, t := range terms {
		if p.terms[t] || asked[t] {
			have++
		}
	}
	if float64(have) < minGroundedShare*float64(len(terms)) {
		return false
	}
	return !contradicts(lower, terms, p)
}

// hasNumber reports whether text holds the number n, written with digits
// or as a word ("two weeks" holds 2).
func hasNumber(text, n string) bool {
	digits := strings.ReplaceAll(n, ",", "")
	for _, m := range numberLike.FindAllString(text, -1) {
		if strings.ReplaceAll(m, ",", "") == digits {
			return true
		}
	}
	for word, d := range numberWords {
		if d == digits && wordIn(text, word) {
			return true
		}
	}
	return false
}

// wordIn reports whether text holds w as a whole word.
func wordIn(text, w string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		from, to := i+j, i+j+len(w)
		if boundaryBefore(text, from) && boundaryAt(text, to) {
			return true
		}
		i = from + 1
	}
}

func startsSentence(s string, i int) bool {
	j := strings.LastIndexFunc(s[:i], func(r rune) bool { return !unicode.IsSpace(r) })
	if j < 0 {
		return true
	}
	switch s[j] {
	case '.', '!', '?', ':', '-', '*', '(', '"', '\n':
		return true
	}
	return false
}

func termsIn(name string, have map[string]bool) bool {
	ts := retrieval.Terms(name)
	if len(ts) == 0 {
		return true
	}
	for _, t := range ts {
		if !have[t] {
			return false
		}
	}
	return true
}

// contradicts reports whether the unit asserts what every source sentence
// about the same thing denies, or the other way round: a content word
// negated on one side only.
func contradicts(unit string, terms []string, p proof) bool {
	for _, t := range terms {
		uneg, ok := negatedNear(unit, t)
		if !ok {
			continue
		}
		seen, agree := false, false
		for _, s := range p.sents {
			sneg, ok := negatedNear(s, t)
			if !ok {
				continue
			}
			seen = true
			if sneg == uneg {
				agree = true
				break
			}
		}
		if seen && !agree {
			return true
		}
	}
	return false
}

// negatedNear finds term t's word in text and reports whether a negator
// stands within the three words before it in the same clause ("requests
// aren't automatic; they're evaluated" negates "automatic", not
// "evaluated"); ok is false when t is not there.
func negatedNear(text, t string) (negated, ok bool) {
	ws := strings.Fields(text)
	for i, w := range ws {
		if !termMatches(w, t) {
			continue
		}
		ok = true
		for j := i - 1; j >= max(0, i-3); j-- {
			if strings.ContainsAny(ws[j][len(ws[j])-1:], ";,.:") {
				break // the clause before ends here
			}
			if negators.MatchString(ws[j]) {
				return true, true
			}
		}
	}
	return false, ok
}

func termMatches(word, t string) bool {
	for _, x := range retrieval.Terms(word) {
		if x == t {
			return true
		}
	}
	return false
}
