package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// execute sets up the fake Slack API and the target, runs the load and
// returns the report (not yet judged against the bars when err != nil).
func execute(ctx context.Context, cfg config, stderr io.Writer) (*report, error) {
	fake := newFakeSlack(cfg.slackLatency, cfg.rateLimited)
	ln, err := net.Listen("tcp", cfg.fakeAddr)
	if err != nil {
		return nil, fmt.Errorf("fake Slack API: %w", err)
	}
	fakeSrv := &http.Server{Handler: fake, ReadHeaderTimeout: 5 * time.Second, ConnState: fake.connState}
	go fakeSrv.Serve(ln)
	defer fakeSrv.Close()
	fakeURL := "http://" + ln.Addr().String()
	client := newClient(cfg)

	targets, procs := []string{cfg.url}, []*faqbotProcess(nil)
	if cfg.faqbot != "" {
		targets = nil
		logTo := io.Discard
		if cfg.serverLog != "" {
			f, err := os.Create(cfg.serverLog)
			if err != nil {
				return nil, fmt.Errorf("server log: %w", err)
			}
			defer f.Close()
			logTo = &lockedWriter{w: f}
		}
		for n := range cfg.replicas {
			dataDir, err := os.MkdirTemp("", "faqbot-load-")
			if err != nil {
				return nil, err
			}
			defer os.RemoveAll(dataDir)
			proc, err := startFaqbot(ctx, cfg, fakeURL, dataDir, n, logTo)
			if err != nil {
				return nil, err
			}
			defer proc.stop(time.Second) // a no-op once stopped below
			procs, targets = append(procs, proc), append(targets, proc.url)
		}
	} else {
		fmt.Fprintf(stderr, "faqbot-load: fake Slack Web API at %s/api/\n", fakeURL)
	}
	for _, target := range targets {
		if err := waitReady(ctx, client, target, cfg.readyLimit); err != nil {
			return nil, err
		}
	}
	rep := measure(ctx, cfg, client, targets, fake)
	if procs != nil {
		rep.Server.Exit, rep.Server.LogLines = stopAll(procs)
	}
	rep.judge(cfg.maxP99)
	return rep, nil
}

// stopAll stops the started replicas gracefully, together, and reports
// how they exited ("ok" when all did cleanly) and their log lines.
func stopAll(procs []*faqbotProcess) (string, map[string]int) {
	errs := make([]error, len(procs))
	var wg sync.WaitGroup
	for i, p := range procs {
		wg.Go(func() { errs[i] = p.stop(30 * time.Second) })
	}
	wg.Wait()
	var failed []string
	lines := map[string]int{}
	for i, p := range procs {
		if errs[i] != nil {
			failed = append(failed, fmt.Sprintf("replica %d: %v", i+1, errs[i]))
		}
		for l, n := range p.logLevels() {
			lines[l] += n
		}
	}
	if len(failed) == 0 {
		return "ok", lines
	}
	return strings.Join(failed, "; "), lines
}

// lockedWriter lets several replicas copy their logs to one file.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

// newClient is the generator's HTTP client: enough idle connections for
// every request in flight, so a run measures faqbot rather than TCP
// handshakes, and no proxy.
func newClient(cfg config) *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConnsPerHost: cfg.maxInFlight,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	}}
}

// runID makes a run's event IDs and channel unique.
func runID() string { return fmt.Sprintf("%08X", uint32(time.Now().UnixNano())) }

// sent is what the event schedule sent: each event's thread and when it
// was due.
type sent struct {
	keys    []string
	due     []time.Time
	retries atomic.Int64
	asks    int
}

// measure runs the schedule, waits for the replies and builds the report.
// The server figures (goroutines, memory) are the first target's.
func measure(ctx context.Context, cfg config, client *http.Client, targets []string, fake *fakeSlack) *report {
	target := targets[0]
	rep := &report{Target: strings.Join(targets, " "), Rate: cfg.rate, AskRate: cfg.askRate}
	before, _ := scrape(ctx, client, target)
	smp := startSampler(ctx, client, target, 250*time.Millisecond)
	rec := newRecorder()
	l := &loader{cfg: cfg, client: client, targets: targets, rec: rec, slots: make(chan struct{}, cfg.maxInFlight)}
	run := runID()
	start := time.Now().Add(20 * time.Millisecond)
	end := start.Add(cfg.duration)
	var s sent
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		openLoop(ctx, start, end, cfg.rate, cfg.maxEvents, func(i int, at time.Time) {
			e := newEvent(run, start, i)
			s.keys, s.due = append(s.keys, e.key()), append(s.due, at)
			if l.retried(i) {
				s.retries.Add(1)
			}
			l.fireEvent(ctx, e, i, at)
		})
	}()
	go func() {
		defer wg.Done()
		s.asks = openLoop(ctx, start, end, cfg.askRate, cfg.maxAsks, func(i int, at time.Time) { l.fireAsk(ctx, i, at) })
	}()
	wg.Wait()
	l.wg.Wait()
	rep.DurationS = time.Since(start).Seconds()
	drain(ctx, fake, s.keys, cfg.drain)
	after, _ := scrape(ctx, client, target)
	peak, samples := smp.finish()

	rep.Server.GoroutinesBefore, rep.Server.GoroutinesAfter = before.Goroutines, after.Goroutines
	rep.Server.GoroutinesPeak, rep.Server.RSSPeakBytes, rep.Server.Samples = peak.Goroutines, peak.RSSBytes, samples
	fillRequests(rep, rec, &s, start)
	fillAnswers(rep, fake, &s, start)
	return rep
}

// drain waits until every event has a reply or limit passes, then a little
// longer for replies that should not come (duplicates).
func drain(ctx context.Context, fake *fakeSlack, keys []string, limit time.Duration) {
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !fake.allAnswered(keys) && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
	settle := time.NewTimer(min(limit, 500*time.Millisecond))
	defer settle.Stop()
	select {
	case <-ctx.Done():
	case <-settle.C:
	}
}

func fillRequests(rep *report, rec *recorder, s *sent, start time.Time) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	e := &rep.Events
	e.Sent, e.Retries, e.Acked = len(s.keys), int(s.retries.Load()), len(rec.acks)
	e.ErrorKinds, e.Errors = rec.ackErrs, total(rec.ackErrs)
	e.AcksPerS = perSecond(len(rec.acks), start, rec.lastAck)
	e.Ack = summarize(rec.acks)
	k := &rep.Ask
	k.Sent, k.OK = s.asks, len(rec.asks)
	k.ErrorKinds, k.Errors = rec.askErrs, total(rec.askErrs)
	k.PerS = perSecond(len(rec.asks), start, rec.lastAsk)
	k.Latency = summarize(rec.asks)
	rep.GeneratorLagMs = ms(rec.maxLag)
	rep.Saturated = rec.saturated
}

// fillAnswers counts the replies the fake saw per event: one is right,
// none is lost, each one more is a duplicate.
func fillAnswers(rep *report, fake *fakeSlack, s *sent, start time.Time) {
	counts, first := fake.answered(s.keys)
	expected := make(map[string]bool, len(s.keys))
	a := &rep.Answers
	a.Expected = len(s.keys)
	var lats []time.Duration
	var last time.Time
	for i, n := range counts {
		expected[s.keys[i]] = true
		switch {
		case n == 0:
			a.Lost++
			continue
		case n > 1:
			a.Duplicates += n - 1
		}
		a.Answered++
		lats = append(lats, first[i].Sub(s.due[i]))
		if first[i].After(last) {
			last = first[i]
		}
	}
	a.PerS = perSecond(a.Answered, start, last)
	a.Latency = summarize(lats)
	rep.SlackCalls, a.Strays, a.Unthreaded = fake.stats(expected)
	rep.SlackConns = int(fake.conns.Load())
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// perSecond is n over the time from start to the last of them.
func perSecond(n int, start, last time.Time) float64 {
	d := last.Sub(start).Seconds()
	if n == 0 || d <= 0 {
		return 0
	}
	return float64(n) / d
}
