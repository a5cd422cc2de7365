package slack

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// blockingAsker answers when released, or fails when its context ends.
type blockingAsker struct {
	started chan struct{}
	release chan struct{}
}

func newBlockingAsker() *blockingAsker {
	return &blockingAsker{started: make(chan struct{}, 10), release: make(chan struct{})}
}

func (b *blockingAsker) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	b.started <- struct{}{}
	select {
	case <-b.release:
		return plainAnswer, nil
	case <-ctx.Done():
		return bot.Answer{}, ctx.Err()
	}
}

// post sends a signed event without waiting for the work it starts.
func (fx *fixture) post(t *testing.T, body string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, fx.http.URL+"/slack/events", strings.NewReader(body))
	signed(req.Header, body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestCloseDrainsWorkInFlight(t *testing.T) {
	asker := newBlockingAsker()
	fx := newFixture(t, asker, nil)
	if code := fx.post(t, eventJSON("EvDrain", mention("C1", "1700000030.000001", "", "<@UBOT> segments?"))); code != 200 {
		t.Fatalf("status %d: the ack must not wait for the answer", code)
	}
	<-asker.started
	closed := make(chan error, 1)
	go func() { closed <- fx.app.Close(context.Background()) }()
	waitFor(t, "Close to stop new work", func() bool { return !fx.app.open() })
	if code := fx.post(t, eventJSON("EvLate", mention("C1", "1700000030.000002", "", "<@UBOT> more?"))); code != http.StatusServiceUnavailable {
		t.Errorf("event during shutdown: status %d, want 503 so that Slack retries", code)
	}
	select {
	case err := <-closed:
		t.Fatalf("Close returned %v before the answer was posted", err)
	default:
	}
	close(asker.release)
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if posts := fx.slack.postsTo("C1"); len(posts) != 1 || !strings.Contains(posts[0].Form.Get("text"), "Export the segment") {
		t.Errorf("posts %v", posts)
	}
}

func TestCloseWithDeadlineCancelsAndApologizes(t *testing.T) {
	asker := newBlockingAsker()
	fx := newFixture(t, asker, nil)
	fx.post(t, eventJSON("EvCancel", mention("C1", "1700000031.000001", "", "<@UBOT> segments?")))
	<-asker.started
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := fx.app.Close(ctx); err == nil {
		t.Error("Close met its deadline with work cut short, yet returned nil")
	}
	if posts := fx.slack.postsTo("C1"); len(posts) != 1 || !strings.Contains(posts[0].Form.Get("text"), "Sorry") {
		t.Errorf("cut-short work did not apologize: %v", posts)
	}
}
