package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/eval"
)

// runCLI runs faqbot in-process with only env as its environment.
func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	if _, ok := env["FAQBOT_DATA_DIR"]; !ok {
		env["FAQBOT_DATA_DIR"] = t.TempDir()
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr, func(k string) string { return env[k] })
	return code, stdout.String(), stderr.String()
}

const extensionAnchor = "i-cant-transition-by-the-outbound-marketing-removal-date-can-i-request-an-extension"

func TestAskOfflineHumanOutput(t *testing.T) {
	code, out, errOut := runCLI(t, map[string]string{}, "", "ask", "Can we get an extension past June 30?")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"[1]", "Sources:", "  [1] I can't transition by the outbound marketing removal date", "https://learn.microsoft.com/en-us/dynamics365/customer-insights/journeys/transition-faqs#" + extensionAnchor, "Escalate: yes (extension_request)", "extractive answer"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestAskJSONFromStdinKeepsOrder(t *testing.T) {
	questions := []string{"Can we get an extension past June 30?", "", "What happens to marketing lists?", "What is the capital of France?", "  "}
	code, out, errOut := runCLI(t, map[string]string{}, strings.Join(questions, "\n"), "ask", "-", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var answers []bot.Answer
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var a bot.Answer
		var raw map[string]any
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil || json.Unmarshal(sc.Bytes(), &raw) != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		answers = append(answers, a)
		lines = append(lines, raw)
	}
	// Line n of the output answers line n of the input, blank ones
	// included: they get the 400-style error object.
	if len(answers) != len(questions) {
		t.Fatalf("got %d lines for %d input lines", len(answers), len(questions))
	}
	for i, q := range questions {
		if strings.TrimSpace(q) == "" {
			if len(lines[i]) != 1 || lines[i]["error"] != "question is empty" {
				t.Errorf("line %d (blank) = %v, want {\"error\": \"question is empty\"}", i+1, lines[i])
			}
			continue
		}
		if answers[i].Question != q {
			t.Errorf("answer %d is for %q, want %q", i+1, answers[i].Question, q)
		}
	}
	answers = []bot.Answer{answers[0], answers[2], answers[3]}
	if !answers[0].Escalate || answers[0].EscalationReason != bot.ExtensionRequest || answers[0].Citations[0].Anchor != extensionAnchor {
		t.Errorf("extension answer = %+v", answers[0])
	}
	if answers[2].Answered {
		t.Errorf("answered an off-topic question: %s", answers[2].Text)
	}
	// The JSON names are the public contract.
	var raw map[string]any
	json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &raw)
	for _, k := range []string{"question", "answer", "answered", "escalate", "escalation_reason", "citations", "mode", "corpus_version"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("answer JSON lacks %q", k)
		}
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "usage"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"ask"}, "want a QUESTION"},
		{[]string{"ask", ""}, "the question is empty"},
		{[]string{"ask", "--json", " ", " "}, "the question is empty"},
		{[]string{"ask", "--nope", "x"}, "flag provided but not defined"},
		{[]string{"eval"}, "want FILE.tsv"},
		{[]string{"eval", "/nonexistent/q.tsv"}, "/nonexistent/q.tsv"},
		{[]string{"ask", "--corpus", "/nonexistent/faq.md", "hi"}, "--corpus: "},
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(t, map[string]string{}, "", tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("faqbot %v: exit %d, stderr %q; want 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}

func TestAskAbstentionNamesNearestSections(t *testing.T) {
	code, out, errOut := runCLI(t, map[string]string{}, "", "ask", "What is the capital of France?")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "Sources:") {
		t.Errorf("an abstention lists its nearest sections as sources:\n%s", out)
	}
	if !strings.Contains(out, "\nNearest sections:\n  [1] ") {
		t.Errorf("an abstention's sections are not called the nearest sections:\n%s", out)
	}
}

func TestHelpIsOutput(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"healthcheck", "-h"}, {"ask", "--help"}, {"serve", "-h"}, {"report", "-h"}} {
		code, out, errOut := runCLI(t, map[string]string{}, "", args...)
		if code != exitOK || !strings.Contains(out, "usage: faqbot") || errOut != "" {
			t.Errorf("faqbot %v: exit %d, stdout %.60q, stderr %q; want 0 and the usage on standard output", args, code, out, errOut)
		}
	}
	if _, out, _ := runCLI(t, map[string]string{}, "", "healthcheck", "-h"); !strings.Contains(out, "-ready") {
		t.Errorf("healthcheck -h does not list its flags:\n%s", out)
	}
}

func TestIndexReportsChangesBetweenRuns(t *testing.T) {
	versions := "../../../shared/corpus/versions"
	if _, err := os.Stat(versions); err != nil {
		t.Skipf("shared FAQ versions not available (%v)", err)
	}
	env := map[string]string{"FAQBOT_DATA_DIR": t.TempDir()}
	code, out, errOut := runCLI(t, env, "", "index", "--corpus", filepath.Join(versions, "transition-faqs@2024-08-09.md"))
	if code != exitOK || !strings.Contains(out, "corpus none → ") || !strings.Contains(out, "14 added") {
		t.Fatalf("first index: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, env, "", "index", "--corpus", filepath.Join(versions, "transition-faqs@2025-06-04.md"))
	if code != exitOK {
		t.Fatalf("second index: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"+ transition-faqs.md#" + extensionAnchor, "- transition-faqs.md#i-cant-transition-by-the-outbound-marketing-removal-date-can-i-request-an-exception", "indexed 16 sections"} {
		if !strings.Contains(out, want) {
			t.Errorf("second index output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(env["FAQBOT_DATA_DIR"], "index.json")); err != nil {
		t.Errorf("no manifest in the data dir: %v", err)
	}
}

// evalReport runs `faqbot eval --json FILE` offline.
func evalReport(t *testing.T, file string) eval.Report {
	t.Helper()
	if _, err := os.Stat(file); err != nil {
		t.Skipf("question file not available (%v)", err)
	}
	code, out, errOut := runCLI(t, map[string]string{}, "", "eval", "--json", file)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep eval.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

// bar is what a labelled set must score offline.
type bar struct {
	recall1, recall3   float64 // cited sections
	escP, escR         float64 // escalation precision and recall
	declined, answered float64 // unanswerable declined, answerable answered
}

// The dev set keeps at least the figures it had before the answer-quality
// work (Recall@1 0.89, Recall@3 1.00, escalation and abstention 1.00).
func TestEvalDevSetMeetsTheBar(t *testing.T) {
	rep := evalReport(t, "../../../shared/eval/dev-questions.tsv")
	checkBar(t, rep, bar{recall1: 0.89, recall3: 1, escP: 1, escR: 1, declined: 1, answered: 0.95})
}

// A second set, written independently of the dev set's wording, guards
// against tuning to it.
func TestEvalHoldoutSet(t *testing.T) {
	rep := evalReport(t, "../../eval/testdata/holdout.tsv")
	checkBar(t, rep, bar{recall1: 0.9, recall3: 0.95, escP: 0.9, escR: 0.95, declined: 0.85, answered: 0.9})
}

// The calibration part: written by writers the models never learned
// from, and where the answer threshold was set. Escalation recall is held
// at the 0.95 issue 10 asks for. Its misses are never printed: reading
// them would turn it into tuning data.
func TestEvalCalibrationSet(t *testing.T) {
	rep := evalReport(t, "../../eval/testdata/calibration.tsv")
	rep.Misses = nil
	checkBar(t, rep, bar{recall1: 0.85, recall3: 0.95, escP: 0.9, escR: 0.95, declined: 0.85, answered: 0.9})
}

func checkBar(t *testing.T, rep eval.Report, b bar) {
	t.Helper()
	if c := rep.Cited; c.Recall1 < b.recall1 || c.Recall3 < b.recall3 {
		t.Errorf("cited %+v below Recall@1 %.2f / Recall@3 %.2f", c, b.recall1, b.recall3)
	}
	if e := rep.Escalation; e.Precision < b.escP || e.Recall < b.escR {
		t.Errorf("escalation %+v below precision %.2f / recall %.2f", e, b.escP, b.escR)
	}
	if a := rep.Abstention; a.Accuracy < b.declined || a.AnswerRate < b.answered {
		t.Errorf("abstention %+v below declined %.2f / answered %.2f", a, b.declined, b.answered)
	}
	if t.Failed() {
		for _, m := range rep.Misses {
			t.Logf("%s %s: %s %v", m.ID, m.Question, m.Problem, m.Got)
		}
	}
}
