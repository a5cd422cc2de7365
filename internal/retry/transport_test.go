package retry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// scripted serves the given statuses in turn (the last one repeats) and
// records the bodies it received.
type scripted struct {
	statuses []int
	header   http.Header

	mu     sync.Mutex
	bodies []string
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := len(s.bodies)
	s.bodies = append(s.bodies, string(b))
	s.mu.Unlock()
	status := s.statuses[min(n, len(s.statuses)-1)]
	if status != http.StatusOK {
		for k, v := range s.header {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(status)
	io.WriteString(w, http.StatusText(status))
}

func (s *scripted) attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

// fast retries without noticeable waits.
func fast(retries int) *Transport {
	return &Transport{Retries: retries, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}
}

func post(t *testing.T, ctx context.Context, rt http.RoundTripper, url string, body io.Reader) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := rt.RoundTrip(req)
	if resp != nil {
		t.Cleanup(func() { resp.Body.Close() })
	}
	return resp, err
}

func TestRetryAfterThenSuccess(t *testing.T) {
	srv := &scripted{statuses: []int{http.StatusTooManyRequests, http.StatusOK}, header: http.Header{"Retry-After": {"0"}}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	var waits []time.Duration
	// A backoff of an hour would outlast the deadline: only the server's
	// Retry-After of 0 lets the retry happen.
	tr := &Transport{MinBackoff: time.Hour, MaxBackoff: time.Hour, OnRetry: func(_ *http.Request, attempt, status int, err error, wait time.Duration) {
		if status != http.StatusTooManyRequests || err != nil {
			t.Errorf("OnRetry(attempt %d) status %d err %v", attempt, status, err)
		}
		waits = append(waits, wait)
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := post(t, ctx, tr, ts.URL, strings.NewReader(`{"q":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", resp.StatusCode)
	}
	if srv.attempts() != 2 || len(waits) != 1 || waits[0] != 0 {
		t.Fatalf("attempts = %d, waits = %v; want 2 attempts and one wait of 0", srv.attempts(), waits)
	}
	for i, b := range srv.bodies {
		if b != `{"q":1}` {
			t.Errorf("attempt %d sent body %q", i+1, b)
		}
	}
}

func TestRetryAfterBeyondMaxWaitGivesUp(t *testing.T) {
	srv := &scripted{statuses: []int{http.StatusTooManyRequests, http.StatusOK}, header: http.Header{"Retry-After": {"120"}}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	tr := fast(3)
	tr.MaxWait = time.Minute
	resp, err := post(t, context.Background(), tr, ts.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusTooManyRequests || srv.attempts() != 1 {
		t.Fatalf("status %d after %d attempts, want the 429 after 1", resp.StatusCode, srv.attempts())
	}
}

func TestServerErrorsGiveUpAfterRetries(t *testing.T) {
	tests := []struct {
		retries, wantAttempts int
	}{
		{retries: 2, wantAttempts: 3},
		{retries: -1, wantAttempts: 1},
	}
	for _, tt := range tests {
		srv := &scripted{statuses: []int{http.StatusInternalServerError}}
		ts := httptest.NewServer(srv)
		var retries atomic.Int32
		tr := fast(tt.retries)
		tr.OnRetry = func(*http.Request, int, int, error, time.Duration) { retries.Add(1) }
		resp, err := post(t, context.Background(), tr, ts.URL, strings.NewReader("x"))
		ts.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusInternalServerError {
			t.Errorf("retries %d: status = %d, want the last 500", tt.retries, resp.StatusCode)
		}
		if srv.attempts() != tt.wantAttempts || int(retries.Load()) != tt.wantAttempts-1 {
			t.Errorf("retries %d: %d attempts, %d OnRetry calls; want %d attempts", tt.retries, srv.attempts(), retries.Load(), tt.wantAttempts)
		}
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusNotFound, http.StatusNotImplemented} {
		srv := &scripted{statuses: []int{status, http.StatusOK}}
		ts := httptest.NewServer(srv)
		resp, err := post(t, context.Background(), fast(3), ts.URL, nil)
		ts.Close()
		if err != nil || resp.StatusCode != status || srv.attempts() != 1 {
			t.Errorf("status %d: got %v, %v after %d attempts; want it once", status, resp, err, srv.attempts())
		}
	}
}

// onceReader is a body http.NewRequest cannot rewind (no GetBody).
type onceReader struct{ io.Reader }

func TestNonReplayableBodyIsSentOnce(t *testing.T) {
	srv := &scripted{statuses: []int{http.StatusServiceUnavailable, http.StatusOK}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	resp, err := post(t, context.Background(), fast(3), ts.URL, onceReader{strings.NewReader("stream")})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || srv.attempts() != 1 {
		t.Fatalf("status %d after %d attempts, want the 503 after 1", resp.StatusCode, srv.attempts())
	}
}

func TestDeadlineStopsRetries(t *testing.T) {
	srv := &scripted{statuses: []int{http.StatusBadGateway}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	// The first backoff (at least 5s) would outlast the caller's deadline,
	// so the transport hands back the failure at once rather than sleeping.
	tr := &Transport{MinBackoff: 10 * time.Second, MaxBackoff: 20 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	resp, err := post(t, ctx, tr, ts.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusBadGateway || srv.attempts() != 1 {
		t.Fatalf("status %d after %d attempts, want the 502 after 1", resp.StatusCode, srv.attempts())
	}
	if ctx.Err() != nil {
		t.Fatal("RoundTrip returned after the deadline")
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	srv := &scripted{statuses: []int{http.StatusServiceUnavailable}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr := &Transport{MinBackoff: time.Hour, MaxBackoff: time.Hour}
	tr.OnRetry = func(*http.Request, int, int, error, time.Duration) { cancel() }
	_, err := post(t, ctx, tr, ts.URL, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if srv.attempts() != 1 {
		t.Fatalf("%d attempts, want 1", srv.attempts())
	}
}

func TestConnectionErrorsAreRetried(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	url := ts.URL
	ts.Close() // nothing listens any more: connection refused
	var retries atomic.Int32
	tr := fast(2)
	tr.OnRetry = func(_ *http.Request, _ int, status int, err error, _ time.Duration) {
		if status != 0 || err == nil {
			t.Errorf("OnRetry status %d err %v, want a transport error", status, err)
		}
		retries.Add(1)
	}
	_, err := post(t, context.Background(), tr, url, strings.NewReader("x"))
	if err == nil {
		t.Fatal("no error from a closed port")
	}
	if retries.Load() != 2 {
		t.Fatalf("%d retries, want 2", retries.Load())
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"3", 3 * time.Second, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"-1", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		got, ok := RetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		status int
		err    error
		want   bool
	}{
		{status: 429, want: true},
		{status: 500, want: true},
		{status: 502, want: true},
		{status: 503, want: true},
		{status: 504, want: true},
		{status: 200, want: false},
		{status: 400, want: false},
		{status: 501, want: false},
		{err: errors.New("connection reset"), want: true},
		{err: context.Canceled, want: false},
		{err: context.DeadlineExceeded, want: false},
	}
	for _, tt := range tests {
		var resp *http.Response
		if tt.err == nil {
			resp = &http.Response{StatusCode: tt.status}
		}
		if got := Retryable(resp, tt.err); got != tt.want {
			t.Errorf("Retryable(%d, %v) = %v, want %v", tt.status, tt.err, got, tt.want)
		}
	}
}
