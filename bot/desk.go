package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// The support loop: people resolve or answer escalations (on the
// dashboard, with Slack's buttons), the asker is told in the conversation
// they asked in, and escalations nobody took are posted again once.

// Followup is something owed on an escalation after its hand-off.
type Followup string

const (
	// FollowupNotify: tell the asker that a person resolved it.
	FollowupNotify Followup = "notify"
	// FollowupRemind: post an escalation still open to the people again.
	FollowupRemind Followup = "remind"
)

// FollowupStore is what the desk needs of the records. Each follow-up is
// claimed before it is done, so that replicas do it once; a claim older
// than FollowupStaleAfter counts as abandoned (the process died) and may
// be taken again.
type FollowupStore interface {
	EscalationDesk
	// DueFollowups lists escalations owing kind, oldest first: for
	// FollowupNotify those resolved at or after cutoff whose asker was not
	// told yet; for FollowupRemind those opened before cutoff, still open,
	// posted somewhere (not imported from earlier versions) and not posted
	// again yet. Neither lists one whose claim is fresh.
	DueFollowups(ctx context.Context, kind Followup, cutoff time.Time, limit int) ([]EscalationRecord, error)
	// ClaimFollowup reports whether this caller may do kind for escalation
	// id: it is owed, and unclaimed or its claim is stale.
	ClaimFollowup(ctx context.Context, id string, kind Followup) (bool, error)
	// FinishFollowup records kind as done, or, when done is false, frees
	// the claim for a later try.
	FinishFollowup(ctx context.Context, id string, kind Followup, done bool) error
}

// ResolutionNotifier tells askers on one transport that a person followed
// up on their escalation (rec.HumanAnswer, possibly empty, by
// rec.ResolvedBy). It returns nil when there is nothing it can tell (a
// transport that cannot reach askers later).
type ResolutionNotifier interface {
	NotifyResolved(ctx context.Context, rec EscalationRecord) error
}

// Reminder posts an escalation that is still open to the people it was
// handed to, once more.
type Reminder interface {
	Remind(ctx context.Context, rec EscalationRecord, open time.Duration) error
}

// Resolver is how people close escalations: the dashboard and chat
// buttons use it.
type Resolver interface {
	Escalation(ctx context.Context, id string) (EscalationRecord, error)
	// Resolve closes an open escalation, by the person named by and with
	// their answer (may be empty), durably. It returns ErrAlreadyResolved
	// with the record when someone was first, ErrNotFound for an unknown
	// id.
	Resolve(ctx context.Context, id, by, answer string) (EscalationRecord, error)
	// Notify tells the asker of a resolved escalation, unless that is done
	// or under way elsewhere. Callers call it after Resolve, when they can
	// wait for it; what fails is tried again by the desk's rounds.
	Notify(ctx context.Context, rec EscalationRecord) error
}

// Limits of the support loop.
const (
	// DefaultRemindAfter is how long an escalation stays open before it is
	// posted again (FAQBOT_ESCALATION_REMIND).
	DefaultRemindAfter = 24 * time.Hour
	// DefaultFollowupEvery is how often the desk looks for follow-ups.
	DefaultFollowupEvery = time.Minute
	// FollowupStaleAfter is when a claimed follow-up counts as abandoned:
	// far longer than posting one message takes, retries included.
	FollowupStaleAfter = 5 * time.Minute
	// notifyWithin is how long after a resolution the desk keeps trying to
	// tell the asker.
	notifyWithin = 24 * time.Hour
	// followupBatch bounds the follow-ups one round does.
	followupBatch = 50
	// followupTimeout bounds one notification or reminder.
	followupTimeout = time.Minute
	// MaxResolverName and MaxHumanAnswer bound what a resolution carries,
	// in characters.
	MaxResolverName = 200
	MaxHumanAnswer  = 8000
)

// ErrEmptyResolver is returned by Resolve without a name for the person
// resolving.
var ErrEmptyResolver = errors.New("say who resolves the escalation")

// Desk resolves escalations and does what is owed after: it tells askers,
// through the notifier of the transport they asked on, and posts
// escalations left open too long again, through the reminder of where
// they were posted. Register notifiers and reminders before Run.
type Desk struct {
	store       FollowupStore
	remindAfter time.Duration
	now         func() time.Time
	log         *slog.Logger

	mu        sync.RWMutex
	notifiers map[string]ResolutionNotifier
	reminders map[string]Reminder
}

// DeskOptions configure a Desk. All fields are optional.
type DeskOptions struct {
	// RemindAfter is how long an escalation stays open before it is posted
	// again (DefaultRemindAfter when zero; negative turns reminders off).
	RemindAfter time.Duration
	Clock       func() time.Time
	Logger      *slog.Logger
}

// NewDesk returns a desk over store.
func NewDesk(store FollowupStore, opts DeskOptions) *Desk {
	if opts.RemindAfter == 0 {
		opts.RemindAfter = DefaultRemindAfter
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Desk{
		store: store, remindAfter: opts.RemindAfter, now: opts.Clock, log: opts.Logger,
		notifiers: map[string]ResolutionNotifier{}, reminders: map[string]Reminder{},
	}
}

// NotifyVia tells askers of escalations from transport through n.
func (d *Desk) NotifyVia(transport string, n ResolutionNotifier) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.notifiers[transport] = n
}

// RemindVia posts reminders of escalations posted to destination through r.
func (d *Desk) RemindVia(destination string, r Reminder) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.reminders[destination] = r
}

// Escalation implements Resolver.
func (d *Desk) Escalation(ctx context.Context, id string) (EscalationRecord, error) {
	return d.store.Escalation(ctx, id)
}

// Resolve implements Resolver.
func (d *Desk) Resolve(ctx context.Context, id, by, answer string) (EscalationRecord, error) {
	by = strings.TrimSpace(by)
	if by == "" {
		return EscalationRecord{}, ErrEmptyResolver
	}
	return d.store.ResolveEscalation(ctx, id, truncateRunes(by, MaxResolverName), truncateRunes(strings.TrimSpace(answer), MaxHumanAnswer))
}

// ErrNotifyingElsewhere is returned by Notify when the notice is done or
// being sent by another caller.
var ErrNotifyingElsewhere = errors.New("the asker is told elsewhere")

// Notify implements Resolver. It returns nil once the asker was told, or
// when their transport cannot be reached from here.
func (d *Desk) Notify(ctx context.Context, rec EscalationRecord) error {
	ok, err := d.store.ClaimFollowup(ctx, rec.ID, FollowupNotify)
	if err != nil {
		d.log.Error("cannot claim the resolution notice", "escalation", rec.ID, "err", err)
		return fmt.Errorf("notify the asker: %w", err)
	}
	if !ok {
		return ErrNotifyingElsewhere
	}
	d.mu.RLock()
	n := d.notifiers[rec.Transport]
	d.mu.RUnlock()
	if n != nil {
		err = n.NotifyResolved(ctx, rec)
	}
	if err != nil {
		d.log.Warn("cannot tell the asker their escalation was resolved; will retry", "escalation", rec.ID, "transport", rec.Transport, "err", err)
	}
	if ferr := d.store.FinishFollowup(context.WithoutCancel(ctx), rec.ID, FollowupNotify, err == nil); ferr != nil {
		d.log.Error("cannot record the resolution notice", "escalation", rec.ID, "err", ferr)
	}
	if err != nil {
		return fmt.Errorf("notify the asker: %w", err)
	}
	return nil
}

// remind posts open escalation rec again, once.
func (d *Desk) remind(ctx context.Context, rec EscalationRecord) {
	d.mu.RLock()
	r := d.reminders[rec.Destination]
	d.mu.RUnlock()
	if r == nil {
		return // posted where this process cannot post: a replica that can will
	}
	ok, err := d.store.ClaimFollowup(ctx, rec.ID, FollowupRemind)
	if err != nil || !ok {
		if err != nil {
			d.log.Error("cannot claim the reminder", "escalation", rec.ID, "err", err)
		}
		return
	}
	err = r.Remind(ctx, rec, d.now().Sub(rec.Time))
	if err != nil {
		d.log.Warn("cannot post the reminder; will retry", "escalation", rec.ID, "destination", rec.Destination, "err", err)
	} else {
		d.log.Info("reminded the team of an open escalation", "escalation", rec.ID, "destination", rec.Destination)
	}
	if ferr := d.store.FinishFollowup(context.WithoutCancel(ctx), rec.ID, FollowupRemind, err == nil); ferr != nil {
		d.log.Error("cannot record the reminder", "escalation", rec.ID, "err", ferr)
	}
}

// Followups does one round of what is owed: notices that failed or were
// cut off by a crash, and reminders that are due.
func (d *Desk) Followups(ctx context.Context) error {
	now := d.now()
	due, err := d.store.DueFollowups(ctx, FollowupNotify, now.Add(-notifyWithin), followupBatch)
	if err != nil {
		return fmt.Errorf("followups: %w", err)
	}
	for _, rec := range due {
		one, cancel := context.WithTimeout(ctx, followupTimeout)
		_ = d.Notify(one, rec) // logged; tried again next round
		cancel()
	}
	if d.remindAfter < 0 {
		return nil
	}
	due, err = d.store.DueFollowups(ctx, FollowupRemind, now.Add(-d.remindAfter), followupBatch)
	if err != nil {
		return fmt.Errorf("followups: %w", err)
	}
	for _, rec := range due {
		one, cancel := context.WithTimeout(ctx, followupTimeout)
		d.remind(one, rec)
		cancel()
	}
	return nil
}

// Run does the follow-ups every `every` (DefaultFollowupEvery when zero)
// until ctx ends.
func (d *Desk) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = DefaultFollowupEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := d.Followups(ctx); err != nil && ctx.Err() == nil {
			d.log.Error("escalation follow-ups failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
