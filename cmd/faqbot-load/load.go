package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// openLoop calls fire for the i-th request at start + i/rate until n
// requests or end, whichever comes first. It never waits for a response:
// a server that slows down cannot slow the schedule and so hide its own
// latency (coordinated omission). It returns how many it fired.
func openLoop(ctx context.Context, start, end time.Time, rate float64, n int, fire func(i int, at time.Time)) int {
	if rate <= 0 {
		return 0
	}
	interval := float64(time.Second) / rate
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(float64(i) * interval))
		if !at.Before(end) {
			return i
		}
		if d := time.Until(at); d > 0 {
			t.Reset(d)
			select {
			case <-ctx.Done():
				return i
			case <-t.C:
			}
		} else if ctx.Err() != nil {
			return i
		}
		fire(i, at)
	}
	return n
}

// recorder collects what the senders saw.
type recorder struct {
	mu        sync.Mutex
	acks      []time.Duration // every event delivery, retries included
	asks      []time.Duration // successful /api/ask requests
	ackErrs   map[string]int
	askErrs   map[string]int
	lastAck   time.Time
	lastAsk   time.Time
	maxLag    time.Duration // how late the generator sent, at worst
	saturated int           // requests not sent: too many in flight
}

func newRecorder() *recorder {
	return &recorder{ackErrs: map[string]int{}, askErrs: map[string]int{}}
}

func (r *recorder) lag(at time.Time) {
	d := time.Since(at)
	r.mu.Lock()
	r.maxLag = max(r.maxLag, d)
	r.mu.Unlock()
}

func (r *recorder) ack(d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.ackErrs[err.Error()]++
		return
	}
	r.acks = append(r.acks, d)
	r.lastAck = time.Now()
}

func (r *recorder) ask(d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.askErrs[err.Error()]++
		return
	}
	r.asks = append(r.asks, d)
	r.lastAsk = time.Now()
}

// loader sends the requests of one run.
type loader struct {
	cfg    config
	client *http.Client
	// targets are the replicas: request i goes to targets[i%len], the
	// retry of event i to the next one, as Slack's load balancer might.
	targets []string
	rec     *recorder
	// slots bounds requests in flight, so an unresponsive server cannot make
	// the generator itself run out of memory or ports.
	slots chan struct{}
	wg    sync.WaitGroup
}

// send runs fn in the background unless too many requests are in flight.
func (l *loader) send(fn func()) {
	select {
	case l.slots <- struct{}{}:
	default:
		l.rec.mu.Lock()
		l.rec.saturated++
		l.rec.mu.Unlock()
		return
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		defer func() { <-l.slots }()
		fn()
	}()
}

// retried says whether event i is delivered a second time, as Slack does
// when an acknowledgement is late: evenly spread, the same in every run,
// and exactly the fraction of any first n events (give or take one).
func (l *loader) retried(i int) bool {
	f := l.cfg.retryFraction
	return math.Floor(float64(i+1)*f) > math.Floor(float64(i)*f)
}

// fireEvent sends event e, scheduled at at, and its redelivery when it has
// one.
func (l *loader) fireEvent(ctx context.Context, e event, i int, at time.Time) {
	l.rec.lag(at)
	body := e.body()
	l.send(func() {
		l.rec.ack(l.postEvent(ctx, l.target(i), body, 0, at))
	})
	if !l.retried(i) {
		return
	}
	retryAt := at.Add(l.cfg.retryDelay)
	l.send(func() {
		t := time.NewTimer(time.Until(retryAt))
		defer t.Stop()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		l.rec.ack(l.postEvent(ctx, l.target(i+1), body, 1, retryAt))
	})
}

// postEvent delivers a signed event and returns the time from when it was
// due to its acknowledgement.
func (l *loader) postEvent(ctx context.Context, target string, body []byte, retry int, due time.Time) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, l.cfg.timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, target+"/slack/events", bytes.NewReader(body))
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(l.cfg.secret, ts, body))
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	return l.do(req, due)
}

// target is the replica request i goes to.
func (l *loader) target(i int) string { return l.targets[i%len(l.targets)] }

// fireAsk sends the i-th /api/ask request.
func (l *loader) fireAsk(ctx context.Context, i int, at time.Time) {
	l.rec.lag(at)
	body := fmt.Appendf(nil, `{"question":%s}`, quote(questions[i%len(questions)]))
	l.send(func() {
		ctx, cancel := context.WithTimeout(ctx, l.cfg.timeout)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, l.target(i)+"/api/ask", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		l.rec.ask(l.do(req, at))
	})
}

// do sends req and reads the whole reply, so the connection is reused.
func (l *loader) do(req *http.Request, due time.Time) (time.Duration, error) {
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, shortErr(err)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := time.Since(due)
	if resp.StatusCode != http.StatusOK {
		return took, fmt.Errorf("status %d", resp.StatusCode)
	}
	if err != nil {
		return took, shortErr(err)
	}
	return took, nil
}

// shortErr groups errors for the report: a timeout is a timeout, whatever
// the request.
func shortErr(err error) error {
	if ne, ok := errors.AsType[net.Error](err); (ok && ne.Timeout()) || errors.Is(err, context.DeadlineExceeded) {
		return errors.New("timeout")
	}
	return err
}
