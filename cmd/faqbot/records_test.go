package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/store"
)

// copyLegacy puts the Slack app's old JSON Lines files into dir.
func copyLegacy(t *testing.T, dir string) {
	t.Helper()
	for _, name := range []string{"feedback.jsonl", "escalations-failed.jsonl"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "bot", "slack", "testdata", "legacy", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestServeImportsTheJSONLinesOnce(t *testing.T) {
	slack := newSlackWorkspace(t)
	dataDir := t.TempDir()
	copyLegacy(t, dataDir)
	env := slack.env()
	// The records are from March 2025: keep them past the default
	// retention, which would prune them as it prunes any old record.
	env["FAQBOT_DATA_DIR"], env["FAQBOT_ADMIN_TOKEN"], env["FAQBOT_RETENTION"] = dataDir, recordsToken, "36500d"
	march := bot.Period{From: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)}
	escalations := func() []bot.EscalationRecord {
		st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(dataDir, "faqbot.db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		list, err := st.Escalations(context.Background(), bot.EscalationQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return list
	}

	s := startServe(t, env)
	s.ready()
	s.logs.waitFor(t, "imported earlier records into the store", s.exited)
	for _, name := range []string{"feedback.jsonl", "escalations-failed.jsonl"} {
		if _, err := os.Stat(filepath.Join(dataDir, name+".imported")); err != nil {
			t.Errorf("%s not set aside: %v", name, err)
		}
	}
	var st bot.Stats
	if err := json.Unmarshal(adminGet(t, s.url, "/admin/api/stats", march).body, &st); err != nil {
		t.Fatal(err)
	}
	if st.Feedback.Helpful != 1 || st.Questions != 0 {
		t.Errorf("imported stats %+v", st)
	}
	if n := len(escalations()); n != 3 {
		t.Errorf("%d escalations imported, want 3", n)
	}

	// The "Ask a human" clicked before the store still counts; another
	// answer's button escalates.
	slack.mention(s.url, "EvImp", "1700000300.000001", "What happens to my segments after the transition?")
	answer := slack.waitPost("C1", "1700000300.000001")
	for _, ts := range []string{"1700000999.000101", "1700000999.000555"} {
		if r := slack.click(s.url, answer, ts, "U556", "ask_human"); r.status != 200 {
			t.Fatalf("click: %d %s", r.status, r.body)
		}
	}
	if code := s.stop(); code != exitOK {
		t.Fatalf("exit %d:\n%s", code, s.logs)
	}
	if n := len(slack.postsIn("CESC", "")); n != 1 {
		t.Errorf("%d escalations posted, want 1 (the imported click must not escalate again)", n)
	}

	// Put the same files back: a restart does not import them twice.
	copyLegacy(t, dataDir)
	s = startServe(t, env)
	s.ready()
	if err := json.Unmarshal(adminGet(t, s.url, "/admin/api/stats", march).body, &st); err != nil {
		t.Fatal(err)
	}
	if st.Feedback.Helpful != 1 {
		t.Errorf("after a second start: %+v", st.Feedback)
	}
	if n := len(escalations()); n != 4 {
		t.Errorf("%d escalations, want the 3 imported and 1 new", n)
	}
}

func TestReportAndForgetCommands(t *testing.T) {
	env := withDefaults(t, nil)
	getenv := func(k string) string { return env[k] }
	cfg, err := loadConfig(getenv, "", "")
	if err != nil {
		t.Fatal(err)
	}
	st := testStore(t, cfg)
	ctx := context.Background()
	for _, asker := range []string{"U1", "U2"} {
		id, err := st.Record(ctx, bot.Exchange{Time: time.Now().Add(-time.Hour), Transport: "slack", Asker: asker,
			Question: "segments?", Answered: true, Citations: []bot.Citation{{Anchor: "segments", Title: "Segments", Document: "transition-faqs.md"}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.RecordFeedback(ctx, bot.Feedback{ExchangeID: id, Kind: bot.FeedbackHelpful, User: "U1"}); err != nil {
			t.Fatal(err)
		}
	}
	// Two wordings of a question the FAQ does not cover: one coverage gap.
	for _, q := range []string{"Can I export my email templates to PDF?", "How do I export email templates as PDF files?"} {
		if _, err := st.Record(ctx, bot.Exchange{Time: time.Now().Add(-time.Hour), Transport: "api", Asker: "U3", Question: q,
			Latency: 30 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	cli := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(ctx, args, strings.NewReader(""), &out, &errOut, getenv)
		return code, out.String(), errOut.String()
	}
	report := func() bot.Stats {
		t.Helper()
		code, out, errOut := cli("report", "--json")
		var s bot.Stats
		if code != exitOK || json.Unmarshal([]byte(out), &s) != nil {
			t.Fatalf("report --json: exit %d\n%s%s", code, out, errOut)
		}
		return s
	}
	if s := report(); s.Questions != 4 || s.Feedback.Helpful != 2 || s.Deflected != 2 || len(s.ByDay) < 7 ||
		len(s.Gaps) != 1 || s.Gaps[0].Count != 2 || s.Latency.P95Ms != 50 {
		t.Errorf("report --json %+v", s)
	}
	code, out, _ := cli("report", "--since", "36h")
	for _, want := range []string{"questions    4", "deflected    2 (deflection rate 50.0%)", "by transport api 2, slack 2",
		"Segments (transition-faqs.md#segments)", "latency      p50 ≤ 5 ms, p95 ≤ 50 ms", "coverage gaps", "    2  "} {
		if code != exitOK || !strings.Contains(out, want) {
			t.Errorf("report lacks %q (exit %d):\n%s", want, code, out)
		}
	}
	for _, args := range [][]string{{"report", "--since", "0d"}, {"report", "--since", "soon"}, {"report", "extra"}, {"forget"}, {"forget", "--asker", " "}} {
		if code, _, errOut := cli(args...); code != exitUsage || errorLine(errOut) == "" {
			t.Errorf("%v: exit %d, want %d with a message", args, code, exitUsage)
		}
	}
	code, out, errOut := cli("forget", "--asker", "U1")
	if code != exitOK || out != "forgot U1: 1 questions, 2 feedback clicks, 0 escalations\n" {
		t.Errorf("forget: exit %d %q %s", code, out, errOut)
	}
	if s := report(); s.Questions != 3 || s.Feedback.Helpful != 0 {
		t.Errorf("after forget: %+v", s)
	}
}
