package teams

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/teams/teamstest"
)

const faqURL = "https://learn.microsoft.com/en-us/dynamics365/customer-insights/journeys/transition-faqs#"

func TestBotAnswersPersonalChatAsynchronously(t *testing.T) {
	g := &gate{release: make(chan struct{}), entered: make(chan struct{}, 1)}
	e := newBotEnv(t, func(o *BotOptions) { g.next = o.Asker; o.Asker = g })
	act := e.activity("bot-personal.json")

	// The Asker cannot answer until the test lets it: the 200 comes first.
	if r := e.send(act, e.bearer()); r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	<-g.entered
	close(g.release)

	posts := e.conn.WaitFor(t, "the answer", func(ps []teamstest.Post) bool { return len(teamstest.Messages(ps)) == 1 })
	conv := act["conversation"].(map[string]any)["id"].(string)
	typing := posts[0]
	if typing.Str("type") != typeTyping || typing.Path != "/v3/conversations/"+conv+"/activities" {
		t.Errorf("first post = %s to %s, want typing to the conversation", typing.Str("type"), typing.Path)
	}
	reply := teamstest.Messages(posts)[0]
	if want := "/v3/conversations/" + conv + "/activities/1727891234567"; reply.Path != want {
		t.Errorf("reply teamstest.Post to %s, want %s", reply.Path, want)
	}
	if reply.Str("replyToId") != "1727891234567" {
		t.Errorf("replyToId = %q", reply.Str("replyToId"))
	}
	for _, p := range posts {
		if p.Auth != "Bearer "+teamstest.AccessToken(0) {
			t.Errorf("%s teamstest.Post with Authorization %q, want the client-credentials token", p.Str("type"), p.Auth)
		}
	}
	forms := e.idp.TokenRequests()
	if len(forms) != 1 {
		t.Fatalf("token endpoint called %d times, want 1 (cached)", len(forms))
	}
	if f := forms[0]; f.Get("grant_type") != "client_credentials" || f.Get("scope") != botFrameworkScope || f.Get("client_id") != testAppID {
		t.Errorf("token request = %v", f)
	}

	text := reply.Str("text")
	if !strings.Contains(text, "[1]") {
		t.Errorf("answer has no [1] marker:\n%s", text)
	}
	cites := citationsOf(t, reply)
	if len(cites) == 0 {
		t.Fatalf("reply has no citation entity: %v", reply.Body["entities"])
	}
	first := cites[0].(map[string]any)
	app := first["appearance"].(map[string]any)
	if first["@type"] != "Claim" || first["position"] != float64(1) || app["@type"] != "DigitalDocument" {
		t.Errorf("citation 1 = %v", first)
	}
	if u, _ := app["url"].(string); !strings.HasPrefix(u, faqURL) {
		t.Errorf("citation url = %q, want an FAQ section", u)
	}
	if name, _ := app["name"].(string); name == "" || len(name) > maxCitationName {
		t.Errorf("citation name = %q", name)
	}
	if fl, _ := reply.Body["channelData"].(map[string]any)["feedbackLoop"].(map[string]any); fl["type"] != "default" {
		t.Errorf("channelData = %v, want the feedback loop", reply.Body["channelData"])
	}
	if !hasAskHuman(reply) {
		t.Error("answer has no \"Ask a human\" action")
	}
	if q := e.asker.questions(); len(q) != 1 || q[0].Text != "When will outbound marketing be removed?" || q[0].Asker.ID != "6f2b3c8e-1d4a-4b7e-9c0f-2a5d8e7b1c34" {
		t.Errorf("asked %+v", q)
	}
}

func TestBotAnswersChannelMentionInThread(t *testing.T) {
	e := newBotEnv(t, nil)
	act := e.activity("bot-channel.json")
	if r := e.send(act, e.bearer()); r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	posts := e.conn.WaitFor(t, "the answer", func(ps []teamstest.Post) bool { return len(teamstest.Messages(ps)) == 1 })
	if q := e.asker.questions(); len(q) != 1 || q[0].Text != "When will outbound marketing be removed & what happens to my data?" {
		t.Fatalf("asked %+v, want the question without the mention", q)
	}
	reply := teamstest.Messages(posts)[0]
	// The channel conversation id names the thread (";messageid="), so
	// the reply lands in it.
	want := "/v3/conversations/19:3d1c5f2a9b8e4d7c6a5b4c3d2e1f0a9b@thread.tacv2;messageid=1727891401123/activities/1727891401123"
	if reply.Path != want {
		t.Errorf("reply teamstest.Post to %s, want %s", reply.Path, want)
	}
	if c := reply.Body["conversation"].(map[string]any)["id"]; c != "19:3d1c5f2a9b8e4d7c6a5b4c3d2e1f0a9b@thread.tacv2;messageid=1727891401123" {
		t.Errorf("reply conversation = %v", c)
	}
	if len(citationsOf(t, reply)) == 0 {
		t.Error("channel answer has no citations")
	}
}

func TestBotAnswersActivityOnce(t *testing.T) {
	e := newBotEnv(t, nil)
	act := e.activity("bot-personal.json")
	for range 3 {
		if r := e.send(act, e.bearer()); r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
	}
	e.conn.WaitFor(t, "the answer", func(ps []teamstest.Post) bool { return len(teamstest.Messages(ps)) >= 1 })
	// A second question proves the first's redeliveries were not queued
	// behind it.
	e.ask("1727891299999", "What happens to my segments?")
	if n := len(teamstest.Messages(e.conn.Posts())); n != 2 {
		t.Errorf("%d answers for one activity delivered thrice and one other, want 2", n)
	}
	if n := len(e.asker.questions()); n != 2 {
		t.Errorf("asked %d times, want 2", n)
	}
}

func TestBotFollowUpCarriesHistory(t *testing.T) {
	e := newBotEnv(t, nil)
	e.answered("1", "What happens to my segments after the transition?")
	e.answered("2", "and what about forms?")
	q := e.asker.questions()
	if len(q) != 2 {
		t.Fatalf("asked %d questions", len(q))
	}
	h := q[1].History
	if len(h) != 2 || h[0].Role != bot.RoleUser || h[0].Text != "What happens to my segments after the transition?" || h[1].Role != bot.RoleBot || h[1].Text == "" {
		t.Errorf("follow-up history = %+v", h)
	}
	if len(q[0].History) != 0 {
		t.Errorf("first question had history %+v", q[0].History)
	}
}

type failingAsker struct{ err error }

func (f failingAsker) Ask(context.Context, bot.Question) (bot.Answer, error) {
	return bot.Answer{}, f.err
}

func TestBotAlwaysReplies(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"asker fails", errors.New("search: index corrupt"), "Sorry, something went wrong"},
		{"index loading", bot.ErrNotReady, "still loading the FAQ"},
		{"empty question", bot.ErrEmptyQuestion, "Ask me a question"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newBotEnv(t, func(o *BotOptions) { o.Asker = failingAsker{tt.err}; o.Contact = "the CI-J team" })
			reply := e.ask("1", "When will outbound marketing be removed?")
			if !strings.Contains(reply.Str("text"), tt.want) {
				t.Errorf("reply %q lacks %q", reply.Str("text"), tt.want)
			}
			if strings.Contains(e.logs.String(), "index corrupt") != (tt.name == "asker fails") {
				t.Errorf("log does not say why: %s", e.logs.String())
			}
		})
	}
}

func TestBotRetriesConnectorAndTokenEndpoint(t *testing.T) {
	e := newBotEnv(t, nil)
	e.idp.FailTokens(http.StatusServiceUnavailable)
	e.conn.Fail(http.StatusTooManyRequests, http.StatusBadGateway)
	e.ask("1", "When will outbound marketing be removed?")
	if n := len(e.idp.TokenRequests()); n != 2 {
		t.Errorf("token endpoint called %d times, want 2 (one 503, one retry)", n)
	}
	if n := len(teamstest.Messages(e.conn.Posts())); n != 1 {
		t.Errorf("%d answers teamstest.Post, want 1", n)
	}
}

func citationsOf(t *testing.T, p teamstest.Post) []any {
	t.Helper()
	ents, _ := p.Body["entities"].([]any)
	for _, x := range ents {
		m := x.(map[string]any)
		if m["type"] == "https://schema.org/Message" {
			c, _ := m["citation"].([]any)
			return c
		}
	}
	return nil
}

func hasAskHuman(p teamstest.Post) bool {
	atts, _ := p.Body["attachments"].([]any)
	for _, a := range atts {
		card, _ := a.(map[string]any)["content"].(map[string]any)
		acts, _ := card["actions"].([]any)
		for _, x := range acts {
			if x.(map[string]any)["verb"] == askHumanVerb {
				return true
			}
		}
	}
	return false
}

func TestBotRefusesWhenBusyAndTakesTheRedelivery(t *testing.T) {
	g := &gate{release: make(chan struct{}), entered: make(chan struct{}, 2)}
	e := newBotEnv(t, func(o *BotOptions) { g.next = o.Asker; o.Asker = g; o.MaxAnswers = 1 })
	first := e.activity("bot-personal.json")
	if r := e.send(first, e.bearer()); r.status != http.StatusOK {
		t.Fatalf("first: status %d", r.status)
	}
	<-g.entered
	second := e.activity("bot-personal.json")
	second["id"] = "1727891299999"
	if r := e.send(second, e.bearer()); r.status != http.StatusServiceUnavailable {
		t.Fatalf("second while busy: status %d, want 503", r.status)
	}
	close(g.release)
	e.conn.WaitFor(t, "the first answer", func(ps []teamstest.Post) bool { return teamstest.ReplyTo(ps, "1727891234567") != nil })
	// The connector delivers the refused activity again: now it is answered.
	deadline := time.Now().Add(20 * time.Second)
	for {
		r := e.send(second, e.bearer())
		if r.status == http.StatusOK {
			break
		}
		if r.status != http.StatusServiceUnavailable || time.Now().After(deadline) {
			t.Fatalf("redelivery: status %d", r.status)
		}
	}
	<-g.entered
	e.conn.WaitFor(t, "the second answer", func(ps []teamstest.Post) bool { return teamstest.ReplyTo(ps, "1727891299999") != nil })
}

func TestBotBoundsAndChecksTheBody(t *testing.T) {
	e := newBotEnv(t, func(o *BotOptions) { o.MaxBody = 4 << 10 })
	big := e.activity("bot-personal.json")
	big["text"] = strings.Repeat("outbound ", 1000)
	if r := e.send(big, e.bearer()); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized activity: status %d, want 413", r.status)
	}
	noConv := e.activity("bot-personal.json")
	delete(noConv, "conversation")
	if r := e.send(noConv, e.bearer()); r.status != http.StatusBadRequest {
		t.Errorf("activity without a conversation: status %d, want 400", r.status)
	}
	update := e.activity("bot-personal.json")
	update["type"] = "conversationUpdate"
	if r := e.send(update, e.bearer()); r.status != http.StatusOK {
		t.Errorf("conversationUpdate: status %d, want 200", r.status)
	}
	if n := len(e.asker.questions()); n != 0 {
		t.Errorf("asked %d questions", n)
	}
}

func TestBotFollowsAGroupChatConversation(t *testing.T) {
	e := newBotEnv(t, nil)
	group := func(id, text string) map[string]any {
		act := e.activity("bot-channel.json")
		act["id"], act["text"] = id, "<at>FAQ Bot</at> "+text
		act["conversation"] = map[string]any{"id": "19:meeting_a1b2c3@thread.v2", "conversationType": "groupChat", "isGroup": true, "tenantId": testTenant}
		return act
	}
	for _, q := range []struct{ id, text string }{
		{"g1", "What happens to my segments after the transition?"},
		{"g2", "and what about forms?"},
	} {
		if r := e.send(group(q.id, q.text), e.bearer()); r.status != http.StatusOK {
			t.Fatalf("status %d", r.status)
		}
		posts := e.conn.WaitFor(t, "the answer", func(ps []teamstest.Post) bool { return teamstest.ReplyTo(ps, q.id) != nil })
		if p := teamstest.ReplyTo(posts, q.id); p.Path != "/v3/conversations/19:meeting_a1b2c3@thread.v2/activities/"+q.id {
			t.Errorf("answer posted to %s", p.Path)
		}
		e.waitRecorded(q.id)
	}
	asked := e.asker.questions()
	if len(asked) != 2 || asked[1].Text != "and what about forms?" || len(asked[1].History) != 2 ||
		asked[1].History[0].Text != "What happens to my segments after the transition?" {
		t.Errorf("group chat follow-up asked as %+v", asked)
	}
}
