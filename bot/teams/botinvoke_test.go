package teams

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/teams/teamstest"
)

const escalationChannel = "19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2"

func TestBotRecordsFeedbackOnce(t *testing.T) {
	e := newBotEnv(t, nil)
	reply := e.answered("1727891234567", "When will outbound marketing be removed?")
	inv := e.activity("bot-feedback.json")
	inv["replyToId"] = reply.ID
	for range 2 { // Teams redelivers with the same id
		r := e.send(inv, e.bearer())
		if r.status != http.StatusOK || strings.TrimSpace(string(r.body)) != "{}" {
			t.Fatalf("feedback invoke: status %d body %s", r.status, r.body)
		}
	}
	recs := e.feedback.Records()
	if len(recs) != 1 {
		t.Fatalf("%d feedback records, want 1: %+v", len(recs), recs)
	}
	f := recs[0]
	if f.Reaction != "dislike" || f.Comment != "It didn't say *which* date applies to us." || f.ReplyID != reply.ID ||
		f.QuestionID != "1727891234567" || f.Question != "When will outbound marketing be removed?" ||
		f.By.ID != "6f2b3c8e-1d4a-4b7e-9c0f-2a5d8e7b1c34" || f.CorpusVersion == "" {
		t.Errorf("feedback record = %+v", f)
	}

	bad := e.activity("bot-feedback.json")
	bad["id"] = "f:other"
	bad["value"] = map[string]any{"actionName": "feedback", "actionValue": map[string]any{"reaction": "meh"}}
	if r := e.send(bad, e.bearer()); r.status != http.StatusBadRequest {
		t.Errorf("unknown reaction: status %d, want 400", r.status)
	}
	if n := len(e.feedback.Records()); n != 1 {
		t.Errorf("%d feedback records after a bad invoke, want 1", n)
	}
}

// failingFeedback cannot store anything.
type failingFeedback struct{}

func (failingFeedback) RecordFeedback(context.Context, Feedback) error {
	return errors.New("disk full")
}

func TestBotFeedbackNotRecordedIsNotAcknowledged(t *testing.T) {
	e := newBotEnv(t, func(o *BotOptions) { o.Feedback = failingFeedback{} })
	inv := e.activity("bot-feedback.json")
	if r := e.send(inv, e.bearer()); r.status != http.StatusInternalServerError {
		t.Errorf("status %d, want 500 when feedback cannot be stored", r.status)
	}
}

// invokeResponse is what Teams reads from an Action.Execute response.
type invokeResponse struct {
	StatusCode int    `json:"statusCode"`
	Type       string `json:"type"`
	Value      string `json:"value"`
}

func TestBotAskHumanEscalatesOnceThenNotifiesTheAsker(t *testing.T) {
	var mu sync.Mutex
	var counted []error
	e := newBotEnv(t, func(o *BotOptions) {
		o.EscalationConversation = escalationChannel
		o.OnEscalation = func(_ bot.Reason, err error) {
			mu.Lock()
			counted = append(counted, err)
			mu.Unlock()
		}
	})
	reply := e.answered("1727891234567", "What happens to my segments after the transition?")
	if !hasAskHuman(reply) {
		t.Fatal("answer has no \"Ask a human\"")
	}
	click := func(id string) invokeResponse {
		inv := e.activity("bot-askhuman.json")
		inv["id"], inv["replyToId"] = id, reply.ID
		r := e.send(inv, e.bearer())
		var ir invokeResponse
		if r.status != http.StatusOK || json.Unmarshal(r.body, &ir) != nil || ir.StatusCode != http.StatusOK || ir.Type != invokeMessageType {
			t.Fatalf("Action.Execute response: status %d body %s", r.status, r.body)
		}
		return ir
	}
	click("f:click-1")
	isEscalation := func(p teamstest.Post) bool { return p.Path == "/v3/conversations/"+escalationChannel+"/activities" }
	posts := e.conn.WaitFor(t, "the escalation and the note to the asker", func(ps []teamstest.Post) bool {
		n := 0
		for _, p := range ps {
			if isEscalation(p) || (p.Str("replyToId") == reply.ID && strings.Contains(p.Str("text"), "passed your question")) {
				n++
			}
		}
		return n == 2
	})
	var card teamstest.Post
	for _, p := range posts {
		if isEscalation(p) {
			card = p
		}
	}
	cardJSON, _ := json.Marshal(card.Body)
	for _, want := range []string{"What happens to my segments after the transition?", "Megan Bowen", "asked for a person", "esc_"} {
		if !strings.Contains(string(cardJSON), want) {
			t.Errorf("escalation card lacks %q:\n%s", want, cardJSON)
		}
	}
	if card.Reply || card.Auth != "Bearer "+teamstest.AccessToken(0) {
		t.Errorf("escalation teamstest.Post as reply=%v with %q, want a new post with the bot's token", card.Reply, card.Auth)
	}

	if r := click("f:click-2"); r.Value != alreadyEscalatedText {
		t.Errorf("second click answered %q", r.Value)
	}
	escalations := 0
	for _, p := range e.conn.Posts() {
		if isEscalation(p) {
			escalations++
		}
	}
	mu.Lock()
	if escalations != 1 || len(counted) != 1 || counted[0] != nil {
		t.Errorf("%d escalation posts, %d counted (%v); want one, delivered", escalations, len(counted), counted)
	}
	mu.Unlock()

	id := escalationID(t, e)
	esc, err := e.escalations.Get(context.Background(), id)
	if err != nil || esc.Status != EscalationPosted || esc.Reason != bot.UserRequest || esc.Asker.ConversationID != reply.Body["conversation"].(map[string]any)["id"] {
		t.Fatalf("tracked escalation = %+v, %v", esc, err)
	}

	// A person resolves it: the asker hears of it in their own chat.
	before := len(e.conn.Posts())
	for range 2 {
		if err := e.bot.NotifyResolved(context.Background(), id, "You can keep **segments**; see [this](https://evil.example).", "Alex Wilber"); err != nil {
			t.Fatalf("NotifyResolved: %v", err)
		}
	}
	after := e.conn.Posts()
	if len(after) != before+1 {
		t.Fatalf("%d posts for two NotifyResolved calls, want 1", len(after)-before)
	}
	note := after[before]
	if note.Reply || note.Path != "/v3/conversations/"+esc.Asker.ConversationID+"/activities" {
		t.Errorf("resolution teamstest.Post to %s (reply=%v), want proactively into the asker's conversation", note.Path, note.Reply)
	}
	if runs := textRuns(note.Body); !contains(runs, "You can keep **segments**; see [this](https://evil.example).") || !contains(runs, "Alex Wilber") {
		t.Errorf("resolution does not carry the answer verbatim: %v", runs)
	}
	if got, _ := e.escalations.Get(context.Background(), id); got.Status != EscalationNotified {
		t.Errorf("status after notifying = %s", got.Status)
	}
	if err := e.bot.NotifyResolved(context.Background(), "esc_unknown", "", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown escalation: %v, want ErrNotFound", err)
	}
}

func TestBotAskHumanFromSubmitFallback(t *testing.T) {
	e := newBotEnv(t, func(o *BotOptions) { o.EscalationConversation = escalationChannel })
	reply := e.answered("1727891234567", "What happens to my segments after the transition?")
	act := e.activity("bot-personal.json")
	act["id"], act["text"], act["replyToId"] = "1727891239999", "", reply.ID
	act["value"] = map[string]any{"action": askHumanVerb}
	if r := e.send(act, e.bearer()); r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	e.conn.WaitFor(t, "the note", func(ps []teamstest.Post) bool { return teamstest.ReplyTo(ps, "1727891239999") != nil })
	n := 0
	for _, p := range e.conn.Posts() {
		if strings.Contains(p.Path, escalationChannel) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d escalations teamstest.Post, want 1", n)
	}
	if q := e.asker.questions(); len(q) != 1 {
		t.Errorf("the button's message was asked as a question: %+v", q)
	}
}

func TestBotPolicyEscalationGoesToTheWorkflowOnce(t *testing.T) {
	wf := &workflow{t: t}
	srv := httptest.NewServer(wf)
	defer srv.Close()
	e := newBotEnv(t, func(o *BotOptions) {
		esc, err := NewEscalator(srv.URL, EscalatorOptions{})
		if err != nil {
			t.Fatal(err)
		}
		o.Escalator = esc
	})
	reply := e.answered("1727891234567", "Can we get an extension past June 30?")
	if !strings.Contains(reply.Str("text"), "I've passed your question to the team") {
		t.Errorf("reply does not say the question was passed on:\n%s", reply.Str("text"))
	}
	if hasAskHuman(reply) {
		t.Error("an escalated answer still offers \"Ask a human\"")
	}
	inv := e.activity("bot-askhuman.json")
	inv["replyToId"] = reply.ID
	r := e.send(inv, e.bearer())
	var ir invokeResponse
	if json.Unmarshal(r.body, &ir) != nil || ir.Value != alreadyEscalatedText {
		t.Errorf("\"Ask a human\" on an escalated answer: %s", r.body)
	}
	if n := wf.count(); n != 1 {
		t.Errorf("workflow got %d escalations, want 1", n)
	}
}

func escalationID(t *testing.T, e *botEnv) string {
	t.Helper()
	e.escalations.mu.Lock()
	defer e.escalations.mu.Unlock()
	if len(e.escalations.order) != 1 {
		t.Fatalf("%d escalations tracked, want 1", len(e.escalations.order))
	}
	return e.escalations.order[0]
}

// textRuns collects the text of every TextRun in an activity's cards: the
// only place people's text may appear.
func textRuns(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		if x["type"] == "TextRun" {
			out = append(out, x["text"].(string))
		}
		for _, y := range x {
			out = append(out, textRuns(y)...)
		}
	case []any:
		for _, y := range x {
			out = append(out, textRuns(y)...)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestBotAskingAgainRetriesAFailedEscalation(t *testing.T) {
	e := newBotEnv(t, func(o *BotOptions) { o.EscalationConversation = escalationChannel; o.Contact = "the CI-J team" })
	reply := e.answered("1727891234567", "What happens to my segments after the transition?")
	click := func(id string) {
		inv := e.activity("bot-askhuman.json")
		inv["id"], inv["replyToId"] = id, reply.ID
		if r := e.send(inv, e.bearer()); r.status != http.StatusOK {
			t.Fatalf("status %d", r.status)
		}
	}
	notes := func(ps []teamstest.Post, text string) int {
		n := 0
		for _, p := range ps {
			if p.Str("replyToId") == reply.ID && strings.Contains(p.Str("text"), text) {
				n++
			}
		}
		return n
	}
	e.conn.Fail(http.StatusInternalServerError, http.StatusInternalServerError, http.StatusInternalServerError, http.StatusInternalServerError)
	click("f:click-1")
	e.conn.WaitFor(t, "the apology", func(ps []teamstest.Post) bool { return notes(ps, "couldn't reach the team") == 1 })
	id := escalationID(t, e)
	if esc, _ := e.escalations.Get(context.Background(), id); esc.Status != EscalationFailed {
		t.Fatalf("status after a failed post = %s", esc.Status)
	}
	click("f:click-2")
	posts := e.conn.WaitFor(t, "the retried escalation", func(ps []teamstest.Post) bool { return notes(ps, "passed your question") == 1 })
	delivered := 0
	for _, p := range posts {
		if strings.Contains(p.Path, escalationChannel) {
			delivered++
		}
	}
	if esc, _ := e.escalations.Get(context.Background(), id); esc.Status != EscalationPosted || delivered != 1 {
		t.Errorf("after asking again: status %s, %d escalations delivered", esc.Status, delivered)
	}
}
