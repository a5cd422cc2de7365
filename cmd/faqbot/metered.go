package main

import (
	"context"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/internal/metrics"
	"github.com/faqbot/faqbot/internal/redact"
)

// The decorators below count what the bot, the refresher and escalators do
// without those packages knowing about metrics, and without the metrics
// package knowing about them: wiring is where both meet.

// meteredAsker counts the questions next answers, by transport and outcome,
// and times them. Transports take it in place of the bot.
type meteredAsker struct {
	next bot.Asker
	m    *metrics.Metrics
}

func (a meteredAsker) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	start := time.Now()
	ans, err := a.next.Ask(ctx, q)
	reason := ""
	if err == nil {
		reason = string(ans.EscalationReason)
	}
	a.m.Question(q.Transport, string(bot.OutcomeOf(ans, err)), reason, time.Since(start))
	return ans, err
}

// meteredRefresher counts corpus loads and refreshes by result.
type meteredRefresher struct {
	next bot.Refresher
	m    *metrics.Metrics
}

func (r meteredRefresher) Refresh(ctx context.Context, source string) (corpus.Changes, error) {
	changes, err := r.next.Refresh(ctx, source)
	r.m.Refresh(err)
	return changes, err
}

// meteredEscalator counts the escalations next posts to destination
// ("slack", "teams").
type meteredEscalator struct {
	next        bot.Escalator
	destination string
	m           *metrics.Metrics
}

func (e meteredEscalator) Escalate(ctx context.Context, esc bot.Escalation) error {
	err := e.next.Escalate(ctx, esc)
	e.m.Escalation(e.destination, string(esc.Reason), err)
	return err
}

// corpusInfo describes the serving corpus for metrics.
func corpusInfo(current func() *corpus.Corpus) func() (metrics.CorpusInfo, bool) {
	return func() (metrics.CorpusInfo, bool) {
		c := current()
		if c == nil {
			return metrics.CorpusInfo{}, false
		}
		return metrics.CorpusInfo{Version: c.Version, Source: redact.URL(c.Source), Sections: len(c.Sections())}, true
	}
}
