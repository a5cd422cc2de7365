package slack

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
)

func TestMentionAnsweredOnceInThreadWithCitationLinks(t *testing.T) {
	fx := newFixture(t, realBot(t), nil)
	body := eventJSON("Ev1", mention("C1", "1700000000.000100", "", "<@UBOT> What happens to my segments after the transition?"))
	if code := fx.event(t, body); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	posts := fx.slack.callsTo("chat.postMessage")
	if len(posts) != 1 {
		t.Fatalf("want 1 chat.postMessage, got %d", len(posts))
	}
	p := posts[0].Form
	t.Logf("text:\n%s\nblocks: %s", p.Get("text"), p.Get("blocks"))
	if p.Get("channel") != "C1" || p.Get("thread_ts") != "1700000000.000100" {
		t.Errorf("posted to %s thread %q, want C1 thread 1700000000.000100", p.Get("channel"), p.Get("thread_ts"))
	}
	link := regexp.MustCompile(`<https://learn\.microsoft\.com/en-us/dynamics365/customer-insights/journeys/transition-faqs#[a-z0-9-]+\|[^>]+>`)
	if !link.MatchString(p.Get("text")) {
		t.Errorf("no Slack citation link in answer:\n%s", p.Get("text"))
	}
	if strings.Contains(p.Get("text"), "](http") || strings.Contains(p.Get("text"), "**") {
		t.Errorf("Markdown left in the answer:\n%s", p.Get("text"))
	}
	if !strings.Contains(p.Get("text"), "1. <https://") {
		t.Errorf("citations are not a numbered list:\n%s", p.Get("text"))
	}
	var blocks slack.Blocks
	if err := json.Unmarshal([]byte(p.Get("blocks")), &blocks); err != nil {
		t.Fatalf("blocks: %v", err)
	}
	if got := buttonIDs(blocks); strings.Join(got, ",") != "rate,ask_human" {
		t.Errorf("buttons %v", got)
	}
	for _, m := range []string{"reactions.add", "reactions.remove"} {
		calls := fx.slack.callsTo(m)
		if len(calls) != 1 || calls[0].Form.Get("name") != "eyes" || calls[0].Form.Get("timestamp") != "1700000000.000100" {
			t.Errorf("%s: %v", m, calls)
		}
	}
	if strings.Contains(fx.logs.String(), "segments after the transition") {
		t.Error("the question text is in the logs")
	}
}

func TestRetriesAndDuplicatesGetNoSecondReply(t *testing.T) {
	asker := &fakeAsker{answer: plainAnswer}
	fx := newFixture(t, asker, nil)
	body := eventJSON("Ev2", mention("C1", "1700000000.000200", "", "<@UBOT> segments?"))
	fx.event(t, body)
	retry := http.Header{"X-Slack-Retry-Num": {"1"}, "X-Slack-Retry-Reason": {"http_timeout"}}
	if code := fx.send(t, "/slack/events", "application/json", body, retry); code != http.StatusOK {
		t.Fatalf("retry status %d", code)
	}
	// The same message under another event ID (a Socket Mode redelivery).
	fx.event(t, eventJSON("Ev2-again", mention("C1", "1700000000.000200", "", "<@UBOT> segments?")))
	if n := len(fx.slack.callsTo("chat.postMessage")); n != 1 {
		t.Errorf("want 1 post, got %d", n)
	}
	if n := len(asker.asked()); n != 1 {
		t.Errorf("want 1 question, got %d", n)
	}
}

func TestRejectsUnsignedStaleAndMalformedRequests(t *testing.T) {
	fx := newFixture(t, &fakeAsker{answer: plainAnswer}, nil)
	good := eventJSON("Ev3", mention("C1", "1700000000.000300", "", "<@UBOT> hi"))
	tests := []struct {
		name   string
		path   string
		body   string
		header func(h http.Header, body string)
		want   int
	}{
		{"bad signature", "/slack/events", good, func(h http.Header, b string) { sign(h, "wrong-secret", time.Now(), b) }, 401},
		{"stale timestamp", "/slack/events", good, func(h http.Header, b string) { sign(h, testSecret, time.Now().Add(-6*time.Minute), b) }, 401},
		{"future timestamp", "/slack/events", good, func(h http.Header, b string) { sign(h, testSecret, time.Now().Add(6*time.Minute), b) }, 401},
		{"no signature", "/slack/events", good, func(h http.Header, b string) {}, 401},
		{"garbage signature", "/slack/events", good, func(h http.Header, b string) {
			sign(h, testSecret, time.Now(), b)
			h.Set("X-Slack-Signature", "v0=zz")
		}, 401},
		{"body changed after signing", "/slack/events", good, func(h http.Header, b string) { sign(h, testSecret, time.Now(), b+" ") }, 401},
		{"malformed event", "/slack/events", `{"type":`, signed, 400},
		{"event without type", "/slack/events", `{}`, signed, 400},
		{"malformed command", "/slack/commands", "%zz", signed, 400},
		{"command without command", "/slack/commands", "text=hi", signed, 400},
		{"malformed interaction", "/slack/interactions", "payload=%7Bnot-json", signed, 400},
		{"too large", "/slack/events", `{"type":"event_callback","x":"` + strings.Repeat("a", maxBody) + `"}`, signed, 413},
		{"unsigned command", "/slack/commands", "command=%2Ffaq&text=hi", func(h http.Header, b string) {}, 401},
		{"unsigned interaction", "/slack/interactions", "payload=%7B%7D", func(h http.Header, b string) {}, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, fx.http.URL+tt.path, strings.NewReader(tt.body))
			tt.header(req.Header, tt.body)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			fx.app.Wait()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	if n := len(fx.slack.callsTo("chat.postMessage")); n != 0 {
		t.Errorf("rejected requests posted %d messages", n)
	}
}

func signed(h http.Header, body string) { sign(h, testSecret, time.Now(), body) }

func TestURLVerificationChallenge(t *testing.T) {
	fx := newFixture(t, &fakeAsker{}, nil)
	body := `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	req, _ := http.NewRequest(http.MethodPost, fx.http.URL+"/slack/events", strings.NewReader(body))
	signed(req.Header, body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ Challenge string }
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || got.Challenge != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("challenge %q, err %v", got.Challenge, err)
	}
}

func TestIgnoresBotsEditsDeletionsAndChannelChatter(t *testing.T) {
	asker := &fakeAsker{answer: plainAnswer}
	fx := newFixture(t, asker, nil)
	dm := func(extra map[string]any) map[string]any {
		m := map[string]any{"type": "message", "channel": "D1", "channel_type": "im", "user": "U123", "text": "hello", "ts": "1700000001.000001"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name  string
		event map[string]any
	}{
		{"own message", dm(map[string]any{"user": botUserID, "bot_id": botID})},
		{"other bot", dm(map[string]any{"bot_id": "BOTHER", "ts": "1.2"})},
		{"bot_message", dm(map[string]any{"subtype": "bot_message", "ts": "1.3"})},
		{"edit", dm(map[string]any{"subtype": "message_changed", "user": nil, "message": map[string]any{"text": "edited"}, "ts": "1.4"})},
		{"deletion", dm(map[string]any{"subtype": "message_deleted", "user": nil, "deleted_ts": "1.0", "ts": "1.5"})},
		{"join notice", dm(map[string]any{"subtype": "channel_join", "ts": "1.6"})},
		{"channel message", dm(map[string]any{"channel": "C1", "channel_type": "channel", "ts": "1.7"})},
		{"edited mention", map[string]any{"type": "app_mention", "user": "U123", "text": "<@UBOT> hi", "ts": "1.8", "channel": "C1", "edited": map[string]any{"user": "U123", "ts": "1.9"}}},
		{"mention by a bot", map[string]any{"type": "app_mention", "user": "U9", "bot_id": "B9", "text": "<@UBOT> hi", "ts": "1.10", "channel": "C1"}},
		{"reaction", map[string]any{"type": "reaction_added", "user": "U123", "reaction": "eyes"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code := fx.event(t, eventJSON("EvIgnore"+string(rune('a'+i)), tt.event)); code != 200 {
				t.Errorf("status %d", code)
			}
		})
	}
	if n := len(fx.slack.callsTo("chat.postMessage")); n != 0 {
		t.Errorf("ignored events produced %d posts", n)
	}
	if n := len(asker.asked()); n != 0 {
		t.Errorf("ignored events asked %d questions", n)
	}
}

func TestDirectMessageAnsweredInItsThread(t *testing.T) {
	asker := &fakeAsker{answer: plainAnswer}
	fx := newFixture(t, asker, nil)
	fx.event(t, eventJSON("EvDM", map[string]any{"type": "message", "channel": "D1", "channel_type": "im",
		"user": "U123", "text": "What about segments &amp; journeys?", "ts": "1700000002.000001"}))
	posts := fx.slack.postsTo("D1")
	if len(posts) != 1 || posts[0].Form.Get("thread_ts") != "1700000002.000001" {
		t.Fatalf("posts %v", posts)
	}
	if got := asker.asked(); len(got) != 1 || got[0].Text != "What about segments & journeys?" || got[0].Transport != "slack" || got[0].Asker.ID != "U123" {
		t.Errorf("asked %+v", got)
	}
	if !strings.Contains(posts[0].Form.Get("text"), "*members*") {
		t.Errorf("bold not converted: %s", posts[0].Form.Get("text"))
	}
}

func TestFollowUpCarriesTheThread(t *testing.T) {
	asker := &fakeAsker{answer: plainAnswer}
	fx := newFixture(t, asker, nil)
	root := "1700000003.000001"
	fx.slack.setThread(root, []slack.Message{
		{Msg: slack.Msg{User: "U123", Text: "<@UBOT> Can I export segment members?", Timestamp: root}},
		{Msg: slack.Msg{User: botUserID, BotID: botID, Text: "Yes, export them before removal [1].", Timestamp: "1700000003.000002", ThreadTimestamp: root}},
		{Msg: slack.Msg{User: "U777", BotID: "BOTHER", Text: "beep", Timestamp: "1700000003.000003", ThreadTimestamp: root}},
		{Msg: slack.Msg{User: "U123", Text: "<@UBOT> and what about journeys?", Timestamp: "1700000003.000004", ThreadTimestamp: root}},
	})
	fx.event(t, eventJSON("EvFollow", mention("C1", "1700000003.000004", root, "<@UBOT> and what about journeys?")))
	got := asker.asked()
	if len(got) != 1 {
		t.Fatalf("asked %d questions", len(got))
	}
	want := []bot.Turn{{Role: bot.RoleUser, Text: "Can I export segment members?"}, {Role: bot.RoleBot, Text: "Yes, export them before removal [1]."}}
	if got[0].Text != "and what about journeys?" || !equalTurns(got[0].History, want) {
		t.Errorf("question %q history %+v", got[0].Text, got[0].History)
	}
	if posts := fx.slack.postsTo("C1"); len(posts) != 1 || posts[0].Form.Get("thread_ts") != root {
		t.Errorf("not answered in the thread: %v", posts)
	}
	if calls := fx.slack.callsTo("conversations.replies"); len(calls) != 1 || calls[0].Form.Get("ts") != root {
		t.Errorf("conversations.replies %v", calls)
	}
}

func equalTurns(a, b []bot.Turn) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFailuresEndInAnApology(t *testing.T) {
	tests := []struct {
		name    string
		asker   *fakeAsker
		fail    func(string) int
		wantMsg string
	}{
		{"asker fails", &fakeAsker{err: errors.New("index not ready")}, nil, "Sorry, something went wrong"},
		{"empty question", &fakeAsker{err: bot.ErrEmptyQuestion}, nil, "Ask me a question"},
		{"answer post fails once with 503", &fakeAsker{answer: plainAnswer}, failFirst(503), "Export the segment"},
		{"rate limited once", &fakeAsker{answer: plainAnswer}, failFirst(429), "Export the segment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, tt.asker, nil)
			if tt.fail != nil {
				fx.slack.setFail(func(method string, _ url.Values) int {
					if method != "chat.postMessage" {
						return 0
					}
					return tt.fail(method)
				})
			}
			fx.event(t, eventJSON("EvFail", mention("C1", "1700000004.000001", "", "<@UBOT> segments?")))
			var ok []string
			for _, p := range fx.slack.postsTo("C1") {
				ok = append(ok, p.Form.Get("text"))
			}
			if len(ok) == 0 || !strings.Contains(ok[len(ok)-1], tt.wantMsg) {
				t.Errorf("replies %q, want the last to contain %q", ok, tt.wantMsg)
			}
		})
	}
}

// failFirst fails the first call with status, then lets calls through.
func failFirst(status int) func(string) int {
	n := 0
	return func(string) int {
		n++
		if n == 1 {
			return status
		}
		return 0
	}
}

func buttonIDs(blocks slack.Blocks) []string {
	var ids []string
	for _, b := range blocks.BlockSet {
		if cb, ok := b.(*slack.ContextActionsBlock); ok && cb.Elements != nil {
			for _, e := range cb.Elements.ElementSet {
				if fb, ok := e.(*slack.FeedbackButtonsBlockElement); ok {
					ids = append(ids, fb.ActionID)
				}
			}
		}
		if ab, ok := b.(*slack.ActionBlock); ok && ab.Elements != nil {
			for _, e := range ab.Elements.ElementSet {
				if btn, ok := e.(*slack.ButtonBlockElement); ok {
					ids = append(ids, btn.ActionID)
				}
			}
		}
	}
	return ids
}
