package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeSlackAPI speaks enough of the Slack Web API (form-encoded requests,
// {"ok": true, ...} replies) for faqbot to answer a mention, and records the
// messages it posts.
type fakeSlackAPI struct {
	mu    sync.Mutex
	posts []url.Values
	calls []string
	got   chan struct{}
}

func (f *fakeSlackAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	method := strings.TrimPrefix(r.URL.Path, "/")
	f.mu.Lock()
	f.calls = append(f.calls, method)
	if method == "chat.postMessage" {
		f.posts = append(f.posts, r.PostForm)
		select {
		case f.got <- struct{}{}:
		default:
		}
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"ok": true, "ts": "1700000000.000900", "channel": r.PostForm.Get("channel"),
		"user_id": "UBOT", "bot_id": "BBOT", "user": "faqbot", "team_id": "T1",
		"permalink": "https://example.slack.com/archives/C1/p1700000000000100", "messages": []any{},
	})
}

func slackSign(secret, ts, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

func TestServeAnswersSignedSlackMentionInThread(t *testing.T) {
	fake := &fakeSlackAPI{got: make(chan struct{}, 4)}
	api := httptest.NewServer(fake)
	defer api.Close()
	const secret = "local-signing-secret"
	s := startServe(t, map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-local", "SLACK_SIGNING_SECRET": secret, "SLACK_API_URL": api.URL + "/",
	})
	if on := s.ready(); on["slack"] != "events over HTTP" {
		t.Errorf("start-up line says slack %v", on["slack"])
	}
	if strings.Contains(s.logs.String(), "xoxb-local") || strings.Contains(s.logs.String(), secret) {
		t.Error("a secret reached the logs")
	}
	body := `{"type":"event_callback","event_id":"Ev1","event":{"type":"app_mention","user":"U123","channel":"C1","ts":"1700000000.000100","text":"<@UBOT> Can we get an extension past June 30?"}}`
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	headers := []string{"Content-Type", "application/json", "X-Slack-Request-Timestamp", ts, "X-Slack-Signature", slackSign(secret, ts, body)}

	if r := do(t, "POST", s.url+"/slack/events", body+" ", headers...); r.status != http.StatusUnauthorized {
		t.Errorf("tampered body: status %d, want 401", r.status)
	}
	if r := do(t, "POST", s.url+"/slack/events", body, headers...); r.status != http.StatusOK {
		t.Fatalf("signed event: status %d: %s", r.status, r.body)
	}
	select {
	case <-fake.got:
	case <-time.After(waitLimit):
		t.Fatalf("no chat.postMessage; calls: %v\n%s", fake.calls, s.logs)
	}
	// Slack's retry of the same event must not produce a second answer.
	do(t, "POST", s.url+"/slack/events", body, append(headers, "X-Slack-Retry-Num", "1")...)
	if s.stop() != exitOK {
		t.Errorf("exit status not 0:\n%s", s.logs)
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if len(fake.posts) != 1 {
		t.Fatalf("got %d posts, want 1 answer", len(fake.posts))
	}
	p := fake.posts[0]
	if p.Get("channel") != "C1" || p.Get("thread_ts") != "1700000000.000100" {
		t.Errorf("answer posted to channel %q thread %q", p.Get("channel"), p.Get("thread_ts"))
	}
	all := p.Get("text") + p.Get("blocks")
	if !strings.Contains(all, "<https://learn.microsoft.com/en-us/dynamics365/customer-insights/journeys/transition-faqs#"+extensionAnchor+"|") {
		t.Errorf("answer lacks a Slack-formatted citation link:\n%s", all)
	}
}
