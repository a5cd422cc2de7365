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
	// Questions returns questions for sections, keyed by Section.Key();
	// sections it knows nothing about are left out.
	Questions(ctx context.Context, sections []*corpus.Section) (map[string][]string, error)
}

// Limits on what one section's questions may add to the index.
const (
	maxQuestionsPerSection = 80
	maxQuestionChars       = 300
)

// ShippedQuestions are questions written in advance for known documents,
// by document name and anchor. They follow a document wherever it is loaded
// from (the embedded FAQ, a file, its Learn URL) as long as its anchors
// stay; a section whose text changed keeps its heading's questions, since
// a heading says what the section answers.
type ShippedQuestions map[string]map[string][]string

// ParseShippedQuestions reads "anchor<TAB>question" lines under a header
// for document.
func ParseShippedQuestions(document string, tsv []byte) (ShippedQuestions, error) {
	byAnchor := map[string][]string{}
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
		byAnchor[anchor] = append(byAnchor[anchor], strings.TrimSpace(q))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("questions for %s: %w", document, err)
	}
	return ShippedQuestions{document: byAnchor}, nil
}

// Questions implements QuestionSource.
func (s ShippedQuestions) Questions(_ context.Context, sections []*corpus.Section) (map[string][]string, error) {
	out := map[string][]string{}
	for _, sec := range sections {
		if qs := s[sec.Document][sec.Anchor]; len(qs) > 0 {
			out[sec.Key()] = qs
		}
	}
	return out, nil
}

// boundQuestions keeps a section's questions within the index's limits.
func boundQuestions(qs []string) []string {
	if len(qs) > maxQuestionsPerSection {
		qs = qs[:maxQuestionsPerSection]
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
