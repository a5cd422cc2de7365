package teams

import (
	"context"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
)

func TestWorkflowCardsLinkRecordedEscalationsToTheDashboard(t *testing.T) {
	wf := &workflow{}
	url := startWorkflow(t, wf)
	for _, tc := range []struct {
		adminURL, id string
		want         bool
	}{
		{"https://faqbot.example.com/admin", "9c16", true},
		{"https://faqbot.example.com/admin", "", false}, // not recorded
		{"", "9c16", false}, // no public URL
	} {
		e, err := NewEscalator(url, EscalatorOptions{AdminURL: tc.adminURL})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Escalate(context.Background(), bot.Escalation{ID: tc.id, Question: bot.Question{Text: "q"}, Reason: bot.UserRequest}); err != nil {
			t.Fatal(err)
		}
		bodies, _ := wf.posts()
		got := strings.Contains(string(bodies[len(bodies)-1]), `"url":"https://faqbot.example.com/admin/escalations/9c16"`)
		if got != tc.want {
			t.Errorf("admin URL %q, id %q: link %v, want %v:\n%s", tc.adminURL, tc.id, got, tc.want, bodies[len(bodies)-1])
		}
	}
}

func TestNotifierSkipsEscalationsWithNowhereToReply(t *testing.T) {
	b, err := NewBot(BotOptions{AppID: "a", AppPassword: "p", TenantID: "t", Asker: nopAsker{}})
	if err != nil {
		t.Fatal(err)
	}
	// The outgoing webhook's escalations carry no conversation reference:
	// nothing to tell, and nothing fails.
	if err := b.Notifier().NotifyResolved(context.Background(), bot.EscalationRecord{ID: "x", Transport: "teams"}); err != nil {
		t.Errorf("notify without a reference: %v", err)
	}
	// One with a reference the bot does not know is an error the desk
	// retries.
	if err := b.Notifier().NotifyResolved(context.Background(), bot.EscalationRecord{ID: "unknown", ReplyTo: `{"service_url":"x"}`}); err == nil {
		t.Error("notifying an unknown escalation succeeded")
	}
}

type nopAsker struct{}

func (nopAsker) Ask(context.Context, bot.Question) (bot.Answer, error) { return bot.Answer{}, nil }
