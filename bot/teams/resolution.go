package teams

import (
	"context"
	"net/url"

	"github.com/faqbot/faqbot/bot"
)

// The escalation loop's side of the Teams bot: telling askers that a
// person followed up (NotifyResolved, through the desk), and linking
// escalation cards to their page on the dashboard.

// Notifier tells the bot's askers of resolutions for the desk: a
// bot.ResolutionNotifier over NotifyResolved.
func (b *Bot) Notifier() bot.ResolutionNotifier { return resolutionNotifier{b} }

type resolutionNotifier struct{ b *Bot }

// NotifyResolved implements bot.ResolutionNotifier. Escalations with no
// conversation to reach (the outgoing webhook's, which cannot send
// proactive messages) have nothing to tell.
func (n resolutionNotifier) NotifyResolved(ctx context.Context, rec bot.EscalationRecord) error {
	if rec.ReplyTo == "" {
		return nil
	}
	return n.b.NotifyResolved(ctx, rec.ID, rec.HumanAnswer, rec.ResolvedBy)
}

// dashboardLink is the escalation's page on the dashboard, "" without an
// admin URL or an id: escalationBody's last button.
func dashboardLink(adminURL, id string) string {
	if adminURL == "" || id == "" {
		return ""
	}
	return adminURL + "/escalations/" + url.PathEscape(id)
}

const dashboardTitle = "Open on the dashboard"
