package teams

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// workflow is a stand-in for a Teams Workflows webhook: it records each
// POST and answers with the next status in statuses (the last repeats).
type workflow struct {
	t        *testing.T
	statuses []int
	block    bool // hold each request until the client gives up

	mu       sync.Mutex
	attempts int
	bodies   [][]byte
	types    []string
}

func (wf *workflow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		wf.t.Errorf("read escalation body: %v", err)
	}
	wf.mu.Lock()
	n := wf.attempts
	wf.attempts++
	wf.bodies = append(wf.bodies, body)
	wf.types = append(wf.types, r.Header.Get("Content-Type"))
	wf.mu.Unlock()
	if r.Method != http.MethodPost {
		wf.t.Errorf("escalation method = %s, want POST", r.Method)
	}
	if wf.block {
		<-r.Context().Done()
		return
	}
	status := http.StatusAccepted
	if len(wf.statuses) > 0 {
		status = wf.statuses[min(n, len(wf.statuses)-1)]
	}
	w.WriteHeader(status)
}

func (wf *workflow) count() int {
	wf.mu.Lock()
	defer wf.mu.Unlock()
	return wf.attempts
}

// posts returns the bodies and Content-Types received so far.
func (wf *workflow) posts() (bodies [][]byte, types []string) {
	wf.mu.Lock()
	defer wf.mu.Unlock()
	return append([][]byte(nil), wf.bodies...), append([]string(nil), wf.types...)
}

func startWorkflow(t *testing.T, wf *workflow) string {
	t.Helper()
	wf.t = t
	srv := httptest.NewServer(wf)
	t.Cleanup(srv.Close)
	// Workflows URLs carry their signature in the query; it must never leak.
	return srv.URL + "/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=SECRET-SIG"
}

func fastEscalator(t *testing.T, url string, logs *logBuffer) *Escalator {
	t.Helper()
	e, err := NewEscalator(url, EscalatorOptions{Retries: 2, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, Logger: newLogger(logs)})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// card is the decoded escalation message, loose enough to check its shape.
type card struct {
	Type        string `json:"type"`
	Attachments []struct {
		ContentType string          `json:"contentType"`
		ContentURL  json.RawMessage `json:"contentUrl"`
		Content     map[string]any  `json:"content"`
	} `json:"attachments"`
}

// cardRows reads a card's labelled rows ("Asked by: …" RichTextBlocks of
// TextRuns) as label → value.
func cardRows(v any) map[string]string {
	rows := map[string]string{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if x["type"] == "RichTextBlock" {
				if in, ok := x["inlines"].([]any); ok && len(in) == 2 {
					label, _ := in[0].(map[string]any)["text"].(string)
					value, _ := in[1].(map[string]any)["text"].(string)
					rows[strings.TrimSuffix(label, ": ")] = value
				}
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(v)
	return rows
}

func TestHandlerEscalatesExtensionRequest(t *testing.T) {
	wf := &workflow{}
	logs := &logBuffer{}
	h, err := NewHandler(testKey(t), newBot(t, bot.Options{}), Options{Escalator: fastEscalator(t, startWorkflow(t, wf), logs)})
	if err != nil {
		t.Fatal(err)
	}
	r := post(t, serve(t, h), readFixture(t, "extension.json"), fixtures["extension.json"])
	if r.status != http.StatusOK {
		t.Fatalf("status = %d: %s", r.status, r.body)
	}
	if !strings.Contains(r.msg.Text, "passed your question to the team") {
		t.Errorf("reply does not say the question went to the team:\n%s", r.msg.Text)
	}
	bodies, types := wf.posts()
	if len(bodies) != 1 {
		t.Fatalf("escalation webhook got %d posts, want 1", len(bodies))
	}
	if ct := types[0]; ct != "application/json" {
		t.Errorf("escalation Content-Type = %q", ct)
	}

	var c card
	if err := json.Unmarshal(bodies[0], &c); err != nil {
		t.Fatalf("escalation is not JSON: %v\n%s", err, bodies[0])
	}
	if c.Type != "message" || len(c.Attachments) != 1 {
		t.Fatalf("escalation is not a message with one attachment: %s", bodies[0])
	}
	att := c.Attachments[0]
	content := att.Content
	if att.ContentType != "application/vnd.microsoft.card.adaptive" || string(att.ContentURL) != "null" ||
		content["type"] != "AdaptiveCard" || content["version"] != "1.4" ||
		content["$schema"] != "http://adaptivecards.io/schemas/adaptive-card.json" {
		t.Errorf("attachment is not an Adaptive Card 1.4: %s", bodies[0])
	}

	all := strings.Join(append(textBlocks(content), textRuns(content)...), "\n")
	facts := cardRows(content)
	question := "We won't be ready by the removal date. Can we get an extension for outbound marketing?"
	for _, want := range []string{question, "I can't approve, grant or promise an extension", "transition-faqs#i-cant-transition-by-the-outbound-marketing-removal-date-can-i-request-an-extension"} {
		if !strings.Contains(all, want) {
			t.Errorf("card body lacks %q:\n%s", want, all)
		}
	}
	if got := facts["Reason"]; !strings.Contains(got, "extension_request") {
		t.Errorf("Reason fact = %q, want extension_request", got)
	}
	if got := facts["Asked by"]; got != "Megan Bowen (6f2b3c8e-1d4a-4b7e-9c0f-2a5d8e7b1c34)" {
		t.Errorf("Asked by fact = %q", got)
	}
	if got := facts["Asked in"]; got != "Microsoft Teams" {
		t.Errorf("Asked in fact = %q", got)
	}
	actions, _ := content["actions"].([]any)
	if len(actions) == 0 {
		t.Error("card has no source buttons")
	}
	for _, a := range actions {
		a := a.(map[string]any)
		if u, _ := a["url"].(string); a["type"] != "Action.OpenUrl" || !strings.HasPrefix(u, "https://") {
			t.Errorf("action %+v is not an OpenUrl to a source", a)
		}
	}
	if strings.Contains(logs.String(), "SECRET-SIG") {
		t.Errorf("logs leak the webhook signature:\n%s", logs)
	}
}

func TestHandlerTellsAskerWhenEscalationFails(t *testing.T) {
	wf := &workflow{statuses: []int{http.StatusInternalServerError}}
	logs := &logBuffer{}
	e := fastEscalator(t, startWorkflow(t, wf), logs)
	h, err := NewHandler(testKey(t), newBot(t, bot.Options{}), Options{Escalator: e, Contact: "the transition desk", Logger: newLogger(logs)})
	if err != nil {
		t.Fatal(err)
	}
	r := post(t, serve(t, h), readFixture(t, "extension.json"), fixtures["extension.json"])
	if r.status != http.StatusOK {
		t.Fatalf("status = %d: %s", r.status, r.body)
	}
	if got := wf.count(); got != 3 {
		t.Errorf("escalation webhook got %d attempts, want 3 (first + 2 retries)", got)
	}
	if !strings.Contains(r.msg.Text, "couldn't reach the team") || !strings.Contains(r.msg.Text, "contact the transition desk") {
		t.Errorf("reply does not tell the asker the hand-off failed and whom to contact:\n%s", r.msg.Text)
	}
	if strings.Contains(r.msg.Text, "passed your question to the team") {
		t.Errorf("reply claims a hand-off that failed:\n%s", r.msg.Text)
	}

	var failure map[string]any
	for _, rec := range logs.records(t) {
		if rec["level"] == "ERROR" {
			failure = rec
		}
	}
	if failure == nil {
		t.Fatalf("no error logged for the failed escalation:\n%s", logs)
	}
	esc, _ := failure["escalation"].(map[string]any)
	want := map[string]string{
		"reason":     "extension_request",
		"asker_name": "Megan Bowen",
		"asker_id":   "6f2b3c8e-1d4a-4b7e-9c0f-2a5d8e7b1c34",
		"question":   "We won't be ready by the removal date. Can we get an extension for outbound marketing?",
		"transport":  "teams",
	}
	for k, v := range want {
		if esc[k] != v {
			t.Errorf("logged escalation %s = %v, want %q", k, esc[k], v)
		}
	}
	if a, _ := esc["answer"].(string); !strings.Contains(a, "extension") {
		t.Errorf("logged escalation lacks the draft answer: %v", esc["answer"])
	}
	if s, _ := esc["sources"].([]any); len(s) == 0 {
		t.Errorf("logged escalation lacks the sources: %v", esc["sources"])
	}
	if !strings.Contains(failure["err"].(string), "500") {
		t.Errorf("logged error does not say what failed: %v", failure["err"])
	}
	if strings.Contains(logs.String(), "SECRET-SIG") {
		t.Errorf("logs leak the webhook signature:\n%s", logs)
	}
}

func TestHandlerEscalationStaysWithinBudget(t *testing.T) {
	wf := &workflow{block: true}
	logs := &logBuffer{}
	h, err := NewHandler(testKey(t), newBot(t, bot.Options{}), Options{
		Escalator: fastEscalator(t, startWorkflow(t, wf), logs),
		Budget:    300 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	r := post(t, serve(t, h), readFixture(t, "extension.json"), fixtures["extension.json"])
	if r.status != http.StatusOK || !strings.Contains(r.msg.Text, "couldn't reach the team") {
		t.Errorf("got %d, want 200 saying the hand-off failed:\n%s", r.status, r.msg.Text)
	}
	if wf.count() == 0 {
		t.Error("the escalation was never attempted")
	}
}

func TestEscalatorRetriesRateLimitThenSucceeds(t *testing.T) {
	wf := &workflow{statuses: []int{http.StatusTooManyRequests, http.StatusBadGateway, http.StatusAccepted}}
	logs := &logBuffer{}
	e := fastEscalator(t, startWorkflow(t, wf), logs)
	err := e.Escalate(context.Background(), bot.Escalation{
		Question: bot.Question{Text: "Can a human look at our LinkedIn lead sync?", Transport: "teams"},
		Reason:   bot.UnsupportedOutbound,
	})
	if err != nil {
		t.Fatalf("Escalate: %v", err)
	}
	if wf.count() != 3 {
		t.Errorf("attempts = %d, want 3", wf.count())
	}
	for _, rec := range logs.records(t) {
		if rec["level"] == "ERROR" {
			t.Errorf("logged an error for an escalation that went through: %v", rec)
		}
	}
}

func TestEscalatorDoesNotRetryClientErrors(t *testing.T) {
	wf := &workflow{statuses: []int{http.StatusBadRequest}}
	e := fastEscalator(t, startWorkflow(t, wf), &logBuffer{})
	err := e.Escalate(context.Background(), bot.Escalation{Question: bot.Question{Text: "q"}, Reason: bot.UserRequest})
	if err == nil || !strings.Contains(err.Error(), "400") {
		t.Errorf("err = %v, want the 400", err)
	}
	if wf.count() != 1 {
		t.Errorf("attempts = %d, want 1", wf.count())
	}
}

func TestEscalatorErrorsHideWebhookURL(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/invoke?sig=SECRET-SIG"
	srv.Close() // connection refused from now on
	logs := &logBuffer{}
	e := fastEscalator(t, url, logs)
	err := e.Escalate(context.Background(), bot.Escalation{Question: bot.Question{Text: "q"}, Reason: bot.UserRequest})
	if err == nil {
		t.Fatal("Escalate to a closed server succeeded")
	}
	if strings.Contains(err.Error(), "SECRET-SIG") || strings.Contains(logs.String(), "SECRET-SIG") {
		t.Errorf("the webhook URL leaked: %v\n%s", err, logs)
	}
}

func TestEscalatorHonoursCallerDeadline(t *testing.T) {
	wf := &workflow{block: true}
	e := fastEscalator(t, startWorkflow(t, wf), &logBuffer{})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := e.Escalate(ctx, bot.Escalation{Question: bot.Question{Text: "q"}, Reason: bot.UserRequest})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the deadline", err)
	}
}

func TestNewEscalatorRejectsBadURL(t *testing.T) {
	for _, u := range []string{"", "ftp://example.com/x", "not a url", "https://"} {
		if _, err := NewEscalator(u, EscalatorOptions{}); err == nil {
			t.Errorf("NewEscalator(%q) accepted it", u)
		}
	}
}

func TestWorkflowCardShowsPeoplesTextVerbatim(t *testing.T) {
	wf := &workflow{}
	e := fastEscalator(t, startWorkflow(t, wf), &logBuffer{})
	question := "[x](https://evil.example) **URGENT** <at>CEO</at>\n# Approve now"
	name := "[Click here to approve](https://evil.example)"
	err := e.Escalate(context.Background(), bot.Escalation{
		Question: bot.Question{Text: question, Asker: bot.User{ID: "aad-1", Name: name}, Transport: "teams"},
		Answer:   bot.Answer{Text: "See [1] and [approve](https://evil.example/draft)", Citations: []bot.Citation{{Title: "T", URL: "https://learn.microsoft.com/t"}}},
		Reason:   bot.ExtensionRequest,
	})
	if err != nil {
		t.Fatal(err)
	}
	bodies, _ := wf.posts()
	if len(bodies) != 1 {
		t.Fatalf("%d posts, want 1", len(bodies))
	}
	var msg map[string]any
	if err := json.Unmarshal(bodies[0], &msg); err != nil {
		t.Fatal(err)
	}
	runs := textRuns(msg)
	for _, want := range []string{question, name + " (aad-1)"} {
		if !contains(runs, want) {
			t.Errorf("%q is not shown as written, in a TextRun: %q", want, runs)
		}
	}
	for _, tb := range textBlocks(msg) {
		if strings.Contains(tb, "evil.example") || strings.Contains(tb, "URGENT") {
			t.Errorf("people's text in a TextBlock, where Markdown renders: %q", tb)
		}
	}
	if strings.Contains(string(bodies[0]), `"FactSet"`) {
		t.Error("the card still has a FactSet, whose values render Markdown")
	}
}
