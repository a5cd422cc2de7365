package slack

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slacktest"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/retrieval"
)

// The fake workspace.
const (
	testSecret  = "8f742231b10e8888abcd99yyyzzz85a5"
	botUserID   = "UBOT"
	botID       = "BBOT"
	escalations = "CESC"
	admin       = "UADMIN"
)

// apiCall is one request the fake Slack received.
type apiCall struct {
	Method string
	Form   url.Values
	Body   []byte // response_url posts (JSON)
}

// fakeSlack is slacktest's server with the Web API methods faqbot uses
// added through its Customize hook, every call recorded.
type fakeSlack struct {
	srv *slacktest.Server

	mu      sync.Mutex
	calls   []apiCall
	nextTS  int
	threads map[string][]slack.Message
	// fail answers a call with an HTTP status instead (0 = serve it).
	fail func(method string, form url.Values) int
}

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{threads: map[string][]slack.Message{}, nextTS: 100}
	f.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		for method, h := range map[string]func(url.Values) any{
			"auth.test": func(url.Values) any {
				return map[string]any{"ok": true, "user_id": botUserID, "bot_id": botID, "user": "faqbot", "team_id": "T1"}
			},
			"chat.postMessage": f.posted,
			"chat.update": func(v url.Values) any {
				return map[string]any{"ok": true, "channel": v.Get("channel"), "ts": v.Get("ts"), "text": v.Get("text")}
			},
			"chat.getPermalink": func(v url.Values) any {
				return map[string]any{"ok": true, "channel": v.Get("channel"),
					"permalink": "https://acme.slack.com/archives/" + v.Get("channel") + "/p" + strings.ReplaceAll(v.Get("message_ts"), ".", "")}
			},
			"conversations.replies": f.replies,
			"reactions.add":         func(url.Values) any { return map[string]any{"ok": true} },
			"reactions.remove":      func(url.Values) any { return map[string]any{"ok": true} },
			// Slack's AI-app surface: the assistant pane, streaming, modals.
			"assistant.threads.setSuggestedPrompts": func(url.Values) any { return map[string]any{"ok": true} },
			"assistant.threads.setStatus":           func(url.Values) any { return map[string]any{"ok": true} },
			"assistant.threads.setTitle":            func(url.Values) any { return map[string]any{"ok": true} },
			"views.open":                            func(url.Values) any { return map[string]any{"ok": true, "view": map[string]any{"id": "V1"}} },
			"chat.startStream":                      f.posted,
			"chat.appendStream": func(v url.Values) any {
				return map[string]any{"ok": true, "channel": v.Get("channel"), "ts": v.Get("ts")}
			},
			"chat.delete": func(v url.Values) any {
				return map[string]any{"ok": true, "channel": v.Get("channel"), "ts": v.Get("ts")}
			},
			"chat.stopStream": func(v url.Values) any {
				return map[string]any{"ok": true, "channel": v.Get("channel"), "ts": v.Get("ts")}
			},
		} {
			c.Handle("/"+method, f.record(method, h))
		}
		c.Handle("/apps.connections.open", f.record("apps.connections.open", nil))
		c.Handle("/respond/", f.record("response_url", nil))
		c.Handle("/", f.record("unexpected", func(url.Values) any { return map[string]any{"ok": true} }))
	})
	f.srv.Start()
	t.Cleanup(f.srv.Stop)
	return f
}

// record wraps a Web API method: it logs the call, applies fail, and
// writes what h returns as JSON.
func (f *fakeSlack) record(method string, h func(url.Values) any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		for k, v := range r.URL.Query() { // GET methods such as chat.getPermalink
			form[k] = append(form[k], v...)
		}
		if method == "unexpected" {
			method = "unexpected:" + r.URL.Path
		}
		f.mu.Lock()
		f.calls = append(f.calls, apiCall{Method: method, Form: form, Body: body})
		status := 0
		if f.fail != nil {
			status = f.fail(method, form)
		}
		f.mu.Unlock()
		if status != 0 {
			if status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "1")
			}
			http.Error(w, http.StatusText(status), status)
			return
		}
		switch method {
		case "response_url":
			_, _ = w.Write([]byte("ok"))
		case "apps.connections.open":
			writeJSON(w, map[string]any{"ok": true, "url": slacktest.ServerWSFromContext(r.Context())})
		default:
			writeJSON(w, h(form))
		}
	}
}

func (f *fakeSlack) posted(v url.Values) any {
	f.mu.Lock()
	f.nextTS++
	ts := fmt.Sprintf("1700000999.%06d", f.nextTS)
	f.mu.Unlock()
	return map[string]any{"ok": true, "channel": v.Get("channel"), "ts": ts,
		"message": map[string]any{"text": v.Get("text"), "ts": ts}}
}

func (f *fakeSlack) replies(v url.Values) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return map[string]any{"ok": true, "has_more": false, "messages": f.threads[v.Get("ts")]}
}

func (f *fakeSlack) setFail(fail func(method string, form url.Values) int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = fail
}

func (f *fakeSlack) setThread(ts string, msgs []slack.Message) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.threads[ts] = msgs
}

// callsTo returns the recorded calls of a method, in order.
func (f *fakeSlack) callsTo(method string) []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiCall
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// methods returns the methods called so far, in order, leaving out
// those named in skip.
func (f *fakeSlack) methods(skip ...string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		if !slices.Contains(skip, c.Method) {
			out = append(out, c.Method)
		}
	}
	return out
}

// postsTo returns the chat.postMessage calls to a channel.
func (f *fakeSlack) postsTo(channel string) []apiCall {
	var out []apiCall
	for _, c := range f.callsTo("chat.postMessage") {
		if c.Form.Get("channel") == channel {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeSlack) apiURL() string      { return f.srv.GetAPIURL() }
func (f *fakeSlack) responseURL() string { return f.srv.GetAPIURL() + "respond/T1/1/abc" }

// waitFor polls until cond holds, for work that no Wait covers (Socket
// Mode delivers in the background).
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// syncBuffer collects log output from background goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fixture is an App wired to a fake Slack, served over HTTP.
type fixture struct {
	app     *App
	slack   *fakeSlack
	http    *httptest.Server
	logs    *syncBuffer
	records *memoryRecords
	hooks   *hookLog
}

// hookLog records what the metrics hooks were told.
type hookLog struct {
	mu          sync.Mutex
	apiErrors   []string
	escalations []string
}

func (h *hookLog) apiError(method string, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.apiErrors = append(h.apiErrors, method)
}

func (h *hookLog) escalation(reason bot.Reason, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	result := "ok"
	if err != nil {
		result = "error"
	}
	h.escalations = append(h.escalations, string(reason)+":"+result)
}

func (h *hookLog) get() (apiErrors, escalations []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.apiErrors...), append([]string(nil), h.escalations...)
}

// newFixture builds an App; edit adjusts the options first.
func newFixture(t testing.TB, asker bot.Asker, edit func(*Options)) *fixture {
	t.Helper()
	fs := newFakeSlack(t)
	records := &memoryRecords{}
	logs := &syncBuffer{}
	hooks := &hookLog{}
	opts := Options{
		OnAPIError:        hooks.apiError,
		OnEscalation:      hooks.escalation,
		BotToken:          "xoxb-test",
		SigningSecret:     testSecret,
		APIURL:            fs.apiURL(),
		EscalationChannel: escalations,
		AdminUsers:        []string{admin},
		Contact:           "your Microsoft account manager",
		Records:           records,
		Asker:             asker,
		Logger:            slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if edit != nil {
		edit(&opts)
	}
	app, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	app.retry.MinBackoff, app.retry.MaxBackoff = time.Millisecond, time.Millisecond
	srv := httptest.NewServer(app.Handler())
	t.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := app.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return &fixture{app: app, slack: fs, http: srv, logs: logs, records: records, hooks: hooks}
}

// send posts a body to one of the endpoints, signed as Slack signs it, and
// waits for the work it started.
func (fx *fixture) send(t testing.TB, path, contentType, body string, header http.Header) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, fx.http.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	sign(req.Header, testSecret, time.Now(), body)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	fx.app.Wait()
	return resp.StatusCode
}

func (fx *fixture) event(t testing.TB, body string) int {
	return fx.send(t, "/slack/events", "application/json", body, nil)
}

// sign sets the headers Slack sends: v0=hex(HMAC-SHA256(secret,
// "v0:"+timestamp+":"+body)).
func sign(h http.Header, secret string, at time.Time, body string) {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
}

// eventJSON builds an event_callback around an inner event.
func eventJSON(eventID string, inner map[string]any) string {
	b, _ := json.Marshal(map[string]any{
		"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
		"event_id": eventID, "event_time": 1700000000, "event": inner,
	})
	return string(b)
}

func mention(channel, ts, threadTS, text string) map[string]any {
	m := map[string]any{"type": "app_mention", "user": "U123", "text": text, "ts": ts, "channel": channel, "event_ts": ts}
	if threadTS != "" {
		m["thread_ts"] = threadTS
	}
	return m
}

// fakeAsker answers with a fixed answer and remembers the questions.
type fakeAsker struct {
	mu        sync.Mutex
	questions []bot.Question
	answer    bot.Answer
	err       error
}

func (f *fakeAsker) Ask(_ context.Context, q bot.Question) (bot.Answer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.questions = append(f.questions, q)
	if f.err != nil {
		return bot.Answer{}, f.err
	}
	a := f.answer
	a.Question = q.Text
	return a, nil
}

func (f *fakeAsker) asked() []bot.Question {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bot.Question(nil), f.questions...)
}

var plainAnswer = bot.Answer{
	Text:     "Export the segment **members** first [1].",
	Answered: true,
	Citations: []bot.Citation{{Title: "What happens to segments?", Anchor: "segments",
		URL: "https://learn.microsoft.com/faq#segments", Document: "transition-faqs.md"}},
	Mode: bot.ModeExtractive, CorpusVersion: "v1",
}

var (
	faqBotOnce sync.Once
	faqBot     *bot.Bot
	faqBotErr  error
)

// realBot is faqbot's own bot over the embedded FAQ, built once.
func realBot(t testing.TB) *bot.Bot {
	t.Helper()
	faqBotOnce.Do(func() {
		c, err := corpus.Default()
		if err != nil {
			faqBotErr = err
			return
		}
		store := retrieval.NewStore(retrieval.NewLocalEmbedder(0), retrieval.StoreOptions{})
		if _, err := store.Load(context.Background(), c); err != nil {
			faqBotErr = err
			return
		}
		faqBot, faqBotErr = bot.New(store, bot.Options{})
	})
	if faqBotErr != nil {
		t.Fatal(faqBotErr)
	}
	return faqBot
}

// memoryRecords keeps feedback and escalations as the store does, in
// memory; fail makes every call fail. The store's own tests cover SQL.
type memoryRecords struct {
	mu          sync.Mutex
	feedback    []bot.Feedback
	escalations []bot.EscalationRecord
	fail        error
	// followups are the escalation loop's (desk_fake_test.go).
	followups map[string]*followupState
}

func (m *memoryRecords) setFail(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail = err
}

func (m *memoryRecords) RecordFeedback(_ context.Context, f bot.Feedback) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.feedback = append(m.feedback, f)
	return nil
}

func (m *memoryRecords) OpenEscalation(_ context.Context, e bot.EscalationRecord) (bot.EscalationRecord, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return bot.EscalationRecord{}, false, m.fail
	}
	for _, old := range m.escalations {
		if e.Key != "" && old.Key == e.Key {
			return old, false, nil
		}
	}
	e.ID = fmt.Sprintf("esc%d", len(m.escalations)+1)
	m.escalations = append(m.escalations, e)
	return e, true, nil
}

func (m *memoryRecords) EscalationDelivered(_ context.Context, id, destination string, err error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	for i := range m.escalations {
		if m.escalations[i].ID == id {
			e := &m.escalations[i]
			e.Destination, e.Delivery, e.DeliveryError = destination, bot.DeliveryDelivered, ""
			switch {
			case destination == "":
				e.Delivery = bot.DeliveryNone
			case err != nil:
				e.Delivery, e.DeliveryError = bot.DeliveryFailed, err.Error()
			}
			return nil
		}
	}
	return bot.ErrNotFound
}

func (m *memoryRecords) EscalationByKey(_ context.Context, key string) (bot.EscalationRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return bot.EscalationRecord{}, m.fail
	}
	for _, e := range m.escalations {
		if key != "" && e.Key == key {
			return e, nil
		}
	}
	return bot.EscalationRecord{}, bot.ErrNotFound
}

func (m *memoryRecords) all() ([]bot.Feedback, []bot.EscalationRecord) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]bot.Feedback(nil), m.feedback...), append([]bot.EscalationRecord(nil), m.escalations...)
}
