package retrieval

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/faqbot/faqbot/corpus"
)

// Questions are what each section answers, in people's words (doc2query).
// They are indexed as a field of their own, so that a question worded
// unlike the FAQ still meets its section; they are never quoted or cited —
// the section is.
type QuestionSource interface {
	// Questions returns questions for sections; sections it knows nothing
	// about are left out.
	Questions(ctx context.Context, sections []*corpus.Section) (QuestionSet, error)
}

// QuestionSet is what a corpus answers and what it does not, in people's
// words.
type QuestionSet struct {
	// Answered are the questions each section answers, by Section.Key().
	Answered map[string][]string
	// Unanswered are questions on the corpus's topic that it does not
	// answer, by the Section.Key() of the section a near miss resembles
	// ("what is the maximum length of an extension?" resembles the
	// extension section), or "" for none: a question closer to these than
	// to any answered one is likely not answered either.
	Unanswered map[string][]string
}

// Limits on what questions may add to the index: per section, and in all
// for unanswered ones.
const (
	maxQuestionsPerSection = 160
	maxUnansweredQuestions = 2000
	maxQuestionChars       = 300
)

// ShippedQuestions are questions written in advance for known documents.
// They follow a document wherever it is loaded from (the embedded FAQ, a
// file, its Learn URL) as long as its anchors stay; a section whose text
// changed keeps its heading's questions, since a heading says what the
// section answers.
type ShippedQuestions map[string]shipped

type shipped struct {
	answered   map[string][]string // by anchor
	unanswered map[string][]string // by the anchor they resemble, "-" for none
}

// ParseShippedQuestions reads the questions written for document:
// answered holds "anchor<TAB>question" lines under a header; unanswered
// the same, where the anchor only says which section a near miss resembles
// ("-" for none).
func ParseShippedQuestions(document string, answered, unanswered []byte) (ShippedQuestions, error) {
	a, err := parseQuestionLines(document, answered)
	if err != nil {
		return nil, err
	}
	u, err := parseQuestionLines(document, unanswered)
	if err != nil {
		return nil, err
	}
	doc := shipped{answered: map[string][]string{}, unanswered: map[string][]string{}}
	for _, l := range a {
		doc.answered[l.anchor] = append(doc.answered[l.anchor], l.question)
	}
	for _, l := range u {
		doc.unanswered[l.anchor] = append(doc.unanswered[l.anchor], l.question)
	}
	return ShippedQuestions{document: doc}, nil
}

type questionLine struct{ anchor, question string }

func parseQuestionLines(document string, tsv []byte) ([]questionLine, error) {
	var out []questionLine
	sc := bufio.NewScanner(bytes.NewReader(tsv))
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if line == 1 || text == "" {
			continue
		}
		anchor, q, ok := strings.Cut(text, "\t")
		if !ok || strings.TrimSpace(q) == "" {
			return nil, fmt.Errorf("questions for %s, line %d: want anchor<TAB>question", document, line)
		}
		out = append(out, questionLine{anchor: anchor, question: strings.TrimSpace(q)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("questions for %s: %w", document, err)
	}
	return out, nil
}

// Questions implements QuestionSource. A document's unanswered questions
// come along whenever any of its sections is in the corpus.
func (s ShippedQuestions) Questions(_ context.Context, sections []*corpus.Section) (QuestionSet, error) {
	set := QuestionSet{Answered: map[string][]string{}, Unanswered: map[string][]string{}}
	seen := map[string]bool{}
	for _, sec := range sections {
		doc, ok := s[sec.Document]
		if !ok {
			continue
		}
		if qs := doc.answered[sec.Anchor]; len(qs) > 0 {
			set.Answered[sec.Key()] = qs
		}
		if qs := doc.unanswered[sec.Anchor]; len(qs) > 0 {
			set.Unanswered[sec.Key()] = qs
		}
		if !seen[sec.Document] {
			seen[sec.Document] = true
			set.Unanswered[""] = append(set.Unanswered[""], doc.unanswered["-"]...)
		}
	}
	return set, nil
}

// boundQuestions keeps questions within the index's limits.
func boundQuestions(qs []string, limit int) []string {
	if len(qs) > limit {
		qs = qs[:limit]
	}
	out := make([]string, 0, len(qs))
	for _, q := range qs {
		if q = strings.TrimSpace(q); q != "" {
			if len(q) > maxQuestionChars {
				q = strings.ToValidUTF8(q[:maxQuestionChars], "")
			}
			out = append(out, q)
		}
	}
	return out
}
