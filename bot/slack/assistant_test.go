package slack

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
)

const (
	dmChannel  = "D0AI"
	paneThread = "1700000500.000100"
)

func threadStarted(eventID string) string {
	return eventJSON(eventID, map[string]any{
		"type": "assistant_thread_started", "event_ts": "1700000500.000200",
		"assistant_thread": map[string]any{"user_id": "U123", "channel_id": dmChannel, "thread_ts": paneThread,
			"context": map[string]any{"channel_id": "CVIEW", "team_id": "T1", "enterprise_id": ""}},
	})
}

func paneMessage(ts, text string) map[string]any {
	return map[string]any{"type": "message", "channel_type": "im", "user": "U123", "text": text,
		"ts": ts, "thread_ts": paneThread, "channel": dmChannel, "event_ts": ts}
}

func suggester(t *testing.T) bot.Suggester {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	return &bot.SectionSuggestions{Corpus: func() *corpus.Corpus { return c }}
}

// Opening the pane sets suggested prompts from the FAQ's own questions and
// greets the user in the thread, once however often Slack delivers it.
func TestAssistantThreadStartedSuggestsPrompts(t *testing.T) {
	fx := newFixture(t, &fakeAsker{answer: plainAnswer}, func(o *Options) { o.Suggester = suggester(t) })
	fx.event(t, threadStarted("EvStart"))
	fx.event(t, threadStarted("EvStart")) // Slack's retry

	if got := fx.slack.methods(); !slices.Equal(got, []string{"assistant.threads.setSuggestedPrompts", "chat.postMessage"}) {
		t.Fatalf("calls %v, want the prompts then the greeting, once", got)
	}
	form := fx.slack.callsTo("assistant.threads.setSuggestedPrompts")[0].Form
	if form.Get("channel_id") != dmChannel || form.Get("thread_ts") != paneThread {
		t.Errorf("prompts set on %s/%s", form.Get("channel_id"), form.Get("thread_ts"))
	}
	var prompts []slack.AssistantThreadsPrompt
	if err := json.Unmarshal([]byte(form.Get("prompts")), &prompts); err != nil {
		t.Fatal(err)
	}
	if len(prompts) < 3 || len(prompts) > 4 {
		t.Fatalf("%d prompts, want 3 or 4: %+v", len(prompts), prompts)
	}
	for _, p := range prompts {
		if p.Title == "" || !strings.HasSuffix(p.Message, "?") {
			t.Errorf("prompt %+v is not one of the FAQ's questions", p)
		}
	}
	greet := fx.slack.callsTo("chat.postMessage")[0].Form
	if greet.Get("channel") != dmChannel || greet.Get("thread_ts") != paneThread || !strings.Contains(greet.Get("text"), "transition FAQ") {
		t.Errorf("greeting %v", greet)
	}
	if got := fx.app.contexts.get(dmChannel + "/" + paneThread); got != "CVIEW" {
		t.Errorf("thread context = %q, want CVIEW", got)
	}

	fx.event(t, eventJSON("EvCtx", map[string]any{
		"type": "assistant_thread_context_changed",
		"assistant_thread": map[string]any{"user_id": "U123", "channel_id": dmChannel, "thread_ts": paneThread,
			"context": map[string]any{"channel_id": "COTHER", "team_id": "T1"}},
	}))
	if got := fx.app.contexts.get(dmChannel + "/" + paneThread); got != "COTHER" {
		t.Errorf("after context_changed the thread context = %q, want COTHER", got)
	}
	if n := len(fx.slack.methods()); n != 2 {
		t.Errorf("context_changed made Slack calls: %v", fx.slack.methods())
	}
}

// A question in the pane: the status says the bot is searching before the
// answer is posted, the first question titles the thread, later ones do
// not, and no reaction is added.
func TestAssistantMessageStatusThenAnswerTitleOnce(t *testing.T) {
	asker := &fakeAsker{answer: plainAnswer}
	fx := newFixture(t, asker, nil)
	fx.slack.setThread(paneThread, []slack.Message{
		{Msg: slack.Msg{Timestamp: paneThread, User: botUserID, BotID: botID, Text: assistantGreeting}},
	})
	fx.event(t, eventJSON("EvQ1", paneMessage("1700000501.000100", "What happens to my   segments?")))

	got := fx.slack.methods("auth.test", "conversations.replies")
	want := []string{"assistant.threads.setStatus", "assistant.threads.setTitle", "chat.postMessage"}
	if !slices.Equal(got, want) {
		t.Fatalf("calls %v, want %v", got, want)
	}
	status := fx.slack.callsTo("assistant.threads.setStatus")[0].Form
	if status.Get("status") != statusSearching || status.Get("channel_id") != dmChannel || status.Get("thread_ts") != paneThread {
		t.Errorf("status %v", status)
	}
	if title := fx.slack.callsTo("assistant.threads.setTitle")[0].Form.Get("title"); title != "What happens to my segments?" {
		t.Errorf("title %q", title)
	}
	post := fx.slack.callsTo("chat.postMessage")[0].Form
	if post.Get("channel") != dmChannel || post.Get("thread_ts") != paneThread || !strings.Contains(post.Get("text"), "Export the segment") {
		t.Errorf("answer %v", post)
	}
	if q := asker.asked()[0]; len(q.History) != 0 {
		t.Errorf("the greeting was passed as history: %+v", q.History)
	}

	// The second question: the thread now holds the first.
	fx.slack.setThread(paneThread, []slack.Message{
		{Msg: slack.Msg{Timestamp: paneThread, User: botUserID, BotID: botID, Text: assistantGreeting}},
		{Msg: slack.Msg{Timestamp: "1700000501.000100", User: "U123", Text: "What happens to my segments?"}},
		{Msg: slack.Msg{Timestamp: "1700000501.000200", User: botUserID, BotID: botID, Text: "Export the segment members first."}},
	})
	fx.event(t, eventJSON("EvQ2", paneMessage("1700000502.000100", "and journeys?")))
	if n := len(fx.slack.callsTo("assistant.threads.setTitle")); n != 1 {
		t.Errorf("setTitle called %d times, want once per thread", n)
	}
	if n := len(fx.slack.callsTo("assistant.threads.setStatus")); n != 2 {
		t.Errorf("setStatus called %d times, want once per question", n)
	}
	if q := asker.asked()[1]; len(q.History) != 3 || q.History[1].Role != bot.RoleUser {
		t.Errorf("follow-up history %+v", q.History)
	}
	if n := len(fx.slack.callsTo("reactions.add")); n != 0 {
		t.Errorf("%d reactions in the pane, want the status instead", n)
	}
}

// A title that cannot be set is no reason to stay silent.
func TestAssistantAnswersWhenThePaneCallsFail(t *testing.T) {
	fx := newFixture(t, &fakeAsker{answer: plainAnswer}, func(o *Options) { o.Suggester = suggester(t) })
	fx.slack.setFail(func(method string, _ url.Values) int {
		if strings.HasPrefix(method, "assistant.") {
			return 400
		}
		return 0
	})
	fx.event(t, threadStarted("EvStart2"))
	fx.event(t, eventJSON("EvQ3", paneMessage("1700000503.000100", "segments?")))
	if n := len(fx.slack.postsTo(dmChannel)); n != 2 {
		t.Errorf("%d posts, want the greeting and the answer", n)
	}
}
