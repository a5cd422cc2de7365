// Package retry retries HTTP requests that failed for reasons that pass:
// rate limits, server errors and dropped connections.
package retry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Transport is an http.RoundTripper that retries 429 and 5xx responses and
// transport errors by Policy, honouring Retry-After. go-openai and plain
// webhook clients get resilience by using it in their http.Client. A
// request whose body cannot be replayed is sent once.
type Transport struct {
	// Base sends the requests; http.DefaultTransport when nil.
	Base http.RoundTripper
	// Retries, MinBackoff, MaxBackoff and MaxWait are the Policy's.
	Retries                         int
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

// retryStatus is a response worth another attempt, as an error for
// Policy.Do; the caller gets the response itself if it is the last.
type retryStatus struct{ resp *http.Response }

func (r retryStatus) Error() string { return "HTTP status " + strconv.Itoa(r.resp.StatusCode) }

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	p := Policy{Retries: t.Retries, MinBackoff: t.MinBackoff, MaxBackoff: t.MaxBackoff, MaxWait: t.MaxWait}
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		p.Retries = -1 // the body cannot be sent again
	}
	var resp *http.Response
	sent := 0
	attempt := func(ctx context.Context) error {
		r := req
		if sent > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return final{err}
			}
			r = req.Clone(ctx)
			r.Body = body
		}
		sent++
		var err error
		resp, err = t.base().RoundTrip(r)
		if err == nil && Retryable(resp, nil) {
			return retryStatus{resp}
		}
		return err
	}
	classify := func(err error) (bool, time.Duration) {
		if rs, ok := err.(retryStatus); ok {
			if after, ok := RetryAfter(rs.resp.Header.Get("Retry-After"), time.Now()); ok {
				return true, after
			}
			return true, NotAsked
		}
		return Retryable(nil, err), NotAsked
	}
	onRetry := func(n int, err error, wait time.Duration) {
		status := 0
		if resp != nil {
			status = resp.StatusCode
			// Drain a little so the connection can be reused, then close.
			_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
			resp.Body.Close()
			resp = nil
			err = nil
		}
		if t.OnRetry != nil {
			t.OnRetry(req, n, status, err, wait)
		}
	}
	err := p.Do(ctx, attempt, classify, onRetry)
	if rs, ok := err.(retryStatus); ok {
		return rs.resp, nil // the last answer, for the caller to read
	}
	if err != nil {
		return nil, err
	}
	return resp, nil
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
