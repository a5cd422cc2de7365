package slack

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// FuzzEscalationLoop sends the escalation loop's interactions, well formed
// or not: no panic, and no status outside what Slack expects.
func FuzzEscalationLoop(f *testing.F) {
	var panics atomic.Int64
	fx := newFixture(f, escalatingAsker{}, func(o *Options) {
		o.HTTPClient = loopbackOnly()
		o.Logger = slog.New(panicWatch{&panics})
		o.Resolver = bot.NewDesk(o.Records.(*memoryRecords), bot.DeskOptions{})
	})
	fx.app.retry.Retries = 1
	rec, _, _ := fx.records.OpenEscalation(context.Background(), bot.EscalationRecord{Question: "q", Transport: transport,
		Conversation: "C1/1.1", State: bot.EscalationOpen})
	post := map[string]any{"type": "message", "ts": "9.1", "text": "x", "blocks": []any{}}
	f.Add([]byte(escalationClick(fx, escalations, actionResolve, rec.ID, post)))
	f.Add([]byte(escalationClick(fx, escalations, actionAnswer, rec.ID, post)))
	f.Add([]byte(submission(`{"id":"`+rec.ID+`","c":"CESC","ts":"9.1"}`, "an answer")))
	f.Add([]byte(submission(`not json`, "an answer")))
	f.Add([]byte(`payload={"type":"view_submission","view":{"callback_id":"faqbot_answer"}}`))
	handler := fx.app.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/slack/interactions", strings.NewReader(string(body)))
		sign(req.Header, testSecret, time.Now(), string(body))
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, req)
		fx.app.Wait()
		switch w.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusInternalServerError:
		default:
			t.Errorf("status %d", w.Code)
		}
		if panics.Load() > 0 {
			t.Fatal("a handler panicked")
		}
	})
}
