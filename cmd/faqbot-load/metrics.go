package main

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// serverGauges are the figures read from faqbot's /metrics: goroutines
// (answers run in background goroutines, so growth that does not come back
// down is a leak or a backlog) and resident memory.
type serverGauges struct {
	Goroutines int     `json:"goroutines"`
	RSSBytes   float64 `json:"rss_bytes"`
}

// scrape reads the gauges once; ok is false when /metrics is unreachable or
// lacks them.
func scrape(ctx context.Context, client *http.Client, base string) (g serverGauges, ok bool) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	resp, err := client.Do(req)
	if err != nil {
		return g, false
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return g, false
	}
	var found int
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		switch name {
		case "go_goroutines":
			v, _ := strconv.ParseFloat(value, 64)
			g.Goroutines = int(v)
			found++
		case "process_resident_memory_bytes":
			g.RSSBytes, _ = strconv.ParseFloat(value, 64)
			found++
		}
	}
	return g, found > 0
}

// sampler scrapes the gauges at an interval and keeps the peaks.
type sampler struct {
	mu   sync.Mutex
	peak serverGauges
	n    int
	stop func()
	done chan struct{}
}

func startSampler(ctx context.Context, client *http.Client, base string, every time.Duration) *sampler {
	ctx, cancel := context.WithCancel(ctx)
	s := &sampler{stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if g, ok := scrape(ctx, client, base); ok {
				s.mu.Lock()
				s.peak.Goroutines = max(s.peak.Goroutines, g.Goroutines)
				s.peak.RSSBytes = max(s.peak.RSSBytes, g.RSSBytes)
				s.n++
				s.mu.Unlock()
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// finish stops sampling and returns the peaks and how many samples there
// were.
func (s *sampler) finish() (serverGauges, int) {
	s.stop()
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak, s.n
}
