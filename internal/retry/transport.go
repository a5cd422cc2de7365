// Package retry retries HTTP requests that failed for reasons that pass:
// rate limits, server errors and dropped connections.
package retry

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// Transport is an http.RoundTripper that retries 429 and 5xx responses and
// transport errors with exponential backoff and full jitter, honouring
// Retry-After. go-openai and plain webhook clients get resilience by using it
// in their http.Client. A request whose body cannot be replayed is sent once.
type Transport struct {
	// Base sends the requests; http.DefaultTransport when nil.
	Base http.RoundTripper
	// Retries is the number of retries after the first attempt (3 when 0;
	// negative for none).
	Retries int
	// MinBackoff and MaxBackoff bound the wait between attempts (250ms and
	// 8s when zero). A Retry-After longer than MaxWait gives up instead.
	MinBackoff, MaxBackoff, MaxWait time.Duration
	// OnRetry, when set, is told about every retry (for metrics and logs).
	OnRetry func(req *http.Request, attempt int, status int, err error, wait time.Duration)
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

func (t *Transport) retries() int {
	switch {
	case t.Retries < 0:
		return 0
	case t.Retries == 0:
		return 3
	}
	return t.Retries
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	for attempt := 0; ; attempt++ {
		r := req
		if attempt > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r = req.Clone(ctx)
			r.Body = body
		}
		resp, err := t.base().RoundTrip(r)
		if !replayable || attempt >= t.retries() || !Retryable(resp, err) || ctx.Err() != nil {
			return resp, err
		}
		wait := t.backoff(attempt)
		status := 0
		if resp != nil {
			status = resp.StatusCode
			if ra, ok := RetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				if ra > t.maxWait() {
					return resp, err
				}
				wait = ra
			}
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return resp, err // the caller would be gone before the retry
		}
		if resp != nil {
			// Drain a little so the connection can be reused, then close.
			_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
			resp.Body.Close()
		}
		if t.OnRetry != nil {
			t.OnRetry(req, attempt+1, status, err, wait)
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

func (t *Transport) maxWait() time.Duration {
	if t.MaxWait > 0 {
		return t.MaxWait
	}
	return 30 * time.Second
}

func (t *Transport) backoff(attempt int) time.Duration {
	lo, hi := t.MinBackoff, t.MaxBackoff
	if lo <= 0 {
		lo = 250 * time.Millisecond
	}
	if hi <= 0 {
		hi = 8 * time.Second
	}
	ceil := lo << min(attempt, 20)
	if ceil > hi || ceil <= 0 {
		ceil = hi
	}
	// Full jitter: spread clients that failed together over the window.
	return lo/2 + rand.N(ceil-lo/2+1)
}

// Retryable reports whether a response or error is worth another attempt:
// 429, 500, 502, 503, 504, or a transport error that is not a cancellation.
func Retryable(resp *http.Response, err error) bool {
	if err != nil {
		return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// RetryAfter parses a Retry-After header: delay-seconds or an HTTP date.
func RetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
