package slack

import (
	"net/http"
	"testing"
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
