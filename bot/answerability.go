package bot

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"

	"github.com/faqbot/faqbot/internal/logreg"
	"github.com/faqbot/faqbot/retrieval"
)

// Whether the FAQ answers a question is asked of the best section found:
// does it cover the question's specific content (the words that name what
// is asked about, not the scene around it), do the questions it answers
// read like this one, does it hold the kind of answer asked for? A small
// logistic model weighs these signals into a probability, trained on
// labelled questions by `go generate ./bot` (cmd/faqbot-train) and
// checked in; the threshold that turns it into a decision is set on a
// separate calibration set.

// AnswerFeatures names the signals, in the order answerFeatures returns
// them.
var AnswerFeatures = []string{
	"uncovered_share", "max_uncovered", "passage_uncovered_share", "coverage",
	"dense", "question_dense", "lexical", "question_lexical", "question_overlap",
	"unanswered_overlap", "unanswered_dense", "answered_vs_unanswered", "answered_vs_unanswered_dense",
	"words", "escalation", "margin", "type_missing", "asks_procedure", "named", "named_uncovered",
	"asks_reenable", "asks_social", "asks_fix", "asks_person", "vote", "section_words",
}

//go:embed answerability.json
var answerabilityJSON []byte

// ratio is x/ceiling, 0 without a ceiling.
func ratio(x, ceiling float64) float64 {
	if ceiling <= 0 {
		return 0
	}
	return x / ceiling
}

// topic is 1 when the policy recognised the question as t.
func topic(d Decision, t string) float64 {
	if d.Topic == t {
		return 1
	}
	return 0
}

// loadAnswerability reads the checked-in model.
func loadAnswerability() (*logreg.Model, error) {
	var m logreg.Model
	if err := json.Unmarshal(answerabilityJSON, &m); err != nil {
		return nil, fmt.Errorf("read answerability model: %w", err)
	}
	if err := m.Check(AnswerFeatures); err != nil {
		return nil, fmt.Errorf("answerability model out of date (run go generate ./bot): %w", err)
	}
	return &m, nil
}

// AnswerSignals returns the answerability signals of a retrieval's best
// section (nil when nothing was found), for the model and its training.
func AnswerSignals(r Retrieval) []float64 {
	if len(r.Ranking.Results) == 0 {
		return nil
	}
	return answerSignals(r, factsOf(r.Ranking.Results[0].Section))
}

// answerSignals is AnswerSignals given the facts of the best section's
// text.
func answerSignals(r Retrieval, facts sectionFacts) []float64 {
	results := r.Ranking.Results
	top := results[0]
	s := top.Support
	share, passageShare := 0.0, 0.0
	if s.Specific > 0 {
		share = s.Uncovered / s.Specific
		passageShare = s.PassageUncovered / s.Specific
	}
	margin := 1.0
	if len(results) > 1 && top.Score > 0 {
		margin = (top.Score - results[1].Score) / top.Score
	}
	escalation := 0.0
	if r.Decision.Reason != NoEscalation {
		escalation = 1
	}
	// The kind of answer asked for must be there: a price question needs a
	// price, a "when" question a date or a span of time.
	types := r.Ranking.Asks
	missing := 0.0
	if !facts.text.Holds(types) {
		missing = 1
	}
	// "How many days' notice" wants a number of days, not any number.
	if unit := retrieval.AmountUnit(r.Query); unit != "" && types.Has(retrieval.AmountAnswer) && !facts.text.HoldsAmountOf(unit) {
		missing = 1
	}
	procedure := 0.0
	if types.Has(retrieval.ProcedureAnswer) {
		procedure = 1
	}
	return []float64{
		share, s.MaxUncovered, passageShare, top.Coverage,
		top.Dense, top.QDense, ratio(top.Lexical, r.Ranking.LexicalCeiling), ratio(top.QLexical, r.Ranking.QLexicalCeiling), top.QOverlap,
		r.Ranking.Unanswered.Overlap, r.Ranking.Unanswered.Dense, top.QOverlap - r.Ranking.Unanswered.Overlap, top.QDense - r.Ranking.Unanswered.Dense,
		math.Log1p(float64(s.Words)), escalation, margin, missing, procedure, float64(s.Named), float64(s.NamedUncovered),
		topic(r.Decision, topicReenable), topic(r.Decision, topicSocial), topic(r.Decision, topicTroubleshooting) + topic(r.Decision, topicHowTo), topic(r.Decision, topicPerson),
		top.Vote,
		// A long section of many topics (a list of features) shares words
		// with questions it does not answer.
		math.Log1p(float64(facts.words)),
	}
}
