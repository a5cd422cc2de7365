package bot

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/retrieval"
)

// Extractive answers quote the FAQ: the sentence or bullet that answers,
// chosen by what the question asks for (a "when" question gets the
// sentence with the date, "will X keep working?" the one about X's fate),
// kept self-contained (a sentence that starts "This …" brings the one it
// points back to), each quote followed by its [n] marker.
const (
	maxQuotedUnits = 3
	maxQuotedWords = 90
	// A second section is quoted only when its best sentence is nearly as
	// good as the first's and says something the first did not; otherwise
	// it dilutes a precise answer.
	secondSectionRatio = 0.85
	maxAnswerSections  = 2
	// More of the same section is quoted only when it is this close to the
	// best sentence.
	sameSectionRatio = 0.6
	// Sections considered for a time, amount or price question: the answer
	// may sit one section down ("What will happen after June 30?" names the
	// date in its title; the announcement states it).
	typedCandidates = 3
)

var (
	pointer = regexp.MustCompile(`^(\(?See( also)?\b|For more information|More information:|To learn more)`)
	bold    = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	// anaphora opens a sentence that leans on the one before it.
	anaphora = regexp.MustCompile(`^(?:- )?(This|These|That|Those|It|They|Such|However|Therefore|As such|Otherwise|In that case|Then|Once (?:it|this))\b|\b(this|that|these) (date|link|dialog|page|functionality|information|section)\b`)
	// asksFate is a question about what becomes of something.
	asksFate = regexp.MustCompile(`(?i)\b(?:will|would|do|does|is|are|can|could)\b[^?.]*\b(?:keep|continue|still|stop|survive|break|work(?:ing)?)\b|\bwhat (?:happens|will happen|happened) to\b|\b(?:be|get|gets|is|are) (?:deleted|removed|lost|kept|gone|usable|available|accessible)\b`)
	// fate is a sentence that says what becomes of something.
	fate = regexp.MustCompile(`(?i)\b(continue to (?:work|be)|keep working|stop working|will stop|won'?t (?:be |work)|will be (?:removed|deleted|hidden|merged|kept|available)|must be (?:recreated|migrated|exported)|need to be (?:migrated|recreated)|can'?t be used|remain|will not|won'?t|be removed|not be (?:usable|supported|accessible))\b`)
)

// source is a section chosen for an answer with the text quoted from it.
type source struct {
	result retrieval.Result
	quote  []string
}

// question is what the extractive answer needs to know about a question.
type question struct {
	terms map[string]bool
	types retrieval.AnswerTypes
	fate  bool
	// weight is how much a term says, by how few sentences of the sections
	// considered hold it: "outbound" is everywhere, "restored" is not.
	weight map[string]float64
}

// readQuestion reads text, whose kinds of answer asked for are types;
// terms finds a text's index terms (retrieval.Terms, or the ranking's,
// which knows the index's words).
func readQuestion(text string, types retrieval.AnswerTypes, terms func(string) []string) question {
	q := question{terms: map[string]bool{}, types: types}
	for _, t := range terms(text) {
		q.terms[t] = true
	}
	q.fate = !q.types.Has(retrieval.TimeAnswer) && asksFate.MatchString(text)
	return q
}

// unit is a sentence or bullet that may be quoted.
type unit struct {
	text  string
	pos   int
	score float64
	// terms are the question's terms it contains.
	terms map[string]bool
	// leans says its opening sentence points back at the unit before it.
	leans bool
}

// sectionUnits are a section's quotable units, scored for a question.
type sectionUnits struct {
	result retrieval.Result
	units  []unit
	best   int // index of the best unit, -1 when none is quotable
	// holds says whether some unit states the kind of answer asked for.
	holds bool
}

// extract picks what to quote from a ranking's results for a question;
// units supplies the sections' quotable units.
func extract(text string, rank retrieval.Ranking, units func(*corpus.Section) []quotable) []source {
	results := rank.Results
	if len(results) == 0 {
		return nil
	}
	q := readQuestion(text, rank.Asks, rank.Terms)
	n := 1
	if q.fate || q.types.Has(retrieval.TimeAnswer|retrieval.AmountAnswer|retrieval.PriceAnswer) {
		n = typedCandidates
	} else if len(results) > 1 {
		n = 2
	}
	var considered []retrieval.Result
	for i, r := range results {
		if i >= n {
			break
		}
		// Lower sections compete only when nearly as relevant.
		if i > 0 && r.Score < secondSectionRatio*results[0].Score*0.8 {
			break
		}
		considered = append(considered, r)
	}
	q.weight = termWeights(q.terms, considered, units)
	var cands []sectionUnits
	for _, r := range considered {
		cands = append(cands, scoreSection(q, r, units(r.Section)))
	}
	// The ranking's first section leads, unless the question asks for a
	// date, an amount or a price that it does not state and another
	// section does. (One that states it better comes second, below.)
	first := 0
	if typed := q.types.Has(retrieval.TimeAnswer | retrieval.AmountAnswer | retrieval.PriceAnswer); typed && !cands[0].holds {
		for i, c := range cands {
			if c.holds && c.best >= 0 {
				first = i
				break
			}
		}
	}
	if cands[first].best < 0 {
		return nil
	}
	out := []source{{result: cands[first].result, quote: pick(cands[first])}}
	covered := quotedTerms(cands[first])
	top := cands[first].units[cands[first].best].score
	for i, c := range cands {
		if i == first || c.best < 0 || len(out) >= maxAnswerSections {
			continue
		}
		u := c.units[c.best]
		if u.score >= secondSectionRatio*top && (addsTerms(u.terms, covered) || u.score > top+0.5) {
			out = append(out, source{result: c.result, quote: []string{withAntecedent(c.units, c.best)}})
			continue
		}
		// "Will our forms keep working?": where another section tells a
		// different part of the same thing's fate ("they need to be
		// recreated"), both are the answer.
		if j := otherFate(q, c, out[0].quote); j >= 0 {
			out = append(out, source{result: c.result, quote: []string{withAntecedent(c.units, j)}})
		}
	}
	return out
}

// otherFate finds, for a question about what becomes of something, the best
// unit of a section that states that thing's fate and is not already
// quoted; -1 when there is none.
func otherFate(q question, su sectionUnits, quoted []string) int {
	if !q.fate {
		return -1
	}
	subject := map[string]bool{}
	for t := range q.terms {
		if !fateTerms[t] {
			subject[t] = true
		}
	}
	best := -1
	for i, u := range su.units {
		if !fate.MatchString(u.text) || !addsTerms(u.terms, fateTerms) || math.IsInf(u.score, -1) {
			continue
		}
		shares := false
		for t := range u.terms {
			shares = shares || subject[t]
		}
		if shares && !slices.Contains(quoted, u.text) && (best < 0 || u.score > su.units[best].score) {
			best = i
		}
	}
	return best
}

// fateTerms are the terms of asking about a fate rather than its subject.
var fateTerms = termSet("keep continue still stop survive break work working happen happens deleted removed lost kept gone usable available accessible will")

// scoreSection scores every quotable unit of a section for q.
func scoreSection(q question, r retrieval.Result, texts []quotable) sectionUnits {
	best := bestPassageText(r)
	su := sectionUnits{result: r, best: -1}
	typed := q.types & (retrieval.TimeAnswer | retrieval.AmountAnswer | retrieval.PriceAnswer)
	for _, t := range texts {
		if typed != 0 && t.holds&typed == typed {
			su.holds = true
		}
	}
	holdsType := su.holds
	for i, qt := range texts {
		t := qt.text
		u := unit{text: t, pos: i, terms: map[string]bool{}, score: -0.05 * float64(i), leans: qt.leans}
		// Shared terms are summed in the unit's order, so that a score does
		// not depend on a map's iteration order down to its last digit.
		for _, term := range qt.terms {
			// Asking whether something keeps working, the fate words are
			// scored as a fate, not as shared words.
			if q.terms[term] && !(q.fate && fateTerms[term]) && !u.terms[term] {
				u.terms[term] = true
				u.score += q.weight[term]
			}
		}
		// The FAQ bolds what a list item is about: "Outbound marketing
		// **segments** won't be removed".
		if sharesTerm(qt.bold, q.terms) {
			u.score++
		}
		// The kind of answer asked for weighs more than shared words.
		if typed != 0 && holdsType {
			switch {
			case qt.holds&typed != typed:
				u.score--
			case q.types.Has(retrieval.TimeAnswer) && !q.types.Has(retrieval.DurationAnswer) && !qt.date:
				u.score++ // "when?" is answered by a date, a span only relative to something
			case answerNearTerms(qt, q):
				// The date is the removal's, not another event's in the
				// same sentence.
				u.score += 3
			default:
				u.score += 2
			}
		}
		// "Will X keep working?" is answered by what becomes of X.
		if q.fate && qt.fate {
			u.score += 2
		}
		if best != "" && strings.Contains(best, strings.TrimPrefix(t, "- ")) {
			u.score += 0.5 // retrieval's best passage, found by meaning too
		}
		if qt.pointer && len(texts) > 1 {
			u.score = math.Inf(-1)
		}
		su.units = append(su.units, u)
		if !math.IsInf(u.score, -1) && (su.best < 0 || u.score > su.units[su.best].score) {
			su.best = i
		}
	}
	return su
}

// answerNearTerms reports whether an answer of the asked type (a date, an
// amount) stands within a few words of one of the question's terms.
func answerNearTerms(u quotable, q question) bool {
	const span = 5
	starts := u.starts
	var at []int // word positions of question terms
	for i, terms := range u.wordTerms {
		for _, t := range terms {
			if q.terms[t] {
				at = append(at, i)
			}
		}
	}
	for _, sp := range retrieval.Spans(u.text, q.types) {
		from, to := wordAt(starts, sp[0]), wordAt(starts, max(sp[0], sp[1]-1))
		for _, p := range at {
			if p >= from-span && p <= to+span {
				return true
			}
		}
	}
	return false
}

// termWeights weighs the question's terms by the share of the sections'
// sentences that hold them: 1 for a term in one sentence in ten, less for
// more common ones, never below a third.
func termWeights(terms map[string]bool, results []retrieval.Result, units func(*corpus.Section) []quotable) map[string]float64 {
	df := map[string]int{}
	n := 0
	for _, r := range results {
		for _, u := range units(r.Section) {
			n++
			seen := map[string]bool{}
			for _, t := range u.terms {
				if terms[t] && !seen[t] {
					seen[t] = true
					df[t]++
				}
			}
		}
	}
	out := make(map[string]float64, len(terms))
	for t := range terms {
		share := float64(df[t]+1) / float64(n+1)
		out[t] = math.Max(1.0/3, math.Min(1, math.Log(1/share)/math.Log(10)))
	}
	return out
}

func bestPassageText(r retrieval.Result) string {
	if len(r.Passages) == 0 {
		return ""
	}
	return r.Passages[0].Passage.Text
}

// pick chooses a section's quote: its best unit (with what it leans on),
// then other units close to it in score that add question terms, in
// document order, within the length budget.
func pick(su sectionUnits) []string {
	chosen := map[int]bool{}
	add := func(i int) {
		chosen[i] = true
		if i > 0 && su.units[i].leans {
			chosen[i-1] = true
		}
		if strings.HasSuffix(su.units[i].text, ":") && i+1 < len(su.units) {
			chosen[i+1] = true // a lead-in brings what it introduces
		}
	}
	add(su.best)
	top := su.units[su.best].score
	covered := map[string]bool{}
	for t := range su.units[su.best].terms {
		covered[t] = true
	}
	order := make([]int, len(su.units))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return su.units[order[a]].score > su.units[order[b]].score })
	for _, i := range order {
		u := su.units[i]
		if chosen[i] || u.score < sameSectionRatio*top || u.score <= 0 || !addsTerms(u.terms, covered) {
			continue
		}
		if len(chosen) >= maxQuotedUnits || words(su, chosen)+len(strings.Fields(u.text)) > maxQuotedWords {
			break
		}
		add(i)
		for t := range u.terms {
			covered[t] = true
		}
	}
	var out []string
	for i, u := range su.units {
		if chosen[i] {
			out = append(out, u.text)
		}
	}
	return out
}

func words(su sectionUnits, chosen map[int]bool) int {
	n := 0
	for i := range chosen {
		n += len(strings.Fields(su.units[i].text))
	}
	return n
}

// leans reports whether a unit's opening sentence points back at the unit
// before it ("This link is only available …"). A list item that explains
// itself further down ("… this information is stored …") does not.
func leans(text string) bool {
	first := text
	if i := strings.IndexAny(first, "\n"); i >= 0 {
		first = first[:i]
	}
	if i := strings.Index(first, ". "); i >= 0 {
		first = first[:i]
	}
	return anaphora.MatchString(first)
}

// withAntecedent is a unit with the one before it when it leans on it.
func withAntecedent(us []unit, i int) string {
	if i > 0 && us[i].leans {
		return us[i-1].text + " " + us[i].text
	}
	return us[i].text
}

func quotedTerms(su sectionUnits) map[string]bool {
	out := map[string]bool{}
	for _, q := range pick(su) {
		for _, u := range su.units {
			if u.text == q {
				for t := range u.terms {
					out[t] = true
				}
			}
		}
	}
	return out
}

// sharesTerm reports whether a and b have a term in common.
func sharesTerm(a, b map[string]bool) bool {
	for t := range a {
		if b[t] {
			return true
		}
	}
	return false
}

// addsTerms reports whether terms holds a question term not yet covered.
func addsTerms(terms, covered map[string]bool) bool {
	for t := range terms {
		if !covered[t] {
			return true
		}
	}
	return false
}

func termSet(text string) map[string]bool {
	m := map[string]bool{}
	for _, t := range retrieval.Terms(text) {
		m[t] = true
	}
	return m
}

// compose writes the quoted sources as answer text with [n] markers.
func compose(sources []source) string {
	var parts []string
	for i, s := range sources {
		marker := fmt.Sprintf(" [%d]", i+1)
		var b strings.Builder
		for j, u := range s.quote {
			if j > 0 {
				if strings.HasPrefix(u, "- ") || strings.HasPrefix(s.quote[j-1], "- ") || strings.HasSuffix(s.quote[j-1], ":") {
					b.WriteString("\n")
				} else {
					b.WriteString(" ")
				}
			}
			b.WriteString(u)
		}
		parts = append(parts, b.String()+marker)
	}
	return strings.Join(parts, "\n\n")
}

// asOf frames time-sensitive text: when it mentions dates that have passed,
// or periods counted from them ("a few months after the removal"), it says
// which FAQ version it quotes and that those dates are past, so a deadline
// that is over is never presented as upcoming.
func asOf(text string, sources []source, c *corpus.Corpus, now time.Time) string {
	secs := make([]*corpus.Section, len(sources))
	shown := text
	for i, s := range sources {
		secs[i] = s.result.Section
		// The cited titles count too: "What will happen after June 30,
		// 2025?" is shown beside the answer.
		shown += "\n" + s.result.Section.Title
	}
	dated := latest(secs)
	note := todayNote(now, passedClause(shown, dated, now), relativeClause(text, c, now))
	if note == "" {
		return text
	}
	prefix := "According to the FAQ:\n\n"
	if !dated.IsZero() {
		prefix = fmt.Sprintf("As of the FAQ dated %s:\n\n", longDate(dated))
	}
	return prefix + text + "\n\n" + note
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
