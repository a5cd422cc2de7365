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
// admin URL or an id.
func dashboardLink(adminURL, id string) string {
	if adminURL == "" || id == "" {
		return ""
	}
	return adminURL + "/escalations/" + url.PathEscape(id)
}

const dashboardTitle = "Open on the dashboard"

// withDashboardLink adds a button to an escalation card posted by the bot.
func withDashboardLink(out outActivity, adminURL, id string) outActivity {
	link := dashboardLink(adminURL, id)
	if link == "" {
		return out
	}
	for _, att := range out.Attachments {
		if card, ok := att.Content.(map[string]any); ok {
			actions, _ := card["actions"].([]any)
			card["actions"] = append(actions, map[string]any{"type": "Action.OpenUrl", "title": dashboardTitle, "url": link})
		}
	}
	return out
}

// withDashboardLink adds a button to a Workflows escalation card.
func (c cardMessage) withDashboardLink(adminURL, id string) cardMessage {
	link := dashboardLink(adminURL, id)
	if link == "" {
		return c
	}
	for i := range c.Attachments {
		c.Attachments[i].Content.Actions = append(c.Attachments[i].Content.Actions, action{Type: "Action.OpenUrl", Title: dashboardTitle, URL: link})
	}
	return c
}
