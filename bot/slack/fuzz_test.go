package slack

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// panicWatch is a log handler that counts reports of recovered panics in
// background work.
type panicWatch struct{ panics *atomic.Int64 }

func (p panicWatch) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (p panicWatch) Handle(_ context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "panicked") {
		p.panics.Add(1)
	}
	return nil
}
func (p panicWatch) WithAttrs([]slog.Attr) slog.Handler { return p }
func (p panicWatch) WithGroup(string) slog.Handler      { return p }

// loopbackOnly keeps fuzzed response URLs on this machine.
func loopbackOnly() *http.Client {
	d := &net.Dialer{Timeout: time.Second}
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
				return nil, errors.New("fuzz: only loopback addresses")
			}
			return d.DialContext(ctx, network, addr)
		},
	}}
}

// escalatingAsker escalates every other question, so fuzzing reaches the
// escalation paths too.
type escalatingAsker struct{}

func (escalatingAsker) Ask(_ context.Context, q bot.Question) (bot.Answer, error) {
	a := plainAnswer
	a.Question = q.Text
	if len(q.Text)%2 == 0 {
		a.Escalate, a.EscalationReason = true, bot.ExtensionRequest
	}
	return a, nil
}

var fuzzPaths = []string{"/slack/events", "/slack/commands", "/slack/interactions"}

// FuzzHandlers sends signed random bodies to the three endpoints: they
// answer 200, 400 or 413 and never panic, in the handler or in the work it
// starts.
func FuzzHandlers(f *testing.F) {
	var panics atomic.Int64
	fx := newFixture(f, escalatingAsker{}, func(o *Options) {
		o.HTTPClient = loopbackOnly()
		o.Logger = slog.New(panicWatch{&panics})
	})
	fx.app.retry.Retries = 1
	handler := fx.app.Handler()

	f.Add(uint8(0), []byte(eventJSON("Ev1", mention("C1", "1.1", "", "<@UBOT> hi"))))
	f.Add(uint8(0), []byte(eventJSON("Ev2", mention("C1", "1.2", "1.0", "<@UBOT> and then?"))))
	f.Add(uint8(0), []byte(`{"type":"url_verification","challenge":"abc"}`))
	f.Add(uint8(0), []byte(eventJSON("Ev3", map[string]any{"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "ts": "2.1", "text": "x"})))
	f.Add(uint8(1), []byte(url.Values{"command": {"/faq"}, "text": {"segments?"}, "user_id": {"U1"}, "response_url": {fx.slack.responseURL()}}.Encode()))
	f.Add(uint8(1), []byte(url.Values{"command": {"/faq-refresh"}, "text": {"x"}, "user_id": {admin}, "response_url": {fx.slack.responseURL()}}.Encode()))
	payload, _ := json.Marshal(map[string]any{"type": "block_actions", "user": map[string]any{"id": "U1"},
		"channel": map[string]any{"id": "C1"}, "container": map[string]any{"message_ts": "3.1"}, "response_url": fx.slack.responseURL(),
		"message": map[string]any{"ts": "3.1", "text": "answer", "blocks": []any{map[string]any{"type": "actions", "block_id": feedbackBlockID}}},
		"actions": []any{map[string]any{"action_id": actionAskHuman, "value": `{"q":"x"}`}}})
	f.Add(uint8(2), []byte(url.Values{"payload": {string(payload)}}.Encode()))
	f.Add(uint8(2), []byte("payload=null"))
	// Slack's AI-app surface: the pane's events, a feedback button, the
	// reason modal's submission.
	f.Add(uint8(0), []byte(threadStarted("Ev4")))
	f.Add(uint8(0), []byte(eventJSON("Ev5", paneMessage("1700000501.000100", "segments?"))))
	rate, _ := json.Marshal(map[string]any{"type": "block_actions", "user": map[string]any{"id": "U1"}, "trigger_id": "t",
		"channel": map[string]any{"id": "C1"}, "container": map[string]any{"message_ts": "3.1"},
		"actions": []any{map[string]any{"action_id": actionRate, "type": "feedback_buttons", "value": `-{"id":"ex1","q":"x"}`}}})
	f.Add(uint8(2), []byte(url.Values{"payload": {string(rate)}}.Encode()))
	view, _ := json.Marshal(map[string]any{"type": "view_submission", "user": map[string]any{"id": "U1"},
		"view": map[string]any{"callback_id": reasonCallbackID, "private_metadata": `{"r":{"id":"ex1"},"c":"C1","t":"3.1"}`,
			"state": map[string]any{"values": map[string]any{reasonBlockID: map[string]any{reasonActionID: map[string]any{"selected_option": map[string]any{"value": "other"}}}}}}})
	f.Add(uint8(2), []byte(url.Values{"payload": {string(view)}}.Encode()))

	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		path := fuzzPaths[int(which)%len(fuzzPaths)]
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(body)))
		sign(req.Header, testSecret, time.Now(), string(body))
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		fx.app.Wait()
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("%s: status %d for %q", path, rec.Code, body)
		}
		if rec.Code == http.StatusOK && path == "/slack/commands" && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("command reply is not JSON: %q", rec.Body.String())
		}
		if n := panics.Load(); n > 0 {
			t.Fatalf("background work panicked on %s %q", path, body)
		}
	})
}
