package metrics

import (
	"context"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
)

// Reloader is what Refresher wraps: a *bot.Refresher, in production.
type Reloader interface {
	Refresh(ctx context.Context, source string) (corpus.Changes, error)
}

// Refresher counts corpus loads and refreshes by result.
type Refresher struct {
	next Reloader
	m    *Metrics
}

// NewRefresher wraps next.
func NewRefresher(next Reloader, m *Metrics) *Refresher { return &Refresher{next: next, m: m} }

// Refresh implements Reloader.
func (r *Refresher) Refresh(ctx context.Context, source string) (corpus.Changes, error) {
	changes, err := r.next.Refresh(ctx, source)
	r.m.Refresh(err)
	return changes, err
}

// Escalator counts the escalations another escalator posts.
type Escalator struct {
	next        bot.Escalator
	destination string
	m           *Metrics
}

// NewEscalator wraps next, which posts to destination ("slack", "teams").
func NewEscalator(next bot.Escalator, destination string, m *Metrics) *Escalator {
	return &Escalator{next: next, destination: destination, m: m}
}

// Escalate implements bot.Escalator.
func (e *Escalator) Escalate(ctx context.Context, esc bot.Escalation) error {
	err := e.next.Escalate(ctx, esc)
	e.m.Escalation(e.destination, string(esc.Reason), err)
	return err
}
