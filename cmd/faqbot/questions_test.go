package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sashabaranov/go-openai"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/llm/llmtest"
)

// A corpus of its own: no shipped questions cover it.
var loyaltyPages = map[string]string{
	"loyalty.md": "---\ntitle: Loyalty programs\n---\n\n# Loyalty programs\n\n" +
		"## Enroll members\n\nCreate a loyalty program in Settings, then add a journey that sends the welcome email when a contact joins.\n\n" +
		"## Award points\n\nPoints are awarded by a trigger that fires on each purchase.\n\n" +
		"## Expire points\n\nPoints expire after 12 months unless the program sets another period.\n",
	"vouchers.md": "---\ntitle: Vouchers\n---\n\n# Vouchers\n\n" +
		"## Issue vouchers\n\nVouchers are issued as codes in an email; each is valid for 30 days.\n",
}

func writePages(t *testing.T, dir string, pages map[string]string) {
	t.Helper()
	for name, text := range pages {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// questionsModel writes two questions per section asked about, and
// answers questions citing source 1; down makes every call fail.
type questionsModel struct {
	*llmtest.Server
	down atomic.Bool
}

func newQuestionsModel(t *testing.T) *questionsModel {
	m := &questionsModel{}
	m.Server = llmtest.NewServer(t, func(_ int, req openai.ChatCompletionRequest) llmtest.Reply {
		if m.down.Load() {
			return llmtest.Reply{Status: http.StatusInternalServerError}
		}
		if !isQuestionCall(req) {
			return llmtest.Answer("Points expire unless the program sets another period [1].")
		}
		user := req.Messages[len(req.Messages)-1].Content
		_, heading, _ := strings.Cut(user, "Heading: ")
		heading, _, _ = strings.Cut(heading, "\n")
		b, _ := json.Marshal(map[string][]string{
			"answered":   {"how do I " + strings.ToLower(heading) + "?", "wie geht " + heading + "?"},
			"unanswered": {},
		})
		return llmtest.Answer(string(b))
	})
	return m
}

func isQuestionCall(req openai.ChatCompletionRequest) bool {
	return req.ResponseFormat != nil && req.ResponseFormat.JSONSchema != nil && req.ResponseFormat.JSONSchema.Name == "faqbot_section_questions"
}

// questionCalls counts the calls that asked for a section's questions.
func (m *questionsModel) questionCalls() int {
	n := 0
	for _, c := range m.ChatCalls() {
		if isQuestionCall(c.Chat) {
			n++
		}
	}
	return n
}

func modelEnv(m *questionsModel, dataDir string) map[string]string {
	return map[string]string{
		"OPENAI_BASE_URL":   m.BaseURL(),
		"OPENAI_API_KEY":    "sk-test",
		"FAQBOT_EMBEDDINGS": "local",
		"FAQBOT_DATA_DIR":   dataDir,
	}
}

func TestIndexAsksTheModelOnlyAboutChangedSections(t *testing.T) {
	m := newQuestionsModel(t)
	pages := t.TempDir()
	writePages(t, pages, loyaltyPages)
	env := modelEnv(m, t.TempDir())

	code, out, errOut := runCLI(t, env, "", "index", "--corpus", pages)
	if code != exitOK || m.questionCalls() != 4 {
		t.Fatalf("first index: exit %d, %d question calls for 4 sections\n%s%s", code, m.questionCalls(), out, errOut)
	}
	if !strings.Contains(out, "questions gpt-4o-mini: 0 sections cached, 4 generated\n") {
		t.Errorf("output:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(env["FAQBOT_DATA_DIR"], questionCacheFile)); err != nil {
		t.Errorf("no question cache in the data dir: %v", err)
	}

	changed := map[string]string{"loyalty.md": strings.Replace(loyaltyPages["loyalty.md"], "12 months", "24 months", 1)}
	writePages(t, pages, changed)
	code, out, errOut = runCLI(t, env, "", "index", "--corpus", pages)
	if code != exitOK || m.questionCalls() != 5 {
		t.Fatalf("index after one section changed: exit %d, %d question calls in all, want 5\n%s%s", code, m.questionCalls(), out, errOut)
	}
	if !strings.Contains(out, "questions gpt-4o-mini: 3 sections cached, 1 generated\n") {
		t.Errorf("output:\n%s", out)
	}

	// Answering reads what index wrote and asks for no questions itself.
	code, out, errOut = runCLI(t, env, "", "ask", "--json", "--corpus", pages, "when do loyalty points run out?")
	if code != exitOK || m.questionCalls() != 5 {
		t.Fatalf("ask: exit %d, %d question calls in all, want still 5\n%s%s", code, m.questionCalls(), out, errOut)
	}
	var a bot.Answer
	if err := json.Unmarshal([]byte(out), &a); err != nil || len(a.Citations) == 0 || a.Citations[0].Anchor != "expire-points" {
		t.Errorf("ask: %v, answer %+v", err, a)
	}
	// The questions only steer retrieval: the answer quotes and cites the
	// section, and the model answering sees the section, not them.
	shown, answerCalls := strings.ToLower(out), 0
	for _, c := range m.ChatCalls() {
		if !isQuestionCall(c.Chat) {
			shown += strings.ToLower(c.User())
			answerCalls++
		}
	}
	if answerCalls != 1 || a.Mode != bot.ModeLLM {
		t.Errorf("%d answer calls, mode %s; want the model to write the answer", answerCalls, a.Mode)
	}
	for _, q := range []string{"how do i expire points?", "wie geht expire points?"} {
		if strings.Contains(shown, q) {
			t.Errorf("the generated question %q was shown:\n%s", q, shown)
		}
	}
}

func TestIndexWithTheModelDownBuildsAndRetriesNextTime(t *testing.T) {
	m := newQuestionsModel(t)
	m.down.Store(true)
	pages := t.TempDir()
	writePages(t, pages, loyaltyPages)
	env := modelEnv(m, t.TempDir())

	code, out, errOut := runCLI(t, env, "", "index", "--corpus", pages)
	if code != exitOK || !strings.Contains(out, "indexed 4 sections") {
		t.Fatalf("index with the model down: exit %d\n%s%s", code, out, errOut)
	}
	// Three sections are asked about at once: the fourth may start before
	// the third failure stops the rest.
	if !strings.Contains(out, "0 sections cached, 0 generated, ") || !strings.Contains(out, "(asked again at the next index or refresh)") {
		t.Errorf("output does not report the failures:\n%s", out)
	}
	if n := strings.Count(errOut, "index built without some sections' questions"); n != 1 {
		t.Errorf("the failure is logged %d times, want once:\n%s", n, errOut)
	}
	if strings.Contains(errOut, "sk-test") {
		t.Errorf("the log holds the key:\n%s", errOut)
	}

	m.down.Store(false)
	code, out, errOut = runCLI(t, env, "", "index", "--corpus", pages)
	if code != exitOK || !strings.Contains(out, "0 sections cached, 4 generated\n") {
		t.Errorf("index with the model back: exit %d\n%s%s", code, out, errOut)
	}
}

func TestIndexOfflineWritesNoQuestions(t *testing.T) {
	pages := t.TempDir()
	writePages(t, pages, loyaltyPages)
	env := map[string]string{"FAQBOT_DATA_DIR": t.TempDir()}
	code, out, errOut := runCLI(t, env, "", "index", "--corpus", pages)
	if code != exitOK || strings.Contains(out, "questions") {
		t.Fatalf("offline index: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(env["FAQBOT_DATA_DIR"], questionCacheFile)); !os.IsNotExist(err) {
		t.Errorf("offline index wrote a question cache (%v)", err)
	}
}
