package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// latency summarises durations; JSON figures are milliseconds.
type latency struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
}

// summarize takes nearest-rank percentiles of ds (which it sorts).
func summarize(ds []time.Duration) latency {
	if len(ds) == 0 {
		return latency{}
	}
	slices.Sort(ds)
	at := func(q float64) float64 {
		i := int(math.Ceil(q*float64(len(ds)))) - 1
		return ms(ds[min(max(i, 0), len(ds)-1)])
	}
	return latency{Count: len(ds), P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: ms(ds[len(ds)-1])}
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// report is the outcome of a run, printed as a table or as JSON.
type report struct {
	Target    string  `json:"target"`
	Rate      float64 `json:"events_per_s_target"`
	AskRate   float64 `json:"asks_per_s_target"`
	DurationS float64 `json:"duration_s"`

	Events  eventStats  `json:"events"`
	Answers answerStats `json:"answers"`
	Ask     askStats    `json:"ask"`
	Server  serverStats `json:"server"`

	SlackCalls     map[string]int `json:"slack_calls"`
	SlackConns     int            `json:"slack_connections"`
	GeneratorLagMs float64        `json:"generator_max_lag_ms"`
	Saturated      int            `json:"not_sent_too_many_in_flight"`

	Pass     bool     `json:"pass"`
	Failures []string `json:"failures,omitempty"`
}

// eventStats are the Slack event deliveries and their acknowledgements.
type eventStats struct {
	Sent       int            `json:"sent"`
	Retries    int            `json:"retries"`
	Acked      int            `json:"acked"`
	Errors     int            `json:"errors"`
	ErrorKinds map[string]int `json:"error_kinds,omitempty"`
	AcksPerS   float64        `json:"acks_per_s"`
	Ack        latency        `json:"ack_latency"`
}

// answerStats are the replies the fake Slack API saw, per event. Latency
// runs from when the event was due to its first reply.
type answerStats struct {
	Expected int `json:"expected"`
	Answered int `json:"answered"`
	// Duplicates counts replies beyond the first in a thread.
	Duplicates int `json:"duplicates"`
	Lost       int `json:"lost"`
	// Strays are replies in threads no event started; Unthreaded, messages
	// outside threads (escalations).
	Strays     int     `json:"strays"`
	Unthreaded int     `json:"unthreaded"`
	PerS       float64 `json:"answers_per_s"`
	Latency    latency `json:"answer_latency"`
}

// askStats are the /api/ask requests.
type askStats struct {
	Sent       int            `json:"sent"`
	OK         int            `json:"ok"`
	Errors     int            `json:"errors"`
	ErrorKinds map[string]int `json:"error_kinds,omitempty"`
	PerS       float64        `json:"ok_per_s"`
	Latency    latency        `json:"latency"`
}

// serverStats come from faqbot's /metrics and, when the tool started it,
// its log and exit.
type serverStats struct {
	GoroutinesBefore int            `json:"goroutines_before"`
	GoroutinesPeak   int            `json:"goroutines_peak"`
	GoroutinesAfter  int            `json:"goroutines_after"`
	RSSPeakBytes     float64        `json:"rss_peak_bytes"`
	Samples          int            `json:"samples"`
	LogLines         map[string]int `json:"log_lines,omitempty"`
	Exit             string         `json:"exit,omitempty"`
}

// judge fills in Pass and Failures: no duplicate or lost reply, no failed
// request, and the p99 acknowledgement within maxP99.
func (r *report) judge(maxP99 time.Duration) {
	r.Failures = nil
	add := func(format string, args ...any) { r.Failures = append(r.Failures, fmt.Sprintf(format, args...)) }
	if r.Answers.Duplicates > 0 {
		add("%d duplicate replies", r.Answers.Duplicates)
	}
	if r.Answers.Lost > 0 {
		add("%d lost replies", r.Answers.Lost)
	}
	if r.Answers.Strays > 0 {
		add("%d replies in threads nobody asked in", r.Answers.Strays)
	}
	if r.Events.Errors > 0 {
		add("%d failed event deliveries", r.Events.Errors)
	}
	if r.Ask.Errors > 0 {
		add("%d failed /api/ask requests", r.Ask.Errors)
	}
	if r.Saturated > 0 {
		add("%d requests not sent: too many in flight", r.Saturated)
	}
	if p99 := r.Events.Ack.P99; r.Events.Ack.Count > 0 && p99 > ms(maxP99) {
		add("p99 ack latency %.1f ms > %.1f ms", p99, ms(maxP99))
	}
	if r.Server.Exit != "" && r.Server.Exit != "ok" {
		add("faqbot exit: %s", r.Server.Exit)
	}
	r.Pass = len(r.Failures) == 0
}

func (r *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func (r *report) writeTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format+"\n", args...) }
	lat := func(l latency) string {
		return fmt.Sprintf("p50 %.2f ms\tp90 %.2f ms\tp99 %.2f ms\tmax %.2f ms", l.P50, l.P90, l.P99, l.Max)
	}
	p("target\t%s, %.0f events/s + %.0f asks/s for %.1f s", r.Target, r.Rate, r.AskRate, r.DurationS)
	e := r.Events
	p("slack events\tsent %d (+%d retries)\tacked %d\terrors %d\tacks/s %.1f", e.Sent, e.Retries, e.Acked, e.Errors, e.AcksPerS)
	p("  ack latency\t%s", lat(e.Ack))
	a := r.Answers
	p("answers\texpected %d\tanswered %d\tduplicates %d\tlost %d\tanswers/s %.1f", a.Expected, a.Answered, a.Duplicates, a.Lost, a.PerS)
	p("  answer latency\t%s", lat(a.Latency))
	if r.Ask.Sent > 0 {
		k := r.Ask
		p("/api/ask\tsent %d\tok %d\terrors %d\tok/s %.1f", k.Sent, k.OK, k.Errors, k.PerS)
		p("  latency\t%s", lat(k.Latency))
	}
	s := r.Server
	if s.Samples > 0 {
		p("server\tgoroutines %d before, %d peak, %d after\tpeak RSS %.1f MiB", s.GoroutinesBefore, s.GoroutinesPeak, s.GoroutinesAfter, s.RSSPeakBytes/(1<<20))
	}
	if len(s.LogLines) > 0 || s.Exit != "" {
		p("  logs, exit\t%s\t%s", counts(s.LogLines), s.Exit)
	}
	p("slack api calls\t%s", counts(r.SlackCalls))
	p("  connections\t%d opened by faqbot", r.SlackConns)
	p("generator\tmax lag %.2f ms\tnot sent %d", r.GeneratorLagMs, r.Saturated)
	for kind, n := range r.Events.ErrorKinds {
		p("  event error\t%d × %s", n, kind)
	}
	for kind, n := range r.Ask.ErrorKinds {
		p("  ask error\t%d × %s", n, kind)
	}
	if r.Pass {
		p("result\tPASS")
	} else {
		p("result\tFAIL: %s", strings.Join(r.Failures, "; "))
	}
	return tw.Flush()
}

// counts prints a map as "a 1, b 2" in key order.
func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
