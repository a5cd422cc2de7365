package slack

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// loopFixture is the app with the escalation loop on: a desk over the
// records, telling Slack askers and reminding the Slack channel through
// the app itself, as faqbot serve wires it.
func loopFixture(t *testing.T) (*fixture, *bot.Desk) {
	t.Helper()
	var desk *bot.Desk
	fx := newFixture(t, realBot(t), func(o *Options) {
		desk = bot.NewDesk(o.Records.(*memoryRecords), bot.DeskOptions{})
		o.Resolver = desk
		o.AdminURL = "https://faqbot.example.com/admin"
	})
	desk.NotifyVia(transport, fx.app)
	desk.RemindVia(transport, fx.app)
	return fx, desk
}

const askerTS = "1700000020.000001"

// escalated has the bot escalate an extension request from U123 in C1 and
// returns the escalation and its post in the escalation channel.
func escalated(t *testing.T, fx *fixture) (bot.EscalationRecord, map[string]any) {
	t.Helper()
	fx.event(t, eventJSON("EvLoop"+askerTS, mention("C1", askerTS, "", extensionQuestion)))
	posts := fx.slack.postsTo(escalations)
	_, recs := fx.records.all()
	if len(posts) != 1 || len(recs) != 1 {
		t.Fatalf("%d escalation posts, %d records", len(posts), len(recs))
	}
	var blocks []any
	if err := json.Unmarshal([]byte(posts[0].Form.Get("blocks")), &blocks); err != nil {
		t.Fatal(err)
	}
	return recs[0], map[string]any{"type": "message", "user": botUserID, "bot_id": botID, "text": posts[0].Form.Get("text"),
		"ts": "1700000999.000500", "blocks": blocks}
}

// escalationClick is a block_actions payload for a button on the post in
// channel.
func escalationClick(fx *fixture, channel, actionID, value string, post map[string]any) string {
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U777", "name": "jane.doe", "team_id": "T1"},
		"api_app_id": "A1", "token": "x", "trigger_id": "trig-777",
		"container": map[string]any{"type": "message", "message_ts": post["ts"], "channel_id": channel, "is_ephemeral": false},
		"team":      map[string]any{"id": "T1"}, "channel": map[string]any{"id": channel},
		"message": post, "response_url": fx.slack.responseURL(),
		"actions": []any{map[string]any{"action_id": actionID, "block_id": escalationBlockID, "value": value, "type": "button",
			"action_ts": "1700001000.2"}},
	})
	return url.Values{"payload": {string(payload)}}.Encode()
}

// submission is a view_submission of the Answer form.
func submission(meta, answer string) string {
	payload, _ := json.Marshal(map[string]any{
		"type": "view_submission", "user": map[string]any{"id": "U777", "name": "jane.doe", "team_id": "T1"},
		"api_app_id": "A1", "token": "x", "trigger_id": "trig-778", "team": map[string]any{"id": "T1"},
		"view": map[string]any{"id": "V1", "type": "modal", "callback_id": answerCallbackID, "private_metadata": meta,
			"state": map[string]any{"values": map[string]any{answerBlockID: map[string]any{answerActionID: map[string]any{
				"type": "plain_text_input", "value": answer}}}}},
	})
	return url.Values{"payload": {string(payload)}}.Encode()
}

// interaction posts a signed interaction and returns Slack's view of the
// reply, once the work it started is done.
func (fx *fixture) interaction(t *testing.T, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, fx.http.URL+"/slack/interactions", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	signed(req.Header, body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	fx.app.Wait()
	return resp.StatusCode, string(b)
}

func buttonValues(blocks string) map[string]string {
	var parsed []struct {
		Type     string `json:"type"`
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	_ = json.Unmarshal([]byte(blocks), &parsed)
	out := map[string]string{}
	for _, b := range parsed {
		for _, e := range b.Elements {
			if e.ActionID != "" {
				out[e.ActionID] = e.Value
			}
		}
	}
	return out
}

func TestEscalationPostsCarryAnswerAndResolve(t *testing.T) {
	fx, _ := loopFixture(t)
	rec, post := escalated(t, fx)
	blocks := fx.slack.postsTo(escalations)[0].Form.Get("blocks")
	if b := buttonValues(blocks); b[actionAnswer] != rec.ID || b[actionResolve] != rec.ID {
		t.Errorf("buttons %v, want Answer and Resolve for %s", b, rec.ID)
	}
	if !strings.Contains(blocks, "https://faqbot.example.com/admin/escalations/"+rec.ID) {
		t.Errorf("no link to the dashboard: %s", blocks)
	}
	if post["text"] == "" || !strings.Contains(post["text"].(string), "extension") {
		t.Errorf("post text %v", post["text"])
	}
	// Without the loop, no buttons.
	plain := newFixture(t, realBot(t), nil)
	plain.event(t, eventJSON("EvPlain", mention("C1", "1700000021.000001", "", extensionQuestion)))
	if b := buttonValues(plain.slack.postsTo(escalations)[0].Form.Get("blocks")); len(b) != 0 {
		t.Errorf("buttons without a resolver: %v", b)
	}
}

func TestAnswerFormPostsTheAnswerInTheAskersThread(t *testing.T) {
	fx, _ := loopFixture(t)
	rec, post := escalated(t, fx)

	code, _ := fx.interaction(t, escalationClick(fx, escalations, actionAnswer, rec.ID, post))
	if code != http.StatusOK {
		t.Fatalf("Answer click: %d", code)
	}
	views := fx.slack.callsTo("views.open")
	if len(views) != 1 {
		t.Fatalf("views.open called %d times", len(views))
	}
	var opened struct {
		TriggerID string         `json:"trigger_id"`
		View      map[string]any `json:"view"`
	}
	if err := json.Unmarshal(views[0].Body, &opened); err != nil {
		t.Fatalf("views.open body %s: %v", views[0].Body, err)
	}
	meta, _ := opened.View["private_metadata"].(string)
	if opened.TriggerID != "trig-777" || opened.View["callback_id"] != answerCallbackID || !strings.Contains(meta, rec.ID) ||
		!strings.Contains(string(views[0].Body), "Can we get an extension") {
		t.Fatalf("form %s", views[0].Body)
	}

	// An empty answer keeps the form open with a message.
	code, body := fx.interaction(t, submission(meta, "   "))
	if code != 200 || !strings.Contains(body, `"response_action":"errors"`) || !strings.Contains(body, "Write the answer") {
		t.Errorf("empty answer: %d %s", code, body)
	}
	answer := "No extensions: plan the move by June <!channel> & *soon*."
	code, body = fx.interaction(t, submission(meta, answer))
	if code != 200 || strings.TrimSpace(body) != "" {
		t.Fatalf("submit: %d %q, want an empty 200 that closes the form", code, body)
	}
	// Recorded as the resolution, by the person who answered.
	_, recs := fx.records.all()
	if r := recs[0]; r.State != bot.EscalationResolved || r.HumanAnswer != answer || r.ResolvedBy != "jane.doe" {
		t.Errorf("record %+v", r)
	}
	// Posted in the asker's thread, as the bot, naming who answered, with
	// the answer's text unable to ping or format.
	thread := fx.slack.postsTo("C1")
	last := thread[len(thread)-1].Form
	if last.Get("thread_ts") != askerTS || !strings.Contains(last.Get("text"), "*jane.doe* from the team answered") ||
		!strings.Contains(last.Get("text"), "&lt;!channel&gt; &amp; *soon*") {
		t.Errorf("asker's thread got %v", last)
	}
	// The escalation post shows who answered, without buttons.
	updates := fx.slack.callsTo("chat.update")
	if len(updates) != 1 {
		t.Fatalf("%d updates", len(updates))
	}
	u := updates[0].Form
	if u.Get("channel") != escalations || u.Get("ts") != "1700000999.000500" || !strings.Contains(u.Get("text"), "Answered by <@U777>") ||
		len(buttonValues(u.Get("blocks"))) != 0 {
		t.Errorf("post update %v", u)
	}

	// A second answer is refused, and nothing more is posted.
	before := len(fx.slack.postsTo("C1"))
	_, body = fx.interaction(t, submission(meta, "another answer"))
	if !strings.Contains(body, "Already resolved by jane.doe") || len(fx.slack.postsTo("C1")) != before {
		t.Errorf("second answer: %s, %d thread posts (was %d)", body, len(fx.slack.postsTo("C1")), before)
	}
	// The Answer button of a resolved escalation opens no form.
	fx.interaction(t, escalationClick(fx, escalations, actionAnswer, rec.ID, post))
	if n := len(fx.slack.callsTo("views.open")); n != 1 {
		t.Errorf("views.open called %d times, want still 1", n)
	}
}

func TestResolveMarksTheEscalationDone(t *testing.T) {
	fx, _ := loopFixture(t)
	rec, post := escalated(t, fx)
	before := len(fx.slack.postsTo("C1"))

	// A button posted elsewhere (it cannot be faqbot's) does nothing.
	if code, _ := fx.interaction(t, escalationClick(fx, "C1", actionResolve, rec.ID, post)); code != 200 {
		t.Errorf("click elsewhere: %d", code)
	}
	if _, recs := fx.records.all(); recs[0].State != bot.EscalationOpen {
		t.Fatal("a click outside the escalation channel resolved it")
	}

	fx.interaction(t, escalationClick(fx, escalations, actionResolve, rec.ID, post))
	_, recs := fx.records.all()
	if r := recs[0]; r.State != bot.EscalationResolved || r.ResolvedBy != "jane.doe" || r.HumanAnswer != "" {
		t.Fatalf("record %+v", r)
	}
	thread := fx.slack.postsTo("C1")
	if len(thread) != before+1 || thread[before].Form.Get("thread_ts") != askerTS ||
		!strings.Contains(thread[before].Form.Get("text"), "marked this as resolved") {
		t.Errorf("asker's thread: %v", thread[before:])
	}
	u := fx.slack.callsTo("chat.update")
	if len(u) != 1 || !strings.Contains(u[0].Form.Get("text"), "Resolved by <@U777>") || len(buttonValues(u[0].Form.Get("blocks"))) != 0 {
		t.Errorf("post update %v", u)
	}
	// Clicked again (another browser still showed the buttons): the post
	// shows the state, the asker is not told twice.
	fx.interaction(t, escalationClick(fx, escalations, actionResolve, rec.ID, post))
	if n := len(fx.slack.postsTo("C1")); n != before+1 {
		t.Errorf("%d thread posts after a second Resolve, want %d", n, before+1)
	}
	if u := fx.slack.callsTo("chat.update"); len(u) != 2 || !strings.Contains(u[1].Form.Get("text"), "Resolved by *jane.doe*") {
		t.Errorf("second update %v", u)
	}

	// A store that fails: the click is not acknowledged.
	rec2, post2 := escalatedAgain(t, fx)
	fx.records.setFail(errors.New("disk full"))
	if code, _ := fx.interaction(t, escalationClick(fx, escalations, actionResolve, rec2.ID, post2)); code != http.StatusInternalServerError {
		t.Errorf("resolve with a failing store: %d, want 500", code)
	}
}

// escalatedAgain escalates a second question.
func escalatedAgain(t *testing.T, fx *fixture) (bot.EscalationRecord, map[string]any) {
	t.Helper()
	fx.event(t, eventJSON("EvLoop2", mention("C1", "1700000030.000001", "", extensionQuestion)))
	_, recs := fx.records.all()
	return recs[len(recs)-1], map[string]any{"type": "message", "ts": "1700000999.000600", "text": "x", "blocks": []any{}}
}

func TestOpenEscalationsAreRepostedOnce(t *testing.T) {
	fx, desk := loopFixture(t)
	rec, _ := escalated(t, fx)
	young, _ := escalatedAgain(t, fx)
	fx.records.setTime(rec.ID, time.Now().Add(-26*time.Hour))

	for range 3 {
		if err := desk.Followups(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	posts := fx.slack.postsTo(escalations)
	if len(posts) != 3 { // two escalations, one reminder
		t.Fatalf("%d posts to the escalation channel, want 3", len(posts))
	}
	r := posts[2].Form
	if !strings.Contains(r.Get("text"), "Still open after 26 hours") || !strings.Contains(r.Get("text"), "Can we get an extension") {
		t.Errorf("reminder %s", r.Get("text"))
	}
	if b := buttonValues(r.Get("blocks")); b[actionAnswer] != rec.ID || b[actionResolve] != rec.ID {
		t.Errorf("reminder buttons %v", b)
	}

	// Slack down when the next one is due: it is tried again next round,
	// and posted once.
	fx.records.setTime(young.ID, time.Now().Add(-25*time.Hour))
	fx.slack.setFail(func(method string, form url.Values) int {
		if method == "chat.postMessage" && form.Get("channel") == escalations {
			return http.StatusInternalServerError
		}
		return 0
	})
	fx.app.retry.Retries = -1 // no retries
	if err := desk.Followups(context.Background()); err != nil {
		t.Fatal(err)
	}
	fx.slack.setFail(nil)
	for range 2 {
		if err := desk.Followups(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	var reminders []string
	for _, p := range fx.slack.postsTo(escalations) {
		if strings.Contains(p.Form.Get("text"), "Still open") {
			reminders = append(reminders, buttonValues(p.Form.Get("blocks"))[actionResolve])
		}
	}
	// The failed attempt was recorded as a call too.
	if len(reminders) != 3 || reminders[0] != rec.ID || reminders[2] != young.ID {
		t.Errorf("reminders for %v; want %s, then %s failing once and posted once", reminders, rec.ID, young.ID)
	}
}

// TestAnswerFormOverSocketMode: Socket Mode acknowledges the form with
// its response, as HTTP answers with it.
func TestAnswerFormOverSocketMode(t *testing.T) {
	var desk *bot.Desk
	fx := newFixture(t, realBot(t), func(o *Options) {
		o.AppToken, o.SigningSecret = "xapp-test", ""
		desk = bot.NewDesk(o.Records.(*memoryRecords), bot.DeskOptions{})
		o.Resolver = desk
	})
	desk.NotifyVia(transport, fx.app)
	rec, _, err := fx.records.OpenEscalation(context.Background(), bot.EscalationRecord{Question: "q", Transport: transport,
		Conversation: "C1/" + askerTS, State: bot.EscalationOpen})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = fx.app.Run(ctx) }()

	meta, _ := json.Marshal(answerMeta{ID: rec.ID, Channel: escalations, TS: "1700000999.000500"})
	payload := func(answer string) map[string]any {
		var p map[string]any
		form, _ := url.ParseQuery(submission(string(meta), answer))
		_ = json.Unmarshal([]byte(form.Get("payload")), &p)
		return p
	}
	fx.slack.srv.SendToWebsocket(envelopeJSON("env-a", "interactive", payload(""), 0))
	ack := ackFor(t, fx, "env-a")
	if p, _ := ack["payload"].(map[string]any); p["response_action"] != "errors" {
		t.Errorf("empty answer ack %v", ack)
	}
	fx.slack.srv.SendToWebsocket(envelopeJSON("env-b", "interactive", payload("Plan the move."), 0))
	ack = ackFor(t, fx, "env-b")
	if _, has := ack["payload"]; has {
		t.Errorf("answer ack %v, want none (closes the form)", ack)
	}
	waitFor(t, "the answer in the asker's thread", func() bool {
		for _, p := range fx.slack.postsTo("C1") {
			if strings.Contains(p.Form.Get("text"), "Plan the move.") && p.Form.Get("thread_ts") == askerTS {
				return true
			}
		}
		return false
	})
}
