package slack

import (
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
)

// rateBody is the block_actions payload Slack sends when someone clicks
// one of an answer's feedback buttons.
func rateBody(t *testing.T, fx *fixture, user string, positive bool, msg map[string]any) string {
	t.Helper()
	var value string
	for _, b := range msg["blocks"].([]any) {
		bm := b.(map[string]any)
		if bm["type"] != "context_actions" {
			continue
		}
		fb := bm["elements"].([]any)[0].(map[string]any)
		button := "negative_button"
		if positive {
			button = "positive_button"
		}
		value = fb[button].(map[string]any)["value"].(string)
	}
	if value == "" {
		t.Fatal("the answer has no feedback buttons")
	}
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user, "team_id": "T1"},
		"api_app_id": "A1", "trigger_id": "trig-" + user,
		"container": map[string]any{"type": "message", "message_ts": msg["ts"], "channel_id": "C1"},
		"channel":   map[string]any{"id": "C1"}, "message": msg, "response_url": fx.slack.responseURL(),
		"actions": []any{map[string]any{"action_id": actionRate, "block_id": ratingBlockID, "type": "feedback_buttons",
			"value": value, "action_ts": "1700001000.1"}},
	})
	return url.Values{"payload": {string(payload)}}.Encode()
}

func (fx *fixture) rate(t *testing.T, user string, positive bool, msg map[string]any) {
	t.Helper()
	if code := fx.send(t, "/slack/interactions", "application/x-www-form-urlencoded", rateBody(t, fx, user, positive, msg), nil); code != 200 {
		t.Fatalf("status %d", code)
	}
}

// submitReason sends the view_submission of the reason modal that was
// opened, with the reason and text chosen.
func (fx *fixture) submitReason(t *testing.T, user, reason, details string) int {
	t.Helper()
	opens := fx.slack.callsTo("views.open")
	if len(opens) == 0 {
		t.Fatal("no modal was opened")
	}
	view := openedView(t, opens[len(opens)-1]).View
	payload, _ := json.Marshal(map[string]any{
		"type": "view_submission", "user": map[string]any{"id": user}, "api_app_id": "A1",
		"view": map[string]any{"id": "V1", "type": "modal", "callback_id": view.CallbackID, "private_metadata": view.PrivateMetadata,
			"state": map[string]any{"values": map[string]any{
				reasonBlockID:  map[string]any{reasonActionID: map[string]any{"type": "radio_buttons", "selected_option": map[string]any{"value": reason}}},
				detailsBlockID: map[string]any{detailsActionID: map[string]any{"type": "plain_text_input", "value": details}},
			}}},
	})
	return fx.send(t, "/slack/interactions", "application/x-www-form-urlencoded", url.Values{"payload": {string(payload)}}.Encode(), nil)
}

func TestFeedbackButtonsAndReasonModal(t *testing.T) {
	asker := &fakeAsker{answer: plainAnswer}
	asker.answer.ID = "ex9"
	fx := newFixture(t, asker, func(o *Options) { o.FAQDate = func() string { return "April 14, 2025" } })
	msg := answered(t, fx, "1700000020.000001")

	blocks := fx.slack.postsTo("C1")[0].Form.Get("blocks")
	if !strings.Contains(blocks, `"type":"context_actions"`) || !strings.Contains(blocks, `"type":"feedback_buttons"`) {
		t.Errorf("no feedback_buttons in a context_actions block: %s", blocks)
	}
	if !strings.Contains(blocks, "Quoted from the FAQ dated April 14, 2025") {
		t.Errorf("no provenance line naming the FAQ's date: %s", blocks)
	}

	fx.rate(t, "U555", true, msg)
	if n := len(fx.slack.callsTo("views.open")); n != 0 {
		t.Errorf("helpful opened %d modals", n)
	}
	fx.rate(t, "U555", false, msg)
	opens := fx.slack.callsTo("views.open")
	if len(opens) != 1 || openedView(t, opens[0]).TriggerID != "trig-U555" {
		t.Fatalf("views.open calls %d, want one with the click's trigger", len(opens))
	}
	view := string(opens[0].Body)
	for _, r := range bot.FeedbackReasons() {
		if !strings.Contains(view, r.Label) {
			t.Errorf("modal lacks the reason %q: %s", r.Label, view)
		}
	}
	if code := fx.submitReason(t, "U555", "out_of_date", "  It says June 2025 <b>but</b> "); code != 200 {
		t.Fatalf("view_submission status %d", code)
	}

	feedback, _ := fx.records.all()
	var got []string
	for _, f := range feedback {
		if f.ExchangeID != "ex9" || f.User != "U555" || f.Message != "C1/1700000999.000101" || f.Transport != "slack" {
			t.Errorf("feedback %+v does not point at the answer and the clicker", f)
		}
		got = append(got, string(f.Kind)+"|"+f.Comment)
	}
	want := []string{"helpful|", "not_helpful|", "not_helpful|out_of_date: It says June 2025 <b>but</b>"}
	if !slices.Equal(got, want) {
		t.Errorf("recorded %q, want %q (the store keeps the last per user and message)", got, want)
	}

	// A click that cannot be recorded is not acknowledged.
	fx.records.setFail(errors.New("disk full"))
	if code := fx.send(t, "/slack/interactions", "application/x-www-form-urlencoded", rateBody(t, fx, "U556", true, msg), nil); code == 200 {
		t.Error("an unrecorded click was acknowledged")
	}
	if code := fx.submitReason(t, "U555", "other", ""); code == 200 {
		t.Error("an unrecorded reason was acknowledged")
	}
}

func TestProvenanceLine(t *testing.T) {
	for _, tc := range []struct {
		mode        bot.Mode
		dated, want string
	}{
		{bot.ModeLLM, "April 14, 2025", "AI-generated from the FAQ dated April 14, 2025: check the sources"},
		{bot.ModeExtractive, "April 14, 2025", "Quoted from the FAQ dated April 14, 2025"},
		{bot.ModeExtractive, "", "Quoted from the FAQ"},
		{bot.ModeLLM, "<x>", "AI-generated from the FAQ dated &lt;x&gt;: check the sources"},
	} {
		if got := provenance(tc.mode, tc.dated); got != tc.want {
			t.Errorf("provenance(%s, %q) = %q, want %q", tc.mode, tc.dated, got, tc.want)
		}
	}
}

// openedView decodes a views.open request, which slack-go sends as JSON.
func openedView(t *testing.T, c apiCall) (req struct {
	TriggerID string                 `json:"trigger_id"`
	View      slack.ModalViewRequest `json:"view"`
}) {
	t.Helper()
	if err := json.Unmarshal(c.Body, &req); err != nil {
		t.Fatalf("views.open body: %v", err)
	}
	return req
}
