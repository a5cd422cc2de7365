package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot/llm/llmtest"
)

// recordingSlackAPI answers every Web API method with ok and keeps each
// call's method and form, in order.
type recordingSlackAPI struct {
	mu    sync.Mutex
	calls []slackCall
}

type slackCall struct {
	method string
	form   url.Values
}

func (f *recordingSlackAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f.mu.Lock()
	f.calls = append(f.calls, slackCall{strings.TrimPrefix(r.URL.Path, "/"), r.PostForm})
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "ts": "1700000000.000900", "channel": r.PostForm.Get("channel"),
		"user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "messages": []any{}})
}

func (f *recordingSlackAPI) find(method string) []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []url.Values
	for _, c := range f.calls {
		if c.method == method {
			out = append(out, c.form)
		}
	}
	return out
}

// End to end with a model: the answer streams into the Slack thread as the
// model writes it (real SSE from an OpenAI-compatible server), then the
// verified answer replaces it: the sentence citing a source that does not
// exist is gone, and the message names the FAQ's date.
func TestServeStreamsModelAnswersIntoSlack(t *testing.T) {
	model := llmtest.NewServer(t, inventedCitationReply)
	fake := &recordingSlackAPI{}
	api := httptest.NewServer(fake)
	defer api.Close()
	const secret = "local-signing-secret"
	s := startServe(t, map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-local", "SLACK_SIGNING_SECRET": secret, "SLACK_API_URL": api.URL + "/",
		"OPENAI_BASE_URL": model.BaseURL(), "FAQBOT_EMBEDDINGS": "local",
	})
	s.ready()
	body := `{"type":"event_callback","team_id":"T1","event_id":"EvStream","event":{"type":"app_mention","user":"U123","channel":"C1","ts":"1700000000.000100","text":"<@UBOT> ` + llmQuestion + `"}}`
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	if r := do(t, "POST", s.url+"/slack/events", body, "Content-Type", "application/json",
		"X-Slack-Request-Timestamp", ts, "X-Slack-Signature", slackSign(secret, ts, body)); r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	deadline := time.Now().Add(waitLimit)
	for len(fake.find("chat.update")) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no chat.update; calls %+v\n%s", fake.calls, s.logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if s.stop() != exitOK {
		t.Errorf("exit status not 0:\n%s", s.logs)
	}
	var streamed strings.Builder
	for _, m := range []string{"chat.startStream", "chat.appendStream"} {
		for _, f := range fake.find(m) {
			streamed.WriteString(f.Get("markdown_text"))
		}
	}
	if !strings.Contains(streamed.String(), "forever [7]") {
		t.Errorf("the model's draft did not stream: %q", streamed.String())
	}
	if st := fake.find("chat.startStream"); len(st) != 1 || st[0].Get("recipient_user_id") != "U123" || st[0].Get("recipient_team_id") != "T1" {
		t.Errorf("startStream %v", st)
	}
	if n := len(fake.find("chat.stopStream")); n != 1 {
		t.Errorf("%d stopStream calls", n)
	}
	final := fake.find("chat.update")[0]
	text := final.Get("text") + final.Get("blocks")
	if strings.Contains(text, "[7]") || strings.Contains(text, "forever") || !strings.Contains(text, "phased out gradually") {
		t.Errorf("the streamed draft was not replaced by the verified answer:\n%s", text)
	}
	if !strings.Contains(text, "AI-generated from the FAQ dated April 14, 2025") {
		t.Errorf("no provenance line:\n%s", text)
	}
	if calls := model.ChatCalls(); len(calls) != 1 || !calls[0].Chat.Stream {
		t.Errorf("model calls %d, want one streamed completion", len(calls))
	}
	if posts := fake.find("chat.postMessage"); len(posts) != 0 {
		t.Errorf("the answer was posted again besides the stream: %v", posts)
	}
}

// The web chat's stream with a model: the draft's words as the model
// writes them, then the verified answer, without the sentence that cites
// a source that does not exist.
func TestServeStreamsModelAnswersToTheWeb(t *testing.T) {
	model := llmtest.NewServer(t, inventedCitationReply)
	s := startServe(t, map[string]string{"OPENAI_BASE_URL": model.BaseURL(), "FAQBOT_EMBEDDINGS": "local"})
	s.ready()
	r := do(t, "POST", s.url+"/api/ask/stream", askJSON(llmQuestion))
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d %s: %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	var draft strings.Builder
	var final map[string]any
	for _, block := range strings.Split(strings.TrimSpace(string(r.body)), "\n\n") {
		name, data, _ := strings.Cut(block, "\ndata: ")
		switch strings.TrimPrefix(name, "event: ") {
		case "delta":
			var d struct{ Text string }
			if err := json.Unmarshal([]byte(data), &d); err != nil {
				t.Fatal(err)
			}
			draft.WriteString(d.Text)
		case "answer":
			if err := json.Unmarshal([]byte(data), &final); err != nil {
				t.Fatal(err)
			}
		default:
			t.Errorf("unexpected event %q", block)
		}
	}
	if !strings.Contains(draft.String(), "forever [7]") {
		t.Errorf("the draft did not stream: %q", draft.String())
	}
	if text, _ := final["answer"].(string); final["mode"] != "llm" || strings.Contains(text, "[7]") || !strings.Contains(text, "phased out gradually") {
		t.Errorf("final answer %v", final)
	}
}
