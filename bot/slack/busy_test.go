package slack

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// Past MaxAnswers questions in flight, an event is refused with 503 and
// forgotten, so that Slack's retry of it is answered rather than dropped as
// a duplicate.
func TestBusyEventsAreRefusedAndAnsweredOnRetry(t *testing.T) {
	asker := newBlockingAsker()
	fx := newFixture(t, asker, func(o *Options) { o.MaxAnswers = 1 })
	first := eventJSON("EvA", mention("C1", "1700000000.000301", "", "<@UBOT> segments?"))
	second := eventJSON("EvB", mention("C1", "1700000000.000302", "", "<@UBOT> events?"))

	if code := fx.post(t, first); code != http.StatusOK {
		t.Fatalf("first event: status %d", code)
	}
	<-asker.started
	if code := fx.post(t, second); code != http.StatusServiceUnavailable {
		t.Fatalf("second event while busy: status %d, want 503", code)
	}
	close(asker.release)
	fx.app.Wait()
	retry := http.Header{"X-Slack-Retry-Num": {"1"}, "X-Slack-Retry-Reason": {"http_error"}}
	if code := fx.send(t, "/slack/events", "application/json", second, retry); code != http.StatusOK {
		t.Fatalf("retried event: status %d", code)
	}
	if n := len(fx.slack.callsTo("chat.postMessage")); n != 2 {
		t.Errorf("got %d posts, want both questions answered once", n)
	}
}

// gatedAsker answers at once, except questions containing "hold", which
// wait until release is closed.
type gatedAsker struct {
	held    chan struct{}
	release chan struct{}
}

func (g *gatedAsker) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	if strings.Contains(q.Text, "hold") {
		g.held <- struct{}{}
		select {
		case <-g.release:
		case <-ctx.Done():
			return bot.Answer{}, ctx.Err()
		}
	}
	a := plainAnswer
	a.Question = q.Text
	return a, nil
}

// sendNow posts a signed request without waiting for the work it starts.
func (fx *fixture) sendNow(t *testing.T, path, contentType, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, fx.http.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	sign(req.Header, testSecret, time.Now(), body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// Commands and clicks share the bound with answers: past it, /faq is
// refused with a message (Slack does not deliver it again) and a click is
// not recorded or acknowledged, so that Slack tells the clicker to try
// again, rather than work piling up unbounded.
func TestBusyCommandsAndClicksAreRefused(t *testing.T) {
	asker := &gatedAsker{held: make(chan struct{}, 1), release: make(chan struct{})}
	fx := newFixture(t, asker, func(o *Options) { o.MaxAnswers = 1 })
	msg := answered(t, fx, "1700000000.000401")
	feedbackBefore, _ := fx.records.all()

	if code := fx.post(t, eventJSON("EvHold", mention("C1", "1700000000.000402", "", "<@UBOT> hold on, segments?"))); code != http.StatusOK {
		t.Fatalf("event: status %d", code)
	}
	<-asker.held // the one place is taken

	form := url.Values{"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U123"}, "command": {"/faq"},
		"text": {"What happens to my segments?"}, "response_url": {fx.slack.responseURL()}, "trigger_id": {"trig-busy"}}
	code, body := fx.sendNow(t, "/slack/commands", "application/x-www-form-urlencoded", form.Encode())
	if code != http.StatusOK || !strings.Contains(body, "a lot of questions right now") {
		t.Errorf("/faq while busy: %d %s, want a reply saying to try again", code, body)
	}
	if code, _ := fx.sendNow(t, "/slack/interactions", "application/x-www-form-urlencoded", clickBody(fx, "U9", actionHelpful, msg)); code == http.StatusOK {
		t.Error("a click while busy was acknowledged, though nothing will carry it out")
	}
	if feedback, _ := fx.records.all(); len(feedback) != len(feedbackBefore) {
		t.Errorf("a refused click was recorded: %d feedback records, want %d", len(feedback), len(feedbackBefore))
	}

	close(asker.release)
	fx.app.Wait()
	fx.click(t, "U9", actionHelpful, msg)
	if feedback, _ := fx.records.all(); len(feedback) != len(feedbackBefore)+1 {
		t.Errorf("the click once not busy: %d feedback records, want %d", len(feedback), len(feedbackBefore)+1)
	}
	if n := len(fx.responses(t)); n != 0 {
		t.Errorf("the refused /faq was answered later (%d responses)", n)
	}
}

// fill takes every place among the App's jobs in flight, as that many
// slow answers would; the returned func gives them back.
func fill(t *testing.T, a *App) func() {
	t.Helper()
	var releases []func()
	for {
		release, err := a.reserve()
		if err != nil {
			break
		}
		releases = append(releases, release)
	}
	if len(releases) == 0 {
		t.Fatal("no place to take")
	}
	return func() {
		for _, r := range releases {
			r()
		}
	}
}

// The escalation loop's clicks and the feedback buttons share the bound
// too: while busy, a Resolve click or a rating is neither recorded nor
// acknowledged, and an answer typed in the form is not recorded, the form
// staying open to send again.
func TestBusyLoopClicksAndRatingsAreRefused(t *testing.T) {
	fx, _ := loopFixture(t)
	rec, post := escalated(t, fx)
	msg := answered(t, fx, "1700000030.000001")
	feedbackBefore, _ := fx.records.all()

	release := fill(t, fx.app)
	if code, _ := fx.sendNow(t, "/slack/interactions", "application/x-www-form-urlencoded", rateBody(t, fx, "U9", false, msg)); code == http.StatusOK {
		t.Error("a rating while busy was acknowledged")
	}
	if code, _ := fx.sendNow(t, "/slack/interactions", "application/x-www-form-urlencoded", escalationClick(fx, escalations, actionResolve, rec.ID, post)); code == http.StatusOK {
		t.Error("a Resolve click while busy was acknowledged")
	}
	meta := `{"id":"` + rec.ID + `","c":"` + escalations + `","ts":"1700000999.000500"}`
	if code, body := fx.sendNow(t, "/slack/interactions", "application/x-www-form-urlencoded", submission(meta, "No extensions.")); code != http.StatusOK ||
		!strings.Contains(body, `"response_action":"errors"`) || !strings.Contains(body, "busy") {
		t.Errorf("an answer submitted while busy: %d %s, want the form kept open with a message", code, body)
	}
	feedback, recs := fx.records.all()
	if len(feedback) != len(feedbackBefore) {
		t.Errorf("a refused rating was recorded: %d feedback records, want %d", len(feedback), len(feedbackBefore))
	}
	if recs[0].State != bot.EscalationOpen {
		t.Errorf("the escalation was resolved while busy: %+v", recs[0])
	}

	release()
	fx.rate(t, "U9", false, msg)
	if code, _ := fx.interaction(t, escalationClick(fx, escalations, actionResolve, rec.ID, post)); code != http.StatusOK {
		t.Errorf("Resolve once not busy: status %d", code)
	}
	fx.app.Wait()
	feedback, recs = fx.records.all()
	if len(feedback) != len(feedbackBefore)+1 || recs[0].State != bot.EscalationResolved {
		t.Errorf("once not busy: %d feedback records (want %d), escalation %s", len(feedback), len(feedbackBefore)+1, recs[0].State)
	}
}
