package slack

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// ErrNoEscalationChannel is returned by Escalate when no channel is
// configured.
var ErrNoEscalationChannel = errors.New("slack: no escalation channel configured")

// handoff is an escalation as the Slack channel shows it.
type handoff struct {
	bot.Escalation
	// Draft is the bot's answer in mrkdwn; made from Escalation.Answer when
	// empty.
	Draft string
	// By is who clicked "Ask a human", when not the asker.
	By string
	// Where says where the question was asked when there is no link.
	Where string
}

// Escalate posts e to the escalation channel, retrying Slack's transient
// failures. It implements bot.Escalator.
func (a *App) Escalate(ctx context.Context, e bot.Escalation) error {
	return a.postEscalation(ctx, handoff{Escalation: e})
}

func (a *App) postEscalation(ctx context.Context, h handoff) error {
	ch := a.opts.EscalationChannel
	if ch == "" {
		return ErrNoEscalationChannel
	}
	if _, err := a.post(ctx, ch, a.escalationMessage(escalationText(h), h.ID)...); err != nil {
		return fmt.Errorf("post escalation to %s: %w", ch, err)
	}
	return nil
}

// handOff escalates and returns the note that tells the asker what
// happened. The escalation is recorded before it is posted, and how the
// posting went after; one that cannot be posted is also logged in full.
// A store that fails does not stop the hand-off.
func (a *App) handOff(ctx context.Context, e bot.Escalation, where string) string {
	rec, _, err := a.records.OpenEscalation(ctx, bot.NewEscalationRecord(e, time.Now().UTC()))
	if err != nil {
		a.log.Error("cannot record escalation; handing it off anyway", "err", err, "reason", e.Reason)
	}
	e.ID = rec.ID
	note, _ := a.deliver(ctx, handoff{Escalation: e, Where: where}, rec.ID)
	return note
}

// deliver posts a prepared handoff, records how it went under escalation
// id (none when ""), and returns the note for the asker and whether the
// escalation reached the channel.
func (a *App) deliver(ctx context.Context, h handoff, id string) (note string, delivered bool) {
	ch := a.opts.EscalationChannel
	err := a.postEscalation(ctx, h)
	if a.opts.OnEscalation != nil {
		a.opts.OnEscalation(h.Reason, err)
	}
	if id != "" {
		dest := transport
		if ch == "" {
			dest = ""
		}
		rctx, cancel := detached(ctx)
		if rerr := a.records.EscalationDelivered(rctx, id, dest, err); rerr != nil {
			a.log.Error("cannot record escalation delivery", "escalation", id, "err", rerr)
		}
		cancel()
	}
	if ch == "" {
		a.log.Info("escalation with no channel to post to; pointed the asker to the contact", "reason", h.Reason, "asker", h.Question.Asker.ID)
		return bot.NoHandOffText(a.contact()), false
	}
	if err == nil {
		a.log.Info("escalated", "reason", h.Reason, "asker", h.Question.Asker.ID, "channel", ch)
		return "🙋 " + bot.HandedOffText("<#"+ch+">"), true
	}
	a.logFailed(h, err)
	return "⚠️ " + bot.HandOffFailedText(a.contact()), false
}

// contact is whom askers are pointed to, as mrkdwn.
func (a *App) contact() string { return escape(a.opts.Contact) }

// logFailed logs a failed escalation with everything needed to redo it
// by hand; the store has it too, as failed.
func (a *App) logFailed(h handoff, err error) {
	var urls []string
	for _, c := range h.Answer.Citations {
		urls = append(urls, c.URL)
	}
	a.log.Error("escalation not delivered: handle it by hand",
		"err", err, "escalation_channel", a.opts.EscalationChannel,
		"reason", h.Reason, "asker", h.Question.Asker.ID, "question", h.Question.Text,
		"link", h.Link, "where", h.Where, "draft", h.draft(), "sources", urls,
		"corpus_version", h.Answer.CorpusVersion)
}

func (h handoff) draft() string {
	if h.Draft != "" {
		return h.Draft
	}
	return mrkdwn(h.Answer.Text, h.Answer.Citations)
}

// escalationText is the post in the escalation channel: who asked what,
// where, why it needs people, and what the bot would have said.
func escalationText(h handoff) string {
	var b strings.Builder
	fmt.Fprintf(&b, ":rotating_light: *Escalation: %s*\n", h.Reason.Label())
	if id := h.Question.Asker.ID; id != "" {
		fmt.Fprintf(&b, "*Asked by:* <@%s>", id)
		if h.By != "" && h.By != id {
			fmt.Fprintf(&b, " · *escalated by* <@%s>", h.By)
		}
		b.WriteString("\n")
	} else if name := h.Question.Asker.Name; name != "" {
		// Someone outside Slack (the web chat), named as they named themselves.
		fmt.Fprintf(&b, "*Asked by:* %s\n", escape(truncate(name, 300)))
	}
	fmt.Fprintf(&b, "*Question:*\n%s\n", quote(escape(truncate(h.Question.Text, 2000))))
	switch {
	case h.Link != "":
		fmt.Fprintf(&b, "*Conversation:* %s\n", link(h.Link, "open the thread"))
	case h.Where != "":
		fmt.Fprintf(&b, "*Conversation:* %s\n", h.Where)
	}
	if d := strings.TrimSpace(truncate(h.draft(), 6000)); d != "" {
		fmt.Fprintf(&b, "*The bot's draft answer:*\n%s\n", quote(d))
	}
	if s := sources(h.Answer); s != "" {
		b.WriteString(s + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
