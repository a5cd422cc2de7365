package slack

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// envelopeJSON wraps a payload as Socket Mode delivers it.
func envelopeJSON(id, typ string, payload any, retry int) string {
	raw, _ := json.Marshal(payload)
	b, _ := json.Marshal(map[string]any{
		"envelope_id": id, "type": typ, "payload": json.RawMessage(raw),
		"accepts_response_payload": typ == "slash_commands", "retry_attempt": retry,
	})
	return string(b)
}

// ackFor reads what the app sent over slacktest's websocket until the
// acknowledgement of envelope id.
func ackFor(t *testing.T, fx *fixture, id string) map[string]any {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case m := <-fx.slack.srv.SeenFeed:
			var ack map[string]any
			if json.Unmarshal([]byte(m), &ack) == nil && ack["envelope_id"] == id {
				return ack
			}
		case <-timeout:
			t.Fatalf("no ack for envelope %s", id)
		}
	}
}

func TestSocketModeAcksAndAnswers(t *testing.T) {
	asker := &fakeAsker{answer: plainAnswer}
	fx := newFixture(t, asker, func(o *Options) { o.AppToken = "xapp-test"; o.SigningSecret = "" })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- fx.app.Run(ctx) }()

	var inner map[string]any
	_ = json.Unmarshal([]byte(eventJSON("EvSock", mention("C1", "1700000020.000001", "", "<@UBOT> segments?"))), &inner)
	fx.slack.srv.SendToWebsocket(envelopeJSON("env-1", "events_api", inner, 0))
	ackFor(t, fx, "env-1")
	waitFor(t, "the answer", func() bool { return len(fx.slack.postsTo("C1")) == 1 })
	if p := fx.slack.postsTo("C1")[0].Form; p.Get("thread_ts") != "1700000020.000001" || !strings.Contains(p.Get("text"), "<https://learn.microsoft.com/faq#segments|What happens to segments?>") {
		t.Errorf("answer %v", p)
	}

	// Slack redelivers the envelope it thinks was lost: acked, not answered
	// again.
	fx.slack.srv.SendToWebsocket(envelopeJSON("env-2", "events_api", inner, 1))
	ackFor(t, fx, "env-2")

	cmd := map[string]any{"command": "/faq-refresh", "text": "", "user_id": "U123", "channel_id": "C1",
		"response_url": fx.slack.responseURL(), "trigger_id": "trig-sock"}
	fx.slack.srv.SendToWebsocket(envelopeJSON("env-3", "slash_commands", cmd, 0))
	ack := ackFor(t, fx, "env-3")
	payload, _ := ack["payload"].(map[string]any)
	if payload["response_type"] != "ephemeral" || !strings.Contains(payload["text"].(string), "only faqbot admins") {
		t.Errorf("slash command ack %v", ack)
	}

	// An event type the client cannot parse is acknowledged all the same.
	fx.slack.srv.SendToWebsocket(`{"envelope_id":"env-4","type":"events_api","payload":{"type":"event_callback","event_id":"EvOdd","event":{"type":"no_such_event"}}}`)
	ackFor(t, fx, "env-4")

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}
	fx.app.Wait()
	if n := len(fx.slack.postsTo("C1")); n != 1 {
		t.Errorf("%d answers, want 1", n)
	}
	if n := len(asker.asked()); n != 1 {
		t.Errorf("%d questions, want 1", n)
	}
	if calls := fx.slack.callsTo("apps.connections.open"); len(calls) == 0 {
		t.Error("apps.connections.open was not called")
	}
}

func TestRunNeedsAnAppToken(t *testing.T) {
	fx := newFixture(t, &fakeAsker{}, nil)
	if err := fx.app.Run(context.Background()); !errors.Is(err, ErrNoAppToken) {
		t.Errorf("err %v", err)
	}
}
