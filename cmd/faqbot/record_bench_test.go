package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/web"
)

// BenchmarkAPIAsk answers POST /api/ask over loopback HTTP, offline, with
// and without recording each answer in the SQLite store as serve does: the
// difference of the p50s is what recording adds to a request.
func BenchmarkAPIAsk(b *testing.B) {
	env := map[string]string{"FAQBOT_DATA_DIR": b.TempDir()}
	cfg, err := loadConfig(func(k string) string { return env[k] }, "", "")
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	a, err := newApp(cfg, log, appOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := a.load(context.Background()); err != nil {
		b.Fatal(err)
	}
	st, err := openStore(context.Background(), cfg, log)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	questions := []string{
		askJSON("Can I request an extension for outbound marketing?"),
		askJSON("what happens to marketing lists after removal"),
		askJSON("How many contacts does real-time journeys support?"),
		askJSON("is the email designer different in RTJ"),
		askJSON("What is the capital of France?"),
	}
	for _, c := range []struct {
		name  string
		asker bot.Asker
	}{
		{"store=none", a.asker},
		{"store=sqlite", recordingAsker{next: a.asker, rec: st, log: log}},
	} {
		b.Run(c.name, func(b *testing.B) {
			mux := http.NewServeMux()
			web.NewChat(c.asker, web.ChatOptions{}).Register(mux)
			srv := httptest.NewServer(mux)
			defer srv.Close()
			var took []time.Duration
			i := 0
			for b.Loop() {
				start := time.Now()
				resp, err := http.Post(srv.URL+"/api/ask", "application/json", strings.NewReader(questions[i%len(questions)]))
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("status %d", resp.StatusCode)
				}
				took = append(took, time.Since(start))
				i++
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds()), "p99-ns")
		})
	}
}
