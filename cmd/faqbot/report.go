package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// defaultReportSince is `faqbot report`'s period.
const defaultReportSince = 7 * 24 * time.Hour

// runReport prints the support statistics of the last --since from the
// store: the same figures, computed by the same code, as
// GET /admin/api/stats.
func runReport(ctx context.Context, args []string, std streams, getenv func(string) string) error {
	var common commonFlags
	fs := newFlagSet("report", &common)
	asJSON := fs.Bool("json", false, "print JSON")
	since := fs.String("since", "7d", "period: days (7d) or a duration (36h)")
	cfg, pos, err := configure(fs, &common, args, getenv)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return &usageError{"report: takes no arguments"}
	}
	span, err := parseSpan(*since)
	if err != nil || span <= 0 || span > bot.MaxReportPeriod {
		return &usageError{fmt.Sprintf("report: --since %q is not a span such as 7d or 36h, at most %d days", *since, int(bot.MaxReportPeriod/(24*time.Hour)))}
	}
	st, err := openStore(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now().UTC()
	warn := slog.New(slog.NewTextHandler(std.err, &slog.HandlerOptions{Level: slog.LevelWarn}))
	stats, err := gapReports(st, reportEmbedder(cfg, warn), warn).Stats(ctx, bot.Period{From: now.Add(-span), To: now})
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(std.out).Encode(stats)
	}
	printStats(std.out, stats)
	return nil
}

// printStats writes stats for people.
func printStats(w io.Writer, s bot.Stats) {
	pct := func(n int) string {
		if s.Questions == 0 {
			return ""
		}
		return fmt.Sprintf(" (%.0f%%)", 100*float64(n)/float64(s.Questions))
	}
	fmt.Fprintf(w, "faqbot report: %s – %s\n\n", s.From.Format("2006-01-02 15:04Z"), s.To.Format("2006-01-02 15:04Z"))
	fmt.Fprintf(w, "questions    %d\n", s.Questions)
	fmt.Fprintf(w, "answered     %d%s\n", s.Answered, pct(s.Answered))
	fmt.Fprintf(w, "abstained    %d%s\n", s.Abstained, pct(s.Abstained))
	fmt.Fprintf(w, "escalated    %d%s\n", s.Escalated, pct(s.Escalated))
	fmt.Fprintf(w, "deflected    %d (deflection rate %.1f%%)\n", s.Deflected, 100*s.DeflectionRate)
	fmt.Fprintf(w, "feedback     %d helpful, %d not helpful\n", s.Feedback.Helpful, s.Feedback.NotHelpful)
	fmt.Fprintf(w, "by transport %s\n", counts(s.ByTransport))
	fmt.Fprintf(w, "by reason    %s\n", counts(s.ByReason))
	fmt.Fprintf(w, "latency      p50 ≤ %d ms, p95 ≤ %d ms\n", s.Latency.P50Ms, s.Latency.P95Ms)
	if len(s.TopSections) > 0 {
		fmt.Fprintln(w, "\ntop sections")
		for _, sec := range s.TopSections {
			fmt.Fprintf(w, "  %5d  %s (%s#%s)\n", sec.Count, sec.Title, sec.Document, sec.Anchor)
		}
	}
	if len(s.Gaps) > 0 {
		fmt.Fprintln(w, "\ncoverage gaps (questions the FAQ did not serve, grouped)")
		for _, g := range s.Gaps {
			fmt.Fprintf(w, "  %5d  %s\n", g.Count, oneLine(g.Question))
		}
	}
	fmt.Fprintln(w, "\nday          questions answered escalated deflected")
	for _, d := range s.ByDay {
		fmt.Fprintf(w, "%s %10d %8d %9d %9d\n", d.Day, d.Questions, d.Answered, d.Escalated, d.Deflected)
	}
}

// oneLine keeps a person's text on one line of the report.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// counts lists a count map, largest first: "slack 60, api 40".
func counts(m map[string]int) string {
	if len(m) == 0 {
		return "-"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
