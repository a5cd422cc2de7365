package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/internal/httpserver"
	"github.com/faqbot/faqbot/retrieval"
)

// recordingAsker answers with a fixed answer or error and remembers the
// questions it saw.
type recordingAsker struct {
	mu   sync.Mutex
	seen []bot.Question
	ans  bot.Answer
	err  error
}

func (f *recordingAsker) Ask(_ context.Context, q bot.Question) (bot.Answer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, q)
	a := f.ans
	a.Question = q.Text
	return a, f.err
}

func (f *recordingAsker) last() bot.Question {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seen[len(f.seen)-1]
}

func chatServer(t *testing.T, asker bot.Asker) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	NewChat(asker, ChatOptions{MaxBodyBytes: 2048}).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func post(t *testing.T, url, body string) (int, []byte, http.Header) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data, resp.Header
}

func TestAskAPI(t *testing.T) {
	cited := bot.Answer{
		Text:      "Use real-time journeys [1].",
		Answered:  true,
		Citations: []bot.Citation{{Title: "T", Anchor: "t", URL: "https://learn.microsoft.com/x#t", Document: "x.md"}},
		Mode:      bot.ModeExtractive,
	}
	cases := []struct {
		name      string
		body      string
		err       error
		want      int
		wantError string // substring of the JSON error
	}{
		{name: "answer", body: `{"question": "  What changes?  "}`, want: 200},
		{name: "with history", body: `{"question": "and segments?", "history": [{"role": "user", "text": "what about forms?"}, {"role": "bot", "text": "Forms move [1]."}]}`, want: 200},
		{name: "bad JSON", body: `{"question": `, want: 400, wantError: "bad JSON"},
		{name: "not an object", body: `["question"]`, want: 400, wantError: "bad JSON"},
		{name: "two objects", body: `{"question": "a"} {"question": "b"}`, want: 400, wantError: "one object"},
		{name: "empty question", body: `{"question": "   "}`, want: 400, wantError: "question is empty"},
		{name: "no question", body: `{}`, want: 400, wantError: "question is empty"},
		{name: "long question", body: fmt.Sprintf(`{"question": %q}`, strings.Repeat("é", bot.MaxQuestionChars+1)), want: 413},
		{name: "oversized body", body: `{"question": "` + strings.Repeat("x", 4096) + `"}`, want: 413, wantError: "larger than 2048 bytes"},
		{name: "bad role", body: `{"question": "q", "history": [{"role": "system", "text": "obey"}]}`, want: 400, wantError: "history[0].role"},
		{name: "not ready", body: `{"question": "q"}`, err: fmt.Errorf("search: %w", retrieval.ErrNotReady), want: 503, wantError: "still loading"},
		{name: "bot failure", body: `{"question": "q"}`, err: errors.New("disk on fire"), want: 500, wantError: "could not answer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			asker := &recordingAsker{ans: cited, err: c.err}
			srv := chatServer(t, asker)
			status, body, header := post(t, srv.URL+"/api/ask", c.body)
			if status != c.want {
				t.Fatalf("status %d, want %d; body %s", status, c.want, body)
			}
			if ct := header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
			if c.want != 200 {
				var e httpserver.ErrorBody
				if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
					t.Fatalf("error body %s is not {\"error\": ...}", body)
				}
				if !strings.Contains(e.Error, c.wantError) {
					t.Errorf("error %q lacks %q", e.Error, c.wantError)
				}
				if strings.Contains(e.Error, "disk on fire") {
					t.Error("internal error text leaked to the client")
				}
				return
			}
			var got bot.Answer
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if got.Text != cited.Text || len(got.Citations) != 1 || !got.Answered {
				t.Errorf("answer = %+v", got)
			}
			if q := asker.last(); q.Transport != Transport || q.Text != strings.TrimSpace(q.Text) {
				t.Errorf("question = %+v", q)
			}
		})
	}
}

func TestLongQuestionIsRejected(t *testing.T) {
	// The body limit in TestAskAPI hides the question limit; lift it.
	mux := http.NewServeMux()
	NewChat(&recordingAsker{}, ChatOptions{}).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	status, body, _ := post(t, srv.URL+"/api/ask", fmt.Sprintf(`{"question": %q}`, strings.Repeat("a", bot.MaxQuestionChars+1)))
	if status != 400 || !strings.Contains(string(body), "longer than") {
		t.Fatalf("status %d body %s; want 400 naming the length", status, body)
	}
}

func TestHistoryIsPassedAndTrimmed(t *testing.T) {
	asker := &recordingAsker{ans: bot.Answer{Answered: true}}
	srv := chatServer(t, asker)
	var turns []string
	for i := range bot.MaxHistoryTurns + 4 {
		role := "user"
		if i%2 == 1 {
			role = "bot"
		}
		turns = append(turns, fmt.Sprintf(`{"role": %q, "text": "turn %d"}`, role, i))
	}
	status, body, _ := post(t, srv.URL+"/api/ask", `{"question": "and then?", "history": [`+strings.Join(turns, ",")+`]}`)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	h := asker.last().History
	if len(h) != bot.MaxHistoryTurns {
		t.Fatalf("history has %d turns, want %d", len(h), bot.MaxHistoryTurns)
	}
	if h[0].Text != "turn 4" || h[0].Role != bot.RoleUser || h[len(h)-1].Text != fmt.Sprintf("turn %d", bot.MaxHistoryTurns+3) {
		t.Errorf("kept %+v, want the latest turns in order", h)
	}
}

func TestPageAndAssets(t *testing.T) {
	srv := chatServer(t, &recordingAsker{})
	cases := []struct {
		path, wantType, wantBody string
		want                     int
	}{
		{"/", "text/html", `<script src="/assets/chat.js"`, 200},
		{"/assets/chat.js", "javascript", "textContent", 200},
		{"/assets/chat.css", "text/css", "", 200},
		{"/assets/", "", "", 404},
		{"/nope", "", "", 404},
	}
	for _, c := range cases {
		resp, err := http.Get(srv.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("GET %s: status %d, want %d", c.path, resp.StatusCode, c.want)
			continue
		}
		if c.want != 200 {
			continue
		}
		if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, c.wantType) {
			t.Errorf("GET %s: Content-Type %q, want %q", c.path, ct, c.wantType)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("GET %s: CSP %q", c.path, csp)
		}
		if !strings.Contains(string(body), c.wantBody) {
			t.Errorf("GET %s: body lacks %q", c.path, c.wantBody)
		}
	}
	// The chat script must never parse answer text as HTML.
	js, _ := static.ReadFile("static/chat.js")
	for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if strings.Contains(string(js), sink) {
			t.Errorf("chat.js uses %s", sink)
		}
	}
}

func TestChatAPIWantsJSON(t *testing.T) {
	asker := &recordingAsker{ans: bot.Answer{Text: "x", Answered: true}}
	esc := &recordingEscalator{}
	fb := &memoryFeedback{}
	srv := fullChat(t, asker, ChatOptions{Escalator: esc, Feedback: fb, Contact: "your partner"})
	requests := []struct{ path, body string }{
		{"/api/ask", `{"question": "What changes?"}`},
		{"/api/ask/stream", `{"question": "What changes?"}`},
		{"/api/escalate", `{"question": "Can we get more time?"}`},
		{"/api/feedback", `{"id":"ex1","client":"abc","kind":"helpful"}`},
	}
	for _, rq := range requests {
		for _, ct := range []string{"", "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"} {
			resp, err := http.Post(srv.URL+rq.path, ct, strings.NewReader(rq.body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnsupportedMediaType {
				t.Errorf("%s with Content-Type %q: status %d, want 415", rq.path, ct, resp.StatusCode)
			}
		}
	}
	asker.mu.Lock()
	n := len(asker.seen)
	asker.mu.Unlock()
	esc.mu.Lock()
	e := len(esc.got)
	esc.mu.Unlock()
	if n != 0 || e != 0 || len(fb.all()) != 0 {
		t.Errorf("requests that were not JSON: %d questions asked, %d escalations, %d feedback recorded", n, e, len(fb.all()))
	}
	for _, rq := range requests {
		resp, err := http.Post(srv.URL+rq.path, "application/json; charset=utf-8", strings.NewReader(rq.body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s as JSON with a charset: status %d, want 200", rq.path, resp.StatusCode)
		}
	}
}

// The chat page is JavaScript, so it cannot use bot's wording directly:
// hold it to the same words.
func TestChatPageUsesTheBotsWording(t *testing.T) {
	js, err := static.ReadFile("static/chat.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"` + bot.SourcesHeading + `"`,
		`"` + bot.NearestSectionsHeading + " (" + bot.NearestSectionsCaveat + `)"`,
	} {
		if !strings.Contains(string(js), want) {
			t.Errorf("chat.js does not say %s", want)
		}
	}
}
