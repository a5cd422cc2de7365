package teams

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"

	"github.com/faqbot/faqbot/bot"
)

// Bounds of what a resolution carries into the asker's conversation.
const (
	maxResolutionText = 4000
	maxResolverName   = 200
)

// ErrNoEscalationDestination: neither an escalation conversation nor an
// escalator is configured, so no person was told.
var ErrNoEscalationDestination = errors.New("teams bot: no escalation destination configured")

// newEscalation is the escalation of answer ans to question q, asked in
// act's conversation.
func (b *Bot) newEscalation(act botActivity, key string, q bot.Question, ans bot.Answer, reason bot.Reason) Escalation {
	return Escalation{
		ID:        newEscalationID(),
		AnswerKey: key,
		Reason:    reason,
		Question:  q,
		Answer:    ans,
		Asker:     act.reference(),
		Created:   b.now(),
	}
}

// newEscalationID is unguessable: whoever knows an id can have the asker
// notified.
func newEscalationID() string {
	var buf [12]byte
	_, _ = rand.Read(buf[:]) // crypto/rand.Read never fails
	return "esc_" + hex.EncodeToString(buf[:])
}

// escalate records e, once per answer, hands it to people and returns the
// sentence that tells the asker what happened.
func (b *Bot) escalate(ctx context.Context, e Escalation) string {
	e, deliver, err := b.open(ctx, e)
	switch {
	case err != nil:
		return b.unreachable()
	case !deliver:
		return alreadyEscalatedText
	}
	return b.handOff(ctx, e)
}

const alreadyEscalatedText = "This question is already with the team; a person will follow up."

// open records e unless its answer was escalated already, and says whether
// to deliver it: a new escalation, or an earlier one whose delivery failed
// (asking again retries it). A record that cannot be written is logged
// with the whole escalation, so that it can be handed over by hand.
func (b *Bot) open(ctx context.Context, e Escalation) (Escalation, bool, error) {
	id, created, err := b.escalations.Open(ctx, e)
	if err != nil {
		b.log.Error("cannot record the escalation; hand it over by hand", "err", err, escalationLog(e))
		return e, false, fmt.Errorf("record escalation: %w", err)
	}
	if created {
		e.ID = id
		return e, true, nil
	}
	prev, err := b.escalations.Get(ctx, id)
	if err != nil {
		b.log.Warn("cannot read the earlier escalation", "escalation", id, "err", err)
		return e, false, nil
	}
	return prev, prev.Status == EscalationFailed, nil
}

// handOff posts an opened escalation and records how far it got. It never
// promises a follow-up that cannot come.
func (b *Bot) handOff(ctx context.Context, e Escalation) string {
	err := b.deliver(ctx, e)
	status := EscalationPosted
	switch {
	case errors.Is(err, ErrNoEscalationDestination):
		status = EscalationFailed
		b.log.Warn("escalation with no destination; pointed the asker to the contact", "escalation", e.ID, "reason", e.Reason)
	case err != nil:
		status = EscalationFailed
		b.log.Error("escalation not delivered; hand it over by hand", "err", err, escalationLog(e))
	default:
		b.log.Info("escalated", "escalation", e.ID, "reason", e.Reason)
	}
	if serr := b.escalations.SetStatus(ctx, e.ID, status); serr != nil {
		b.log.Error("cannot record the escalation's status", "escalation", e.ID, "status", status, "err", serr)
	}
	switch {
	case errors.Is(err, ErrNoEscalationDestination):
		return bot.NoHandOffText(b.opts.Contact)
	case err != nil:
		return b.unreachable()
	}
	return bot.HandedOffText("")
}

func (b *Bot) unreachable() string {
	return bot.HandOffFailedText(b.opts.Contact)
}

// deliver posts e to the escalation channel through the connector, or to
// the escalator (the Workflows webhook).
func (b *Bot) deliver(ctx context.Context, e Escalation) error {
	switch {
	case b.opts.EscalationConversation != "":
		out := escalationChannelCard(e, b.opts.AdminURL)
		out.Conversation = conversationAccount{ID: b.opts.EscalationConversation}
		if e.Asker.Bot != "" {
			out.From = &account{ID: e.Asker.Bot}
		}
		_, err := b.conn.post(ctx, "escalate", e.Asker.ServiceURL, b.opts.EscalationConversation, "", out)
		b.opts.OnEscalation(e.Reason, err)
		return err
	case b.opts.Escalator != nil:
		return b.opts.Escalator.Escalate(ctx, bot.Escalation{ID: e.ID, Question: e.Question, Answer: e.Answer, Reason: e.Reason})
	}
	return ErrNoEscalationDestination
}

// NotifyResolved tells the asker of escalation id, in the conversation they
// asked in, that a person followed up: answer is what that person said
// (may be empty), resolver who they are. The escalation loop calls it when
// someone resolves or answers an escalation. It notifies once: calls for
// an escalation already notified, or being notified, do nothing. A failed
// post returns the error and may be retried.
func (b *Bot) NotifyResolved(ctx context.Context, id, answer, resolver string) error {
	e, err := b.escalations.Get(ctx, id)
	if err != nil {
		return fmt.Errorf("teams bot: escalation %s: %w", id, err)
	}
	if e.Status == EscalationNotified {
		return nil
	}
	key := "teams:resolved:" + id
	if !b.claim(ctx, key) {
		return nil
	}
	out := resolvedActivity(e, shorten(answer, maxResolutionText), shorten(resolver, maxResolverName))
	if e.Asker.Bot != "" {
		out.From = &account{ID: e.Asker.Bot}
	}
	out.Conversation = conversationAccount{ID: e.Asker.ConversationID}
	if _, err := b.conn.post(ctx, "notify", e.Asker.ServiceURL, e.Asker.ConversationID, "", out); err != nil {
		b.release(key)
		return fmt.Errorf("teams bot: notify the asker of %s: %w", id, err)
	}
	if err := b.escalations.SetStatus(ctx, id, EscalationNotified); err != nil {
		// The asker has the message; a later call may post it again.
		b.log.Error("cannot record that the asker was notified", "escalation", id, "err", err)
	}
	b.log.Info("told the asker their escalation was resolved", "escalation", id)
	return nil
}

// escalationLog is everything an escalation card would have carried.
func escalationLog(e Escalation) slog.Attr {
	sources := make([]string, 0, len(e.Answer.Citations))
	for _, c := range e.Answer.Citations {
		sources = append(sources, c.Title+" <"+c.URL+">")
	}
	return slog.Group("escalation",
		"id", e.ID,
		"reason", e.Reason,
		"asker_id", e.Question.Asker.ID,
		"asker_name", e.Question.Asker.Name,
		"by", e.By.ID,
		"conversation", e.Asker.ConversationID,
		"question", e.Question.Text,
		"answer", e.Answer.Text,
		"sources", sources,
	)
}
