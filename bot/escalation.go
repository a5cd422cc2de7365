package bot

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/faqbot/faqbot/internal/logreg"
)

// The escalation policy's rules (policy.go) read intents through concepts
// written by hand; a new writer's wording still slips past them. A small
// learned model over the question's words and word pairs, fitted on the
// tuning part of the labelled questions, catches hand-offs the rules
// miss: measured leaving each writer out in turn, and on the calibration
// part, it finds most of them at the same precision. It only adds
// escalations; it never overrules one the rules made.

//go:embed escalation.json
var escalationJSON []byte

// escalationModels are the two learned looks: whether a question goes to
// people, and, for one that does, whether it asks for more time (the
// reason the hand-off names and the hint retrieval gets).
type escalationModels struct {
	Escalate  *logreg.Sparse `json:"escalate"`
	Extension *logreg.Sparse `json:"extension"`
}

// EscalationThreshold is the model's probability from which a question the
// rules let pass goes to people. Set by leaving each writer of the tuning
// part out in turn (faqbot-train -cv-escalation), where rules and model
// together keep a precision of about 0.97.
const EscalationThreshold = 0.7

// loadEscalation reads the checked-in models.
func loadEscalation() (*escalationModels, error) {
	var m escalationModels
	if err := json.Unmarshal(escalationJSON, &m); err != nil {
		return nil, fmt.Errorf("read escalation model: %w", err)
	}
	if m.Escalate == nil || m.Extension == nil {
		return nil, fmt.Errorf("read escalation model: a model is missing (run go generate ./bot)")
	}
	return &m, nil
}

// EscalationFeatures are what the escalation model reads of a question the
// rules have classified: its lower-cased words and pairs of adjacent
// words, and whether the rules escalated it. Linear in the text's length.
func EscalationFeatures(d Decision) []string {
	words := strings.FieldsFunc(strings.ToLower(d.Clean), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := make([]string, 0, 2*len(words)+1)
	if d.Reason != NoEscalation {
		out = append(out, "rule")
	}
	for i, w := range words {
		out = append(out, "w:"+w)
		if i > 0 {
			out = append(out, "b:"+words[i-1]+"_"+w)
		}
	}
	return out
}

// classify is Classify with the learned model's second look.
func (b *Bot) classify(text string) Decision {
	d := Classify(text)
	if d.Reason != NoEscalation || b.escalation == nil {
		return d
	}
	features := EscalationFeatures(d)
	if b.escalation.Escalate.Predict(features) >= EscalationThreshold {
		more := b.escalation.Extension.Predict(features) >= 0.5
		d.Reason, d.Topic, d.Hint = learnedReason(d.Clean, more)
	}
	return d
}
