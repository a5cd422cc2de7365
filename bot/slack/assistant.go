package slack

import (
	"context"
	"encoding/json"
	"strings"
	"sync"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
)

// Slack's "Agents & AI Apps" surface: a split-view pane where each
// conversation is a thread of the app's DM. Slack tells the app when a
// thread opens (assistant_thread_started) and when the user looks at
// another channel beside it (assistant_thread_context_changed); messages
// in the thread arrive as message.im.

// What the pane shows.
const (
	statusSearching   = "Searching the FAQ…"
	promptsTitle      = "Popular questions"
	assistantGreeting = "Hi! I answer questions about moving from outbound marketing to real-time journeys in " +
		"Customer Insights – Journeys from Microsoft's transition FAQ, and cite the section each answer comes from. " +
		"Pick a suggestion below or ask your own question. Extension requests go to a person."
	// maxPrompts is Slack's limit on suggested prompts.
	maxPrompts = 4
	// maxThreadTitle bounds a thread's title, taken from its first
	// question.
	maxThreadTitle = 100
	// maxTrackedThreads bounds the thread contexts kept in memory; the
	// oldest are forgotten first.
	maxTrackedThreads = 10000
)

// assistantThread is the assistant_thread object of both events.
type assistantThread struct {
	UserID    string `json:"user_id"`
	ChannelID string `json:"channel_id"`
	ThreadTS  string `json:"thread_ts"`
	Context   struct {
		ChannelID    string `json:"channel_id"`
		TeamID       string `json:"team_id"`
		EnterpriseID string `json:"enterprise_id"`
	} `json:"context"`
}

// threadContexts remembers, per assistant thread, which channel the user
// had open beside it, for logs and escalations.
type threadContexts struct {
	mu    sync.Mutex
	m     map[string]string
	order []string
}

func (t *threadContexts) set(thread, channel string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[string]string{}
	}
	if _, ok := t.m[thread]; !ok {
		t.order = append(t.order, thread)
		if len(t.order) > maxTrackedThreads {
			delete(t.m, t.order[0])
			t.order = t.order[1:]
		}
	}
	t.m[thread] = channel
}

func (t *threadContexts) get(thread string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.m[thread]
}

// acceptAssistant takes the assistant pane's own events; it reports
// false for any other event. Its error, errBusy or errClosing, asks Slack
// to deliver the event again, as acceptEvent's does.
func (a *App) acceptAssistant(env envelope, eventType string) (bool, error) {
	if eventType != "assistant_thread_started" && eventType != "assistant_thread_context_changed" {
		return false, nil
	}
	var ev struct {
		Thread assistantThread `json:"assistant_thread"`
	}
	if json.Unmarshal(env.Event, &ev) != nil || ev.Thread.ChannelID == "" || ev.Thread.ThreadTS == "" {
		a.log.Debug("ignored assistant event without a thread", "event_id", env.EventID)
		return true, nil
	}
	th := ev.Thread
	a.contexts.set(conversation(th.ChannelID, th.ThreadTS), th.Context.ChannelID)
	if eventType == "assistant_thread_started" {
		err := a.spawn(func(ctx context.Context) {
			if a.claim(ctx, "slack:event:"+env.EventID) {
				a.welcome(ctx, th)
			}
		})
		if err != nil {
			a.log.Warn("assistant event refused for Slack to deliver again", "reason", err, "event_id", env.EventID)
			return true, err
		}
	}
	return true, nil
}

// welcome offers suggested prompts and greets the user in a new thread.
// Both are niceties: a failure is logged and the thread still works.
func (a *App) welcome(ctx context.Context, th assistantThread) {
	if a.opts.Suggester != nil {
		params := slack.AssistantThreadsSetSuggestedPromptsParameters{ChannelID: th.ChannelID, ThreadTS: th.ThreadTS, Title: promptsTitle}
		for _, s := range a.opts.Suggester.Suggest(ctx, maxPrompts) {
			params.AddPrompt(s.Title, s.Question)
		}
		if len(params.Prompts) > 0 {
			err := a.call(ctx, "assistant.threads.setSuggestedPrompts", func(ctx context.Context) error {
				return a.api.SetAssistantThreadsSuggestedPromptsContext(ctx, params)
			})
			if err != nil {
				a.log.Warn("cannot set suggested prompts", "channel", th.ChannelID, "thread_ts", th.ThreadTS, "err", err)
			}
		}
	}
	if _, err := a.post(ctx, th.ChannelID, threadReply(th.ThreadTS, assistantGreeting)...); err != nil {
		a.log.Warn("cannot greet in the assistant thread", "channel", th.ChannelID, "thread_ts", th.ThreadTS, "err", err)
	}
}

// inAssistantThread says whether m was written in an assistant pane's
// thread: a reply in a thread of the app's DM. There the pane's status
// shows that the bot is working, instead of a reaction.
func inAssistantThread(m message) bool {
	return m.Type == "message" && m.ChannelType == "im" && m.ThreadTS != "" && m.ThreadTS != m.TS
}

// setStatus shows what the bot is doing under the thread ("" clears it;
// Slack also clears it when the bot replies). Decoration: one attempt.
func (a *App) setStatus(ctx context.Context, channel, thread, status string) {
	err := a.once(ctx, "assistant.threads.setStatus", func(ctx context.Context) error {
		return a.api.SetAssistantThreadsStatusContext(ctx, slack.AssistantThreadsSetStatusParameters{ChannelID: channel, ThreadTS: thread, Status: status})
	})
	if err != nil {
		a.log.Debug("cannot set the assistant status", "channel", channel, "thread_ts", thread, "err", err)
	}
}

// openTurn prepares a question asked in an assistant thread: the first
// question names the thread (once, restarts included), and a history that
// holds no question yet (only the greeting) is no history.
func (a *App) openTurn(ctx context.Context, m message, thread, question string, history []bot.Turn) []bot.Turn {
	for _, t := range history {
		if t.Role == bot.RoleUser {
			return history
		}
	}
	if a.claim(ctx, "slack:title:"+conversation(m.Channel, thread)) {
		title := truncate(strings.Join(strings.Fields(question), " "), maxThreadTitle)
		err := a.call(ctx, "assistant.threads.setTitle", func(ctx context.Context) error {
			return a.api.SetAssistantThreadsTitleContext(ctx, slack.AssistantThreadsSetTitleParameters{ChannelID: m.Channel, ThreadTS: thread, Title: title})
		})
		if err != nil {
			a.log.Debug("cannot set the thread title", "channel", m.Channel, "thread_ts", thread, "err", err)
		}
	}
	return nil
}
