package slack

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/internal/retry"
)

func TestRetryableTellsPassingFailures(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		retry bool
		after time.Duration
	}{
		{"rate limited", &slack.RateLimitedError{RetryAfter: 2 * time.Second}, true, 2 * time.Second},
		{"rate limited without Retry-After", &slack.RateLimitedError{}, true, retry.NotAsked},
		// The policy gives up on a wait beyond its MaxWait.
		{"rate limited for long", &slack.RateLimitedError{RetryAfter: time.Hour}, true, time.Hour},
		{"server error", slack.StatusCodeError{Code: 502, Status: "502 Bad Gateway"}, true, retry.NotAsked},
		{"not found", slack.StatusCodeError{Code: 404, Status: "404 Not Found"}, false, retry.NotAsked},
		{"slack said no", slack.SlackErrorResponse{Err: "channel_not_found"}, false, retry.NotAsked},
		{"connection refused", &net.OpError{Op: "dial", Err: errors.New("refused")}, true, retry.NotAsked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ok, after := retryable(tt.err); ok != tt.retry || (ok && after != tt.after) {
				t.Errorf("got %v, %v; want %v, %v", ok, after, tt.retry, tt.after)
			}
		})
	}
}
