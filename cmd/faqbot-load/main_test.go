package main

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func TestSignatureVerifiesWithSlackGo(t *testing.T) {
	const secret = "8f742231b10e8888abcd99yyyzzz85a5"
	body := newEvent("ABC", time.Now(), 7).body()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	verify := func(body []byte) error {
		h := http.Header{}
		h.Set("X-Slack-Request-Timestamp", ts)
		h.Set("X-Slack-Signature", sign(secret, ts, body))
		sv, err := slack.NewSecretsVerifier(h, secret)
		if err != nil {
			return err
		}
		sv.Write(body)
		return sv.Ensure()
	}
	if err := verify(body); err != nil {
		t.Fatalf("slack-go rejects the signature: %v", err)
	}
	// A signature over other bytes must not pass: the check can fail.
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", sign(secret, ts, body))
	sv, _ := slack.NewSecretsVerifier(h, secret)
	sv.Write(append(body, ' '))
	if sv.Ensure() == nil {
		t.Fatal("a tampered body verified")
	}
}

func TestEventsAreUniqueAppMentions(t *testing.T) {
	base := time.Unix(1_700_000_000, 0)
	seen := map[string]bool{}
	for _, i := range []int{0, 1, 999_999, 1_000_000, 1_000_001} {
		e := newEvent("RUN1", base, i)
		var cb eventCallback
		if err := json.Unmarshal(e.body(), &cb); err != nil {
			t.Fatal(err)
		}
		if cb.Type != "event_callback" || cb.Event.Type != "app_mention" || cb.EventID != e.id ||
			cb.Event.TS != e.ts || cb.Event.Channel != e.channel || !strings.HasPrefix(cb.Event.Text, "<@"+botUserID+"> ") {
			t.Errorf("event %d: %+v", i, cb)
		}
		if seen[e.id] || seen[e.key()] {
			t.Errorf("event %d repeats an ID or thread: %s %s", i, e.id, e.key())
		}
		seen[e.id], seen[e.key()] = true, true
	}
}

func TestSummarize(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		var ds []time.Duration
		for _, n := range ns {
			ds = append(ds, time.Duration(n)*time.Millisecond)
		}
		return ds
	}
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(100-i) * time.Millisecond // reversed: summarize sorts
	}
	for _, c := range []struct {
		name string
		in   []time.Duration
		want latency
	}{
		{"empty", nil, latency{}},
		{"one", ms(7), latency{Count: 1, P50: 7, P90: 7, P99: 7, Max: 7}},
		{"hundred", hundred, latency{Count: 100, P50: 50, P90: 90, P99: 99, Max: 100}},
		{"outlier", ms(1, 1, 1, 1, 1, 1, 1, 1, 1, 500), latency{Count: 10, P50: 1, P90: 1, P99: 500, Max: 500}},
	} {
		if got := summarize(c.in); got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestFlags(t *testing.T) {
	env := func(string) string { return "" }
	for _, c := range []struct {
		args    []string
		wantErr string
	}{
		{[]string{"-faqbot", "faqbot"}, ""},
		{[]string{"-url", "http://127.0.0.1:8080", "-secret", "s", "-slack-api-addr", "127.0.0.1:9999"}, ""},
		{[]string{"-url", "http://localhost:8080", "-secret", "s", "-slack-api-addr", "[::1]:9999"}, ""},
		{nil, "exactly one"},
		{[]string{"-faqbot", "x", "-url", "http://127.0.0.1:1"}, "exactly one"},
		{[]string{"-url", "http://10.0.0.5:8080", "-secret", "s", "-slack-api-addr", "127.0.0.1:9999"}, "loopback"},
		{[]string{"-url", "http://example.com", "-secret", "s", "-slack-api-addr", "127.0.0.1:9999"}, "loopback"},
		{[]string{"-url", "http://127.0.0.1:8080", "-slack-api-addr", "127.0.0.1:9999"}, "-secret"},
		{[]string{"-url", "http://127.0.0.1:8080", "-secret", "s"}, "fixed port"},
		{[]string{"-faqbot", "x", "-slack-api-addr", "0.0.0.0:9999"}, "loopback"},
		{[]string{"-faqbot", "x", "-duration", "11m"}, "-duration"},
		{[]string{"-faqbot", "x", "-rate", "0"}, "-rate"},
		{[]string{"-faqbot", "x", "-max-events", "2000000"}, "-max-events"},
		{[]string{"-faqbot", "x", "-retry-fraction", "1.5"}, "-retry-fraction"},
		{[]string{"-faqbot", "x", "extra"}, "unexpected argument"},
		{[]string{"-faqbot", "x", "-replicas", "2", "-database-url", "postgres://u@127.0.0.1:5432/db"}, ""},
		{[]string{"-faqbot", "x", "-replicas", "2"}, "-database-url"},
		{[]string{"-faqbot", "x", "-replicas", "11", "-database-url", "postgres://127.0.0.1/db"}, "-replicas"},
		{[]string{"-faqbot", "x", "-replicas", "2", "-database-url", "postgres://db.example.com/db"}, "loopback"},
		{[]string{"-faqbot", "x", "-database-url", "mysql://127.0.0.1/db"}, "postgres://"},
		{[]string{"-url", "http://127.0.0.1:8080", "-secret", "s", "-slack-api-addr", "127.0.0.1:9999", "-database-url", "postgres://127.0.0.1/db"}, "-faqbot"},
	} {
		_, err := parseFlags(c.args, env, io.Discard)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%q: %v", c.args, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%q: error %v, want one mentioning %q", c.args, err, c.wantErr)
		}
	}
	cfg, err := parseFlags([]string{"-url", "http://127.0.0.1:8080", "-slack-api-addr", "127.0.0.1:9999"},
		func(k string) string { return map[string]string{"SLACK_SIGNING_SECRET": "from-env"}[k] }, io.Discard)
	if err != nil || cfg.secret != "from-env" {
		t.Errorf("secret from the environment: %q, %v", cfg.secret, err)
	}
}

func TestOpenLoopKeepsItsScheduleAndBounds(t *testing.T) {
	start := time.Now()
	var ats []time.Time
	n := openLoop(t.Context(), start, start.Add(time.Hour), 1000, 25, func(i int, at time.Time) { ats = append(ats, at) })
	if n != 25 || len(ats) != 25 {
		t.Fatalf("fired %d (%d), want the 25 of -max", n, len(ats))
	}
	for i, at := range ats {
		// Due times follow the rate, however late the calls themselves ran.
		if want := start.Add(time.Duration(i) * time.Millisecond); !at.Equal(want) {
			t.Fatalf("request %d due at +%v, want +%v", i, at.Sub(start), want.Sub(start))
		}
	}
	n = openLoop(t.Context(), start, start.Add(10*time.Millisecond), 1000, 1000, func(int, time.Time) {})
	if n != 10 {
		t.Errorf("fired %d in a 10 ms window at 1000/s, want 10", n)
	}
}

// TestFakeSlackSpeaksTheWebAPI drives the fake with slack-go, the client
// faqbot uses, so its replies are what that client can read.
func TestFakeSlackSpeaksTheWebAPI(t *testing.T) {
	fake := newFakeSlack(0, []string{"reactions.remove"})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	api := slack.New("xoxb-test", slack.OptionAPIURL(srv.URL+"/api/"))
	ctx := t.Context()

	auth, err := api.AuthTestContext(ctx)
	if err != nil || auth.UserID != botUserID || auth.BotID != botID {
		t.Fatalf("auth.test: %+v, %v", auth, err)
	}
	for range 2 {
		if _, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false), slack.MsgOptionTS("1.000001")); err != nil {
			t.Fatalf("chat.postMessage: %v", err)
		}
	}
	if _, _, err := api.PostMessageContext(ctx, "CESC", slack.MsgOptionText("escalation", false)); err != nil {
		t.Fatalf("chat.postMessage: %v", err)
	}
	link, err := api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: "C1", Ts: "1.000001"})
	if err != nil || !strings.Contains(link, "/archives/C1/p1000001") {
		t.Errorf("chat.getPermalink: %q, %v", link, err)
	}
	if err := api.AddReactionContext(ctx, "eyes", slack.NewRefToMessage("C1", "1.000001")); err != nil {
		t.Errorf("reactions.add: %v", err)
	}
	err = api.RemoveReactionContext(ctx, "eyes", slack.NewRefToMessage("C1", "1.000001"))
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); !ok || rl.RetryAfter != time.Second {
		t.Errorf("rate-limited reactions.remove: %v, want a RateLimitedError with Retry-After 1s", err)
	}
	if msgs, _, _, err := api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: "1.000001"}); err != nil || len(msgs) != 0 {
		t.Errorf("conversations.replies: %v, %v", msgs, err)
	}

	counts, _ := fake.answered([]string{"C1/1.000001", "C1/2.000002"})
	if counts[0] != 2 || counts[1] != 0 {
		t.Errorf("posts per thread: %v, want [2 0]", counts)
	}
	calls, strays, unthreaded := fake.stats(map[string]bool{"C1/1.000001": true})
	if strays != 0 || unthreaded != 1 || calls["chat.postMessage"] != 3 || calls["reactions.remove (429)"] != 1 {
		t.Errorf("calls %v, strays %d, unthreaded %d", calls, strays, unthreaded)
	}
}
