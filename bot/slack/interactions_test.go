package slack

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/faqbot/faqbot/bot"
)

// answered has the bot answer a mention and returns the posted message as
// Slack would show it in an interaction payload.
func answered(t *testing.T, fx *fixture, ts string) map[string]any {
	t.Helper()
	fx.event(t, eventJSON("EvAns"+ts, mention("C1", ts, "", "<@UBOT> segments?")))
	posts := fx.slack.postsTo("C1")
	if len(posts) == 0 {
		t.Fatal("no answer posted")
	}
	p := posts[len(posts)-1].Form
	var blocks []any
	if err := json.Unmarshal([]byte(p.Get("blocks")), &blocks); err != nil {
		t.Fatal(err)
	}
	return map[string]any{"type": "message", "user": botUserID, "bot_id": botID, "text": p.Get("text"),
		"ts": "1700000999.000101", "thread_ts": ts, "blocks": blocks}
}

// clickBody is a signed-ready block_actions payload for a button on msg.
func clickBody(fx *fixture, user, actionID string, msg map[string]any) string {
	value := ""
	for _, b := range msg["blocks"].([]any) {
		bm := b.(map[string]any)
		if bm["type"] == "actions" {
			for _, e := range bm["elements"].([]any) {
				value = e.(map[string]any)["value"].(string)
			}
		}
	}
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user, "name": "someone", "team_id": "T1"},
		"api_app_id": "A1", "token": "x", "trigger_id": "trig",
		"container": map[string]any{"type": "message", "message_ts": msg["ts"], "channel_id": "C1", "is_ephemeral": false},
		"team":      map[string]any{"id": "T1"}, "channel": map[string]any{"id": "C1", "name": "general"},
		"message": msg, "response_url": fx.slack.responseURL(),
		"actions": []any{map[string]any{"action_id": actionID, "block_id": feedbackBlockID, "value": value, "type": "button",
			"action_ts": "1700001000.1"}},
	})
	return url.Values{"payload": {string(payload)}}.Encode()
}

func (fx *fixture) click(t *testing.T, user, actionID string, msg map[string]any) {
	t.Helper()
	if code := fx.send(t, "/slack/interactions", "application/x-www-form-urlencoded", clickBody(fx, user, actionID, msg), nil); code != 200 {
		t.Fatalf("status %d", code)
	}
}

func TestFeedbackButtonsAreRecordedAndAcknowledged(t *testing.T) {
	asker := &fakeAsker{answer: plainAnswer}
	asker.answer.ID = "ex1"
	fx := newFixture(t, asker, nil)
	msg := answered(t, fx, "1700000010.000001")
	fx.click(t, "U555", actionHelpful, msg)
	fx.click(t, "U556", actionNotHelpful, msg)

	recs, _ := fx.records.all()
	if len(recs) != 2 {
		t.Fatalf("want 2 records, got %d", len(recs))
	}
	want := []struct {
		kind bot.FeedbackKind
		user string
	}{{bot.FeedbackHelpful, "U555"}, {bot.FeedbackNotHelpful, "U556"}}
	for i, r := range recs {
		// The exchange has the question; the click points at it.
		if r.Kind != want[i].kind || r.User != want[i].user || r.ExchangeID != "ex1" || r.Transport != "slack" ||
			r.Conversation != "C1/1700000010.000001" || r.Message != "C1/1700000999.000101" || r.Question != "" || r.Time.IsZero() {
			t.Errorf("record %d: %+v", i, r)
		}
	}
	updates := fx.slack.callsTo("chat.update")
	if len(updates) != 2 {
		t.Fatalf("want 2 chat.update, got %d", len(updates))
	}
	u := updates[0].Form
	if u.Get("channel") != "C1" || u.Get("ts") != "1700000999.000101" {
		t.Errorf("updated %s %s", u.Get("channel"), u.Get("ts"))
	}
	blocks := u.Get("blocks")
	if !strings.Contains(blocks, "found this helpful") || !strings.Contains(blocks, "Export the segment") {
		t.Errorf("update does not keep the answer and acknowledge: %s", blocks)
	}
	if strings.Contains(blocks, `"action_id":"helpful"`) || !strings.Contains(blocks, `"action_id":"ask_human"`) {
		t.Errorf("update should keep only Ask a human: %s", blocks)
	}
}

func TestFeedbackOnAnUnrecordedAnswerKeepsWhatTheButtonKnows(t *testing.T) {
	fx := newFixture(t, &fakeAsker{answer: plainAnswer}, nil)
	msg := answered(t, fx, "1700000013.000001")
	fx.click(t, "U555", actionNotHelpful, msg)
	recs, _ := fx.records.all()
	if len(recs) != 1 || recs[0].ExchangeID != "" || recs[0].Question != "segments?" || recs[0].Asker != "U123" || recs[0].CorpusVersion != "v1" {
		t.Errorf("records %+v", recs)
	}
}

func TestAClickThatCannotBeRecordedIsNotAcknowledged(t *testing.T) {
	fx := newFixture(t, &fakeAsker{answer: plainAnswer}, nil)
	msg := answered(t, fx, "1700000014.000001")
	fx.records.setFail(errors.New("disk full"))
	for _, action := range []string{actionHelpful, actionAskHuman} {
		code := fx.send(t, "/slack/interactions", "application/x-www-form-urlencoded", clickBody(fx, "U555", action, msg), nil)
		if code != http.StatusInternalServerError {
			t.Errorf("%s: status %d, want 500 so that Slack tells the clicker", action, code)
		}
	}
	if n := len(fx.slack.callsTo("chat.update")) + len(fx.slack.postsTo(escalations)); n != 0 {
		t.Errorf("%d updates or escalations for clicks that were not recorded", n)
	}
	fx.records.setFail(nil)
	fx.click(t, "U555", actionAskHuman, msg) // the user tries again
	if n := len(fx.slack.postsTo(escalations)); n != 1 {
		t.Errorf("retried click: %d escalations, want 1", n)
	}
}

func TestAskAHumanEscalatesOnceEvenIfClickedTwice(t *testing.T) {
	asker := &fakeAsker{answer: plainAnswer}
	asker.answer.ID = "ex2"
	fx := newFixture(t, asker, nil)
	msg := answered(t, fx, "1700000011.000001")
	body := clickBody(fx, "U555", actionAskHuman, msg)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, fx.http.URL+"/slack/interactions", strings.NewReader(body))
			signed(req.Header, body)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("status %d", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	fx.app.Wait()

	esc := fx.slack.postsTo(escalations)
	if len(esc) != 1 {
		t.Fatalf("want 1 escalation, got %d", len(esc))
	}
	text := esc[0].Form.Get("text")
	for _, s := range []string{"asked for a person", "<@U123>", "escalated by* <@U555>", "segments?", "Export the segment", "/archives/C1/p1700000011000001|open the thread>"} {
		if !strings.Contains(text, s) {
			t.Errorf("escalation lacks %q:\n%s", s, text)
		}
	}
	_, recs := fx.records.all()
	if len(recs) != 1 {
		t.Fatalf("escalation records %+v", recs)
	}
	r := recs[0]
	if r.Key != "slack:answer:C1/1700000999.000101" || r.ExchangeID != "ex2" || r.Reason != bot.UserRequest || r.Asker != "U123" ||
		r.By != "U555" || r.Question != "segments?" || r.Conversation != "C1/1700000011.000001" ||
		r.Delivery != bot.DeliveryDelivered || r.Destination != "slack" || !strings.Contains(r.Draft, "Export the segment") {
		t.Errorf("escalation record %+v", r)
	}
	updates := fx.slack.callsTo("chat.update")
	if len(updates) != 1 || !strings.Contains(updates[0].Form.Get("blocks"), "passed your question to the team") ||
		strings.Contains(updates[0].Form.Get("blocks"), `"action_id":"ask_human"`) {
		t.Errorf("updates %v", updates)
	}

	// A restart remembers (the records outlive the process): the same
	// button escalates no more.
	again, err := New(fx.app.opts)
	if err != nil {
		t.Fatal(err)
	}
	restarted := *fx
	restarted.app = again
	restarted.http = httptest.NewServer(again.Handler())
	defer restarted.http.Close()
	restarted.click(t, "U555", actionAskHuman, msg)
	again.Wait()
	if n := len(fx.slack.postsTo(escalations)); n != 1 {
		t.Errorf("after restart: %d escalations", n)
	}
	// A "helpful" click after the escalation no longer offers Ask a human.
	restarted.click(t, "U556", actionHelpful, msg)
	again.Wait()
	last := fx.slack.callsTo("chat.update")
	if b := last[len(last)-1].Form.Get("blocks"); strings.Contains(b, `"action_id":"ask_human"`) {
		t.Errorf("Ask a human offered again after it was used: %s", b)
	}
}

func TestAcknowledgeFallsBackToTheResponseURL(t *testing.T) {
	fx := newFixture(t, &fakeAsker{answer: plainAnswer}, nil)
	msg := answered(t, fx, "1700000012.000001")
	fx.slack.setFail(func(method string, _ url.Values) int {
		if method == "chat.update" {
			return 500
		}
		return 0
	})
	fx.click(t, "U555", actionHelpful, msg)
	resps := fx.responses(t)
	if len(resps) != 1 || !resps[0].ReplaceOriginal || !strings.Contains(resps[0].Text, "Export the segment") {
		t.Errorf("responses %+v", resps)
	}
}

func TestAnswerRefFitsAButton(t *testing.T) {
	long := strings.Repeat("é\"<", 3000)
	v := answerRef{QuestionTS: "1.2", Asker: "U1", Question: long, Version: "v"}.encode()
	if len(v) > maxButtonValue {
		t.Errorf("value is %d bytes", len(v))
	}
	got := decodeRef(v)
	if got.QuestionTS != "1.2" || got.Asker != "U1" || !strings.HasPrefix(long, strings.TrimSuffix(got.Question, "…")) {
		t.Errorf("decoded %+v", got)
	}
	if (decodeRef("not json") != answerRef{}) {
		t.Error("bad value decoded")
	}
}
