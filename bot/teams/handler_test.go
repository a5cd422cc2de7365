package teams

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/llm"
	"github.com/faqbot/faqbot/bot/llm/llmtest"
)

func TestSignMatchesOpenSSL(t *testing.T) {
	for name, want := range fixtures {
		if got := sign(testKey(t), readFixture(t, name)); got != want {
			t.Errorf("%s: test signer gives %q, openssl gave %q (fixture changed? see the fixtures comment)", name, got, want)
		}
	}
}

func TestHandlerAnswersSignedQuestion(t *testing.T) {
	s := &spy{next: newBot(t, bot.Options{})}
	h, err := NewHandler(testKey(t), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := post(t, serve(t, h), readFixture(t, "question.json"), fixtures["question.json"])
	if r.status != http.StatusOK {
		t.Fatalf("status = %d, want 200: %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}

	qs := s.questions()
	if len(qs) != 1 {
		t.Fatalf("asked %d questions, want 1", len(qs))
	}
	want := bot.Question{
		Text:         "When will outbound marketing be removed & what happens to my data?",
		Asker:        bot.User{ID: "6f2b3c8e-1d4a-4b7e-9c0f-2a5d8e7b1c34", Name: "Megan Bowen"},
		Transport:    "teams",
		Conversation: "19:3d1c5f2a9b8e4d7c6a5b4c3d2e1f0a9b@thread.skype;messageid=1727891234567",
	}
	if got := qs[0]; got.Text != want.Text || got.Asker != want.Asker || got.Transport != want.Transport || got.Conversation != want.Conversation {
		t.Errorf("asked %+v, want %+v", got, want)
	}

	a := s.answers()[0]
	if !a.Answered || len(a.Citations) == 0 {
		t.Fatalf("bot did not answer from the FAQ: %+v", a)
	}
	text := r.msg.Text
	if !strings.Contains(text, "[1]") {
		t.Errorf("reply lost the [1] marker:\n%s", text)
	}
	for i, c := range a.Citations {
		link := "[" + c.Title + "](" + c.URL + ")"
		if !strings.HasPrefix(c.URL, "https://learn.microsoft.com/") || !strings.Contains(text, link) {
			t.Errorf("reply lacks citation %d as %s:\n%s", i+1, link, text)
		}
	}
	if strings.Contains(text, "<at>") || strings.Contains(text, "&nbsp;") {
		t.Errorf("reply leaks Teams markup:\n%s", text)
	}
}

func TestHandlerRejectsBadRequests(t *testing.T) {
	key := testKey(t)
	good := readFixture(t, "question.json")
	tampered := bytes.Replace(good, []byte("removed"), []byte("rem0ved"), 1)
	otherKey, _ := base64.StdEncoding.DecodeString("c2VjcmV0LW9mLWFub3RoZXItd2ViaG9vay0zMmJ5dGVz")
	huge := activityBody(t, "<at>FAQ Bot</at> "+strings.Repeat("why ", 70_000))
	notJSON := []byte(`{"type":"message","text":"<at>FAQ Bot</at> hi"`)
	notMessage := []byte(`{"type":"conversationUpdate"}`)

	tests := []struct {
		name   string
		body   []byte
		auth   string
		status int
	}{
		{"tampered body", tampered, fixtures["question.json"], http.StatusUnauthorized},
		{"wrong key", good, sign(otherKey, good), http.StatusUnauthorized},
		{"missing header", good, "", http.StatusUnauthorized},
		{"other scheme", good, strings.Replace(fixtures["question.json"], "HMAC", "Bearer", 1), http.StatusUnauthorized},
		{"signature not base64", good, "HMAC !!!", http.StatusUnauthorized},
		{"signature of another body", good, fixtures["extension.json"], http.StatusUnauthorized},
		{"oversized body", huge, sign(key, huge), http.StatusRequestEntityTooLarge},
		{"malformed JSON", notJSON, sign(key, notJSON), http.StatusBadRequest},
		{"not a message", notMessage, sign(key, notMessage), http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &spy{next: newBot(t, bot.Options{})}
			h, err := NewHandler(key, s, Options{})
			if err != nil {
				t.Fatal(err)
			}
			r := post(t, serve(t, h), tt.body, tt.auth)
			if r.status != tt.status {
				t.Errorf("status = %d, want %d: %s", r.status, tt.status, r.body)
			}
			if n := len(s.questions()); n != 0 {
				t.Errorf("asked the bot %d questions from a rejected request", n)
			}
		})
	}
	if len(huge) <= DefaultMaxBody {
		t.Fatalf("oversized body is only %d bytes", len(huge))
	}
}

func TestHandlerRejectsOtherMethods(t *testing.T) {
	h, err := NewHandler(testKey(t), newBot(t, bot.Options{}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h) // no method in the pattern: the handler itself must refuse
	defer srv.Close()
	resp, err := http.Get(srv.URL + Path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET status = %d, want 405", resp.StatusCode)
	}
}

func TestHandlerPromptsForAQuestion(t *testing.T) {
	for _, text := range []string{"<at>FAQ Bot</at>", "<at>FAQ Bot</at>&nbsp;<br>\n", "<p><at>FAQ Bot</at> &nbsp; </p>"} {
		s := &spy{next: newBot(t, bot.Options{})}
		h, err := NewHandler(testKey(t), s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		body := activityBody(t, text)
		r := post(t, serve(t, h), body, sign(testKey(t), body))
		if r.status != http.StatusOK || !strings.Contains(r.msg.Text, "Mention me with a question") {
			t.Errorf("%q: got %d %q, want 200 and a prompt for a question", text, r.status, r.msg.Text)
		}
		if n := len(s.questions()); n != 0 {
			t.Errorf("%q: asked the bot an empty question", text)
		}
	}
}

func TestHandlerWithoutEscalatorNamesContact(t *testing.T) {
	h, err := NewHandler(testKey(t), newBot(t, bot.Options{}), Options{Contact: "the transition desk (#cij-help)"})
	if err != nil {
		t.Fatal(err)
	}
	r := post(t, serve(t, h), readFixture(t, "extension.json"), fixtures["extension.json"])
	if r.status != http.StatusOK {
		t.Fatalf("status = %d: %s", r.status, r.body)
	}
	if !strings.Contains(r.msg.Text, "contact the transition desk (#cij-help)") {
		t.Errorf("reply does not say whom to contact:\n%s", r.msg.Text)
	}
	if strings.Contains(r.msg.Text, "passed your question to the team") {
		t.Errorf("reply claims a hand-off that did not happen:\n%s", r.msg.Text)
	}
}

// blockingAsker answers only when released, whatever its context says: the
// worst case of a stuck model call.
type blockingAsker struct {
	release     chan struct{}
	finished    atomic.Bool
	hadDeadline atomic.Bool
}

func (b *blockingAsker) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	_, ok := ctx.Deadline()
	b.hadDeadline.Store(ok)
	<-b.release
	b.finished.Store(true)
	return bot.Answer{Question: q.Text, Text: "too late", Answered: true}, nil
}

func TestHandlerRepliesWithinBudgetWhenAskerIsStuck(t *testing.T) {
	asker := &blockingAsker{release: make(chan struct{})}
	defer close(asker.release)
	h, err := NewHandler(testKey(t), asker, Options{Budget: 300 * time.Millisecond, Contact: "the transition desk"})
	if err != nil {
		t.Fatal(err)
	}
	r := post(t, serve(t, h), readFixture(t, "question.json"), fixtures["question.json"])
	// The Asker is still blocked, so the reply cannot have waited for it.
	if asker.finished.Load() {
		t.Fatal("the handler waited for the stuck Asker")
	}
	if !asker.hadDeadline.Load() {
		t.Error("the Asker got no deadline")
	}
	if r.status != http.StatusOK {
		t.Fatalf("status = %d, want 200 so Teams shows the apology", r.status)
	}
	if !strings.Contains(r.msg.Text, "Sorry, something went wrong") || !strings.Contains(r.msg.Text, "the transition desk") {
		t.Errorf("reply is not the apology:\n%s", r.msg.Text)
	}
}

func TestHandlerFallsBackToExtractiveWhenModelIsSlow(t *testing.T) {
	tests := []struct {
		name string
		rep  llmtest.Reply
		mode bot.Mode
	}{
		// The contrast case shows the model is used when it answers in time.
		{"model in time", llmtest.Answer("Outbound marketing tables and data won't be deleted [1]."), bot.ModeLLM},
		{"model too slow", llmtest.Reply{Hang: true}, bot.ModeExtractive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			model := llmtest.NewServer(t, func(int, openai.ChatCompletionRequest) llmtest.Reply { return tt.rep })
			w := llm.New(llmtest.Client(model.BaseURL(), llmtest.Transport(0)), llm.Options{Model: "gpt-4o-mini"})
			s := &spy{next: newBot(t, bot.Options{Writer: w})}
			// The bot keeps 500 ms of the Asker's deadline for the fallback,
			// so the model gets about 700 ms here.
			h, err := NewHandler(testKey(t), s, Options{Budget: 2 * time.Second, AskBudget: 1200 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			r := post(t, serve(t, h), readFixture(t, "question.json"), fixtures["question.json"])
			if r.status != http.StatusOK {
				t.Fatalf("status = %d: %s", r.status, r.body)
			}
			if n := len(model.ChatCalls()); n != 1 {
				t.Errorf("model got %d calls, want 1", n)
			}
			as := s.answers()
			if len(as) != 1 {
				t.Fatalf("the bot gave %d answers within the budget, want 1 (reply: %s)", len(as), r.msg.Text)
			}
			if as[0].Mode != tt.mode || !as[0].Answered {
				t.Errorf("answer mode %q answered %v, want %q", as[0].Mode, as[0].Answered, tt.mode)
			}
			if !strings.Contains(r.msg.Text, "[1]") || !strings.Contains(r.msg.Text, "**Sources**") ||
				strings.Contains(r.msg.Text, "couldn't answer") {
				t.Errorf("reply is not a cited answer:\n%s", r.msg.Text)
			}
		})
	}
}

// countingEscalator counts hand-offs.
type countingEscalator struct{ n atomic.Int32 }

func (e *countingEscalator) Escalate(context.Context, bot.Escalation) error {
	e.n.Add(1)
	return nil
}

func TestHandlerAnswersAReplayedActivityOnce(t *testing.T) {
	esc := &countingEscalator{}
	s := &spy{next: newBot(t, bot.Options{})}
	h, err := NewHandler(testKey(t), s, Options{Escalator: esc})
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t, h)
	signedBody := readFixture(t, "extension.json")
	for i := range 3 {
		r := post(t, url, signedBody, fixtures["extension.json"])
		if r.status != http.StatusOK {
			t.Fatalf("delivery %d: status %d", i+1, r.status)
		}
		if i > 0 && len(r.body) != 0 {
			t.Errorf("delivery %d was answered again: %s", i+1, r.body)
		}
	}
	if n := esc.n.Load(); n != 1 {
		t.Errorf("the same signed activity escalated %d times, want 1", n)
	}
	if n := len(s.questions()); n != 1 {
		t.Errorf("asked %d times, want 1", n)
	}

	// Without an id, the signed body itself tells a replay apart; another
	// message is still answered.
	noID := activityBody(t, "<at>FAQ Bot</at> Can we get an extension past the removal date?")
	other := activityBody(t, "<at>FAQ Bot</at> We need an extension for outbound marketing, please.")
	for range 3 {
		post(t, url, noID, sign(testKey(t), noID))
	}
	post(t, url, other, sign(testKey(t), other))
	if n := esc.n.Load(); n != 3 {
		t.Errorf("escalations = %d, want 3 (one per distinct activity)", n)
	}
}
