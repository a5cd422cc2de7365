package slack

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func TestRetryAfterTellsPassingFailures(t *testing.T) {
	a := &App{minBackoff: 100 * time.Millisecond, maxWait: 30 * time.Second}
	tests := []struct {
		name    string
		err     error
		retry   bool
		minWait time.Duration
		maxWait time.Duration
	}{
		{"rate limited", &slack.RateLimitedError{RetryAfter: 2 * time.Second}, true, 2 * time.Second, 2 * time.Second},
		{"rate limited without Retry-After", &slack.RateLimitedError{}, true, 50 * time.Millisecond, 100 * time.Millisecond},
		{"rate limited for too long", &slack.RateLimitedError{RetryAfter: time.Hour}, false, 0, 0},
		{"server error", slack.StatusCodeError{Code: 502, Status: "502 Bad Gateway"}, true, 50 * time.Millisecond, 100 * time.Millisecond},
		{"not found", slack.StatusCodeError{Code: 404, Status: "404 Not Found"}, false, 0, time.Hour},
		{"slack said no", slack.SlackErrorResponse{Err: "channel_not_found"}, false, 0, time.Hour},
		{"connection refused", &net.OpError{Op: "dial", Err: errors.New("refused")}, true, 50 * time.Millisecond, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wait, retry := a.retryAfter(tt.err, 0)
			if retry != tt.retry || (retry && (wait < tt.minWait || wait > tt.maxWait)) {
				t.Errorf("got %v, %v", wait, retry)
			}
		})
	}
	if d := a.backoff(20); d > a.maxWait {
		t.Errorf("backoff %v beyond the cap", d)
	}
}
