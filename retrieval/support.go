package retrieval

import (
	"math"
	"sort"
	"unicode"
)

// Support measures a section against the specific content of a question.
type Support struct {
	// Words counts the question's content words.
	Words int
	// Specific sums the words' specificity (0 for everyday words such as
	// "boss", 1 for words such as "webinar" or "api").
	Specific float64
	// Uncovered sums the specificity of the words the section does not
	// cover (in its text, its title or the questions it answers; typo
	// corrections and synonyms cover partly).
	Uncovered float64
	// MaxUncovered is the specificity of the most specific word the
	// section does not cover.
	MaxUncovered float64
	// PassageUncovered is Uncovered for the section's best single passage
	// (with the section's title), without the questions it answers.
	PassageUncovered float64
	// Named counts the question's words that name things of the domain
	// ("dkim", "power automate"); NamedUncovered those the section does
	// not cover.
	Named, NamedUncovered int
}

// queryPlan is a question analysed for both indexes: its content words and
// the weighted terms each index looks up for them.
type queryPlan struct {
	words []token
	// terms, answerTerms and unansweredTerms are the words' terms in the
	// passage index and the two question pools.
	terms, answerTerms, unansweredTerms []queryTerm
	// unique are the distinct words, in the order the question first uses
	// them; wordOf gives, for each of words, its place in unique.
	unique []qword
	wordOf []int
	// credits and inTitle are scratch space for support.
	credits [3][]float64
	inTitle []bool
}

// setWords records the question's distinct words and, for each of its
// words, which of them it is.
func (plan *queryPlan) setWords(unique []qword, wordOf []int) {
	plan.unique, plan.wordOf = unique, wordOf
	for i := range plan.credits {
		plan.credits[i] = make([]float64, len(unique))
	}
}

// voteNeighbours is how many of the nearest questions vote.
const voteNeighbours = 5

// vote is the answered share, by overlap, of the voteNeighbours questions
// nearest the asked one among a section's answered questions (yes, largest
// first), the near misses resembling it (no) and the unanswered questions
// resembling no section (none).
func vote(yes, no, none []float64) float64 {
	var both [2 * voteNeighbours]float64
	no = append(append(both[:0], no...), none...)
	sort.Sort(sort.Reverse(sort.Float64Slice(no)))
	var inYes, all float64
	for i, j, n := 0, 0, 0; n < voteNeighbours && (i < len(yes) || j < len(no)); n++ {
		if j >= len(no) || (i < len(yes) && yes[i] >= no[j]) {
			inYes += yes[i]
			all += yes[i]
			i++
		} else {
			all += no[j]
			j++
		}
	}
	if all == 0 {
		return 0.5
	}
	return inYes / all
}

// minWordWeight is the least a content word weighs in overlap measures.
const minWordWeight = 0.1

// namedTerms returns the terms of the question words that belong to a
// named thing of the domain.
func (ix *Index) namedTerms(stems []string, toks []token) map[string]bool {
	in := ix.entities.find(stems)
	out := map[string]bool{}
	for _, t := range toks {
		if t.pos < len(in) && in[t.pos] {
			out[t.term] = true
		}
	}
	return out
}

// qword is one distinct content word of a question. Sums over a question's
// words run in the order the question first uses them, so that a score
// does not depend on a map's iteration order down to its last digit.
type qword struct {
	term, word string
	// named marks a word that is part of a named thing ("power automate",
	// "a/b testing"): fully specific.
	named bool
	// spec is the word's specificity (termSpecificity).
	spec float64
}

// weight is the word's weight in overlap measures, floored so that a
// question of everyday words still weighs something.
func (w qword) weight() float64 { return max(w.spec, minWordWeight) }

// questionWords returns the distinct content words of toks, each with its
// first surface form, in order of first use, and for each token which of
// them it is.
func (ix *Index) questionWords(toks []token, named map[string]bool) ([]qword, []int) {
	at := make(map[string]int, len(toks))
	out := make([]qword, 0, len(toks))
	wordOf := make([]int, len(toks))
	for i, t := range toks {
		j, seen := at[t.term]
		if !seen {
			j = len(out)
			at[t.term] = j
			out = append(out, qword{term: t.term, word: t.word, named: named[t.term], spec: ix.termSpecificity(t.term, t.word, named)})
		}
		wordOf[i] = j
	}
	return out, wordOf
}

// textWeight is a text's weight as overlap measures words: the sum of its
// distinct content words' weights. It remembers the text's stems: only
// while the index is built.
func (ix *Index) textWeight(text string) float64 {
	ws := words(text)
	stems := ix.stems.keepAll(ws)
	toks := contentTokensOf(ws, stems)
	total := 0.0
	unique, _ := ix.questionWords(toks, ix.namedTerms(stems, toks))
	for _, w := range unique {
		total += w.weight()
	}
	return total
}

// termSpecificity is a word's specificity, full for words of named things.
// Words many sections share ("outbound", "transition" in this FAQ) say
// little about which section answers: their specificity is scaled down
// from full, for words in at most genericFrom of the sections, to
// genericFloor, for words in genericTo or more.
const (
	genericFrom  = 0.15
	genericTo    = 0.5
	genericFloor = 0.2
)

func (ix *Index) termSpecificity(term, word string, named map[string]bool) float64 {
	spec := 1.0
	if !named[term] {
		spec = ix.specificity(word)
	}
	share := ix.sectionShare[term]
	switch {
	case share <= genericFrom:
		return spec
	case share >= genericTo:
		return spec * genericFloor
	}
	return spec * (1 - (1-genericFloor)*(share-genericFrom)/(genericTo-genericFrom))
}

// support measures how much of the question's specific content a section
// covers: a word is covered when one of its terms (itself, a typo
// correction, a synonym) occurs in the section's passages or in the
// questions it answers, with that term's weight. A word asked twice counts
// once. The best single passage is measured too (with the section's
// title): words scattered over a long section ("Power BI" in one bullet,
// "templates" in another) do not make an answer.
func (ix *Index) support(plan *queryPlan, section int32) Support {
	words := plan.unique
	span := ix.sectionSpan[section]
	inSection, inQuestions, inPassage := plan.credits[0], plan.credits[1], plan.credits[2]
	plan.credit(plan.terms, inSection, func(i int) bool { return occursIn(plan.terms[i].ps, span[0], span[1]) })
	if ix.answers != nil && ix.answers.span[section][0] >= 0 {
		qspan := ix.answers.span[section]
		plan.credit(plan.answerTerms, inQuestions, func(i int) bool { return occursIn(plan.answerTerms[i].ps, qspan[0], qspan[1]) })
		for w, c := range inQuestions {
			inSection[w] = max(inSection[w], c)
		}
	}
	s := Support{Words: len(words), PassageUncovered: math.Inf(1)}
	for i, w := range words {
		s.Specific += w.spec
		gap := w.spec * (1 - min(1, inSection[i]))
		s.Uncovered += gap
		s.MaxUncovered = max(s.MaxUncovered, gap)
		if w.named {
			s.Named++
			if inSection[i] < 1 {
				s.NamedUncovered++
			}
		}
	}
	// The title counts for every passage of the section.
	title := ix.titleTerms[section]
	inTitle := plan.inTitle[:0]
	for i := range plan.terms {
		inTitle = append(inTitle, title[plan.terms[i].term])
	}
	plan.inTitle = inTitle
	for p := span[0]; p <= span[1] && p >= 0; p++ {
		plan.credit(plan.terms, inPassage, func(i int) bool { return inTitle[i] || occursIn(plan.terms[i].ps, p, p) })
		gap := 0.0
		for i, w := range words {
			gap += w.spec * (1 - min(1, max(inPassage[i], 0)))
		}
		s.PassageUncovered = min(s.PassageUncovered, gap)
	}
	if math.IsInf(s.PassageUncovered, 1) {
		s.PassageUncovered = s.Uncovered
	}
	return s
}

// credit sets out, per question word (as plan.unique), to the weight of
// its best query term among terms that occurs where occurs says of the
// term at that index.
func (plan *queryPlan) credit(terms []queryTerm, out []float64, occurs func(i int) bool) {
	clear(out)
	for i := range terms {
		t := &terms[i]
		if t.pair || t.source == "" {
			continue
		}
		// A term stands for the question word it came from, its source.
		w := plan.wordOf[t.word]
		if t.weight > out[w] && occurs(i) {
			out[w] = t.weight
		}
	}
}

// specificity of a question word; numbers say something specific but
// often only set the scene ("our 40 journeys").
func (ix *Index) specificity(word string) float64 {
	if word != "" && unicode.IsDigit(rune(word[0])) {
		return numberSpecificity
	}
	return ix.everyday.specificity(word)
}

// numberSpecificity is the specificity of a word that starts with a digit.
const numberSpecificity = 0.3
