package metrics

import (
	"context"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// Answerer is what Asker wraps: the bot, in production.
type Answerer interface {
	Ask(ctx context.Context, q bot.Question) (bot.Answer, error)
}

// Asker counts the questions another Answerer answers, by transport and
// outcome, and times them. Transports take it in place of the bot.
type Asker struct {
	next Answerer
	m    *Metrics
}

// NewAsker wraps next.
func NewAsker(next Answerer, m *Metrics) *Asker { return &Asker{next: next, m: m} }

// Ask implements Answerer.
func (a *Asker) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	start := time.Now()
	ans, err := a.next.Ask(ctx, q)
	outcome, reason := Outcome(ans, err)
	a.m.Question(q.Transport, outcome, reason, time.Since(start))
	return ans, err
}

// Outcome classifies an answer for the questions counter. An escalation
// counts as escalated whether or not the FAQ also answered it: what matters
// to operators is that a person has work to do.
func Outcome(a bot.Answer, err error) (outcome, reason string) {
	switch {
	case err != nil:
		return Failed, ""
	case a.Escalate:
		return Escalated, string(a.EscalationReason)
	case a.Answered:
		return Answered, ""
	}
	return Abstained, ""
}
