package retrieval

import (
	"context"
	"errors"

	"github.com/faqbot/faqbot/corpus"
)

// The index's limits on one question and on one section's questions, for
// sources that make their own (a model writing them).
const (
	MaxQuestionChars       = maxQuestionChars
	MaxQuestionsPerSection = maxQuestionsPerSection
)

// ChainQuestions asks first for every section, then asks then only for the
// sections first gave no answered questions: questions written by people
// win, and whatever then costs (a model call per section) is spent only on
// what they do not cover. Unanswered questions of both are kept.
func ChainQuestions(first, then QuestionSource) QuestionSource {
	return chain{first: first, then: then}
}

type chain struct{ first, then QuestionSource }

// Questions implements QuestionSource. A source that fails still
// contributes what it returned, and the other is asked regardless: the
// error reports what is missing, for the caller to log.
func (c chain) Questions(ctx context.Context, sections []*corpus.Section) (QuestionSet, error) {
	set, errFirst := c.first.Questions(ctx, sections)
	set = ensureMaps(set)
	var rest []*corpus.Section
	for _, s := range sections {
		if len(set.Answered[s.Key()]) == 0 {
			rest = append(rest, s)
		}
	}
	if len(rest) == 0 {
		return set, errFirst
	}
	more, errThen := c.then.Questions(ctx, rest)
	for _, s := range rest {
		if qs := more.Answered[s.Key()]; len(qs) > 0 {
			set.Answered[s.Key()] = qs
		}
	}
	for key, qs := range more.Unanswered {
		set.Unanswered[key] = append(set.Unanswered[key], qs...)
	}
	return set, errors.Join(errFirst, errThen)
}

func ensureMaps(s QuestionSet) QuestionSet {
	if s.Answered == nil {
		s.Answered = map[string][]string{}
	}
	if s.Unanswered == nil {
		s.Unanswered = map[string][]string{}
	}
	return s
}
