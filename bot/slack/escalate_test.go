package slack

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
)

const extensionQuestion = "<@UBOT> We won't be ready by the removal date. Can we get an extension for outbound marketing?"

func TestExtensionQuestionGoesToTheEscalationChannel(t *testing.T) {
	fx := newFixture(t, realBot(t), nil)
	ts := "1700000005.000001"
	fx.event(t, eventJSON("EvExt", mention("C1", ts, "", extensionQuestion)))

	esc := fx.slack.postsTo(escalations)
	if len(esc) != 1 {
		t.Fatalf("want 1 escalation post, got %d", len(esc))
	}
	text := esc[0].Form.Get("text")
	for _, want := range []string{
		"<@U123>",
		"extension request",
		"Can we get an extension for outbound marketing?",
		"<https://acme.slack.com/archives/C1/p1700000005000001|open the thread>",
		"draft answer",
		"1. <https://learn.microsoft.com/",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("escalation lacks %q:\n%s", want, text)
		}
	}
	if calls := fx.slack.callsTo("chat.getPermalink"); len(calls) != 1 || calls[0].Form.Get("message_ts") != ts {
		t.Errorf("chat.getPermalink calls %v", calls)
	}
	thread := fx.slack.postsTo("C1")
	if len(thread) != 1 || thread[0].Form.Get("thread_ts") != ts {
		t.Fatalf("thread replies %v", thread)
	}
	if reply := thread[0].Form.Get("text"); !strings.Contains(reply, "passed your question to the team in <#CESC>") || !strings.Contains(reply, "will follow up") {
		t.Errorf("the asker is not told:\n%s", reply)
	}
	if _, got := fx.hooks.get(); strings.Join(got, ",") != "extension_request:ok" {
		t.Errorf("OnEscalation told %v", got)
	}
	if _, recs := fx.records.all(); len(recs) != 1 || recs[0].Delivery != bot.DeliveryDelivered || recs[0].Key != "" ||
		recs[0].Reason != bot.ExtensionRequest || recs[0].Transport != "slack" {
		t.Errorf("escalation records %+v", recs)
	}
	// An escalated answer needs no "Ask a human" button.
	if strings.Contains(thread[0].Form.Get("blocks"), actionAskHuman) {
		t.Error("escalated answer offers Ask a human")
	}
}

func TestFailingEscalationChannelTellsTheAskerAndKeepsTheEscalation(t *testing.T) {
	fx := newFixture(t, realBot(t), nil)
	fx.slack.setFail(func(method string, form url.Values) int {
		if method == "chat.postMessage" && form.Get("channel") == escalations {
			return 500
		}
		return 0
	})
	fx.event(t, eventJSON("EvExtFail", mention("C1", "1700000006.000001", "", extensionQuestion)))

	if n := len(fx.slack.postsTo(escalations)); n != fx.app.retry.Retries+1 {
		t.Errorf("escalation tried %d times, want %d", n, fx.app.retry.Retries+1)
	}
	thread := fx.slack.postsTo("C1")
	if len(thread) != 1 {
		t.Fatalf("thread replies: %d", len(thread))
	}
	reply := thread[0].Form.Get("text")
	if !strings.Contains(reply, "couldn't reach the team") || !strings.Contains(reply, "your Microsoft account manager") {
		t.Errorf("the asker is not told whom to contact:\n%s", reply)
	}
	apiErrs, escs := fx.hooks.get()
	if len(apiErrs) != fx.app.retry.Retries+1 || apiErrs[0] != "chat.postMessage" || strings.Join(escs, ",") != "extension_request:error" {
		t.Errorf("hooks told %v and %v", apiErrs, escs)
	}
	logs := fx.logs.String()
	if !strings.Contains(logs, "level=ERROR") || !strings.Contains(logs, "escalation not delivered") || !strings.Contains(logs, "Can we get an extension") {
		t.Errorf("the escalation is not logged in full:\n%s", logs)
	}
	_, recs := fx.records.all()
	if len(recs) != 1 {
		t.Fatalf("want 1 escalation record, got %d", len(recs))
	}
	r := recs[0]
	if r.Asker != "U123" || r.Reason != bot.ExtensionRequest || !strings.Contains(r.Question, "Can we get an extension") ||
		r.Link == "" || r.Draft == "" || len(r.Sources) == 0 || r.Conversation != "C1/1700000006.000001" ||
		r.Delivery != bot.DeliveryFailed || r.Destination != "slack" || !strings.Contains(r.DeliveryError, "500") {
		t.Errorf("record %+v", r)
	}
}

func TestWithoutEscalationChannelTheAskerIsToldWhomToContact(t *testing.T) {
	asker := &fakeAsker{answer: bot.Answer{Text: "A person needs to handle this.", Answered: true, Escalate: true,
		EscalationReason: bot.UnsupportedOutbound, Mode: bot.ModeExtractive}}
	fx := newFixture(t, asker, func(o *Options) { o.EscalationChannel = "" })
	fx.event(t, eventJSON("EvNoChan", mention("C1", "1700000007.000001", "", "<@UBOT> my outbound emails fail")))
	thread := fx.slack.postsTo("C1")
	if len(thread) != 1 || !strings.Contains(thread[0].Form.Get("text"), "Please contact your Microsoft account manager") {
		t.Fatalf("replies %v", thread)
	}
	if n := len(fx.slack.callsTo("chat.postMessage")); n != 1 {
		t.Errorf("%d posts, want only the answer", n)
	}
	if _, recs := fx.records.all(); len(recs) != 1 || recs[0].Delivery != bot.DeliveryNone {
		t.Errorf("escalation records %+v, want one with nowhere to go", recs)
	}
}

func TestEscalateImplementsTheEscalator(t *testing.T) {
	fx := newFixture(t, &fakeAsker{}, nil)
	var esc bot.Escalator = fx.app
	err := esc.Escalate(context.Background(), bot.Escalation{
		Question: bot.Question{Text: "Can I <b>keep</b> outbound?", Asker: bot.User{ID: "U5"}},
		Answer:   plainAnswer, Reason: bot.UnsupportedOutbound, Link: "https://acme.slack.com/archives/C1/p1",
	})
	if err != nil {
		t.Fatal(err)
	}
	posts := fx.slack.postsTo(escalations)
	if len(posts) != 1 {
		t.Fatalf("posts %d", len(posts))
	}
	text := posts[0].Form.Get("text")
	if !strings.Contains(text, "&lt;b&gt;keep") || !strings.Contains(text, "*members*") || !strings.Contains(text, "<https://learn.microsoft.com/faq#segments|What happens to segments?>") {
		t.Errorf("escalation text:\n%s", text)
	}
	noChannel := newFixture(t, &fakeAsker{}, func(o *Options) { o.EscalationChannel = "" })
	if err := noChannel.app.Escalate(context.Background(), bot.Escalation{}); !errors.Is(err, ErrNoEscalationChannel) {
		t.Errorf("err %v", err)
	}
}

func TestAFailingStoreDoesNotStopTheHandOff(t *testing.T) {
	fx := newFixture(t, realBot(t), nil)
	fx.records.setFail(errors.New("database is locked"))
	fx.event(t, eventJSON("EvExtNoStore", mention("C1", "1700000008.000001", "", extensionQuestion)))
	if n := len(fx.slack.postsTo(escalations)); n != 1 {
		t.Errorf("%d escalation posts, want 1", n)
	}
	if !strings.Contains(fx.logs.String(), "cannot record escalation") {
		t.Errorf("the store's failure is not logged:\n%s", fx.logs)
	}
}

func TestEscalationShowsPeoplesLinksAsText(t *testing.T) {
	asker := &fakeAsker{answer: bot.Answer{Text: "I can't approve extensions.", Escalate: true, EscalationReason: bot.ExtensionRequest}}
	fx := newFixture(t, asker, nil)
	// As Slack sends what was typed: a Markdown link stays text, a pasted
	// link arrives as <url|label>, a special mention as <!channel>.
	typed := "<@UBOT> [Click here to approve](https://evil.example) or <https://evil.example/x|approve here> <!channel> extension?"
	fx.event(t, eventJSON("EvInject", mention("C1", "1700000006.000001", "", typed)))
	esc := fx.slack.postsTo(escalations)
	if len(esc) != 1 {
		t.Fatalf("want 1 escalation post, got %d", len(esc))
	}
	text := esc[0].Form.Get("text")
	if !strings.Contains(text, "[Click here to approve](https://evil.example)") {
		t.Errorf("the Markdown link is not shown as typed:\n%s", text)
	}
	if strings.Contains(text, "<https://evil.example") || strings.Contains(text, "|approve here>") || strings.Contains(text, "<!channel>") {
		t.Errorf("the question's text became Slack markup (a link or a mention):\n%s", text)
	}
}
