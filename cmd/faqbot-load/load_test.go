package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// buildFaqbot builds cmd/faqbot into a temporary directory, or skips the
// test when there is no Go toolchain to build it with.
func buildFaqbot(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build faqbot with:", err)
	}
	bin := filepath.Join(t.TempDir(), "faqbot")
	out, err := exec.Command(goBin, "build", "-o", bin, "github.com/faqbot/faqbot/cmd/faqbot").CombinedOutput()
	if err != nil {
		t.Skipf("cannot build faqbot (%v):\n%s", err, out)
	}
	return bin
}

func runJSON(t *testing.T, args ...string) (int, report, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), append(args, "-json"), &stdout, &stderr, func(string) string { return "" })
	var rep report
	if code != 2 {
		if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
			t.Fatalf("report is not JSON (%v):\n%s\n%s", err, stdout.String(), stderr.String())
		}
	}
	return code, rep, stderr.String()
}

// TestLoadsFaqbotServe starts the real `faqbot serve` and checks what the
// report counts, not how fast it was: timing bars belong to BENCHMARKS.md,
// not to a test that runs beside others under -race.
func TestLoadsFaqbotServe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts faqbot")
	}
	bin := buildFaqbot(t)
	code, rep, stderr := runJSON(t, "-faqbot", bin, "-rate", "50", "-duration", "2s", "-ask-rate", "10",
		"-retry-fraction", "0.2", "-max-p99", "10s", "-drain", "20s")
	if code != 0 || !rep.Pass {
		t.Fatalf("exit %d, failures %v\n%s", code, rep.Failures, stderr)
	}
	e, a, k := rep.Events, rep.Answers, rep.Ask
	if e.Sent != 100 || e.Retries != 20 || e.Acked != 120 || e.Errors != 0 || e.Ack.Count != 120 {
		t.Errorf("events: %+v; want 100 sent, 20 retried, all acked", e)
	}
	if a.Expected != 100 || a.Answered != 100 || a.Duplicates != 0 || a.Lost != 0 || a.Strays != 0 {
		t.Errorf("answers: %+v; want each of 100 events answered once", a)
	}
	if got := rep.SlackCalls["chat.postMessage"]; got != 100 {
		t.Errorf("the fake saw %d chat.postMessage calls, want 100 (retries must not be answered)", got)
	}
	if k.Sent != 20 || k.OK != 20 || k.Errors != 0 {
		t.Errorf("/api/ask: %+v; want 20 sent and answered", k)
	}
	if rep.Server.Samples == 0 || rep.Server.GoroutinesPeak == 0 || rep.Server.Exit != "ok" {
		t.Errorf("server: %+v; want gauges from /metrics and a clean exit", rep.Server)
	}
}

// misbehaving is a stand-in for a broken faqbot: it acknowledges events
// and replies through the fake Slack API as told, so the report must
// catch what it does wrong.
func misbehaving(t *testing.T, slackAPI string, repliesPerDelivery func(retry bool, i int) int) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("POST /slack/events", func(w http.ResponseWriter, r *http.Request) {
		var cb eventCallback
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &cb); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		_, frac, _ := strings.Cut(cb.Event.TS, ".")
		i, _ := strconv.Atoi(frac) // the event's number in the run
		for range repliesPerDelivery(r.Header.Get("X-Slack-Retry-Num") != "", i) {
			resp, err := http.PostForm(slackAPI+"/api/chat.postMessage", url.Values{
				"channel": {cb.Event.Channel}, "thread_ts": {cb.Event.TS}, "text": {"answer"}})
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestReportsDuplicateAndLostReplies(t *testing.T) {
	for _, c := range []struct {
		name    string
		replies func(retry bool, i int) int
		want    string
		check   func(r report) bool
	}{
		{"answers retries too", func(bool, int) int { return 1 }, "duplicate replies",
			func(r report) bool {
				return r.Answers.Duplicates == 10 && r.Events.Retries == 10 && r.Answers.Lost == 0
			}},
		{"drops some events", func(retry bool, i int) int {
			if retry || i%4 == 0 {
				return 0
			}
			return 1
		}, "lost replies", func(r report) bool { return r.Answers.Lost == 25 && r.Answers.Duplicates == 0 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			// The fake's port is fixed before the run so the stand-in knows
			// where to post; the tool listens on it again right after.
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			srv := misbehaving(t, "http://"+addr, c.replies)
			code, rep, stderr := runJSON(t, "-url", srv.URL, "-secret", "s", "-slack-api-addr", addr,
				"-rate", "200", "-max-events", "100", "-duration", "2s", "-retry-fraction", "0.1", "-drain", "300ms")
			if code != 1 || rep.Pass {
				t.Fatalf("exit %d, pass %v; want a failed run\n%s", code, rep.Pass, stderr)
			}
			if !strings.Contains(strings.Join(rep.Failures, "; "), c.want) || !c.check(rep) {
				t.Errorf("failures %v, answers %+v; want %q", rep.Failures, rep.Answers, c.want)
			}
		})
	}
}
