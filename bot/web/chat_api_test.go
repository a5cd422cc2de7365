package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/faqbot/faqbot/bot"
)

type recordingEscalator struct {
	mu  sync.Mutex
	got []bot.Escalation
	err error
}

func (r *recordingEscalator) Escalate(_ context.Context, e bot.Escalation) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, e)
	return r.err
}

func TestEscalateFromTheWeb(t *testing.T) {
	esc := &recordingEscalator{}
	srv := fullChat(t, &recordingAsker{}, ChatOptions{Escalator: esc, Contact: "your partner"})
	status, body, _ := post(t, srv.URL+"/api/escalate", `{"id":"ex1","question":"Can we get more time?","reason":"extension_request","contact":"  Jane   <jane@example.com> "}`)
	if status != http.StatusOK || !strings.Contains(string(body), `"delivered":true`) || !strings.Contains(string(body), "jane@example.com") {
		t.Fatalf("status %d: %s", status, body)
	}
	e := esc.got[0]
	if e.Reason != bot.ExtensionRequest || e.Question.Text != "Can we get more time?" || e.Question.Asker.Name != "Jane <jane@example.com> (web chat)" ||
		e.Question.Asker.ID != "" || e.Answer.ID != "ex1" || e.Question.Transport != Transport ||
		e.Question.Conversation != "web chat, reply to Jane <jane@example.com>" {
		t.Errorf("escalation %+v", e)
	}
	// An unknown reason is the asker's own request.
	post(t, srv.URL+"/api/escalate", `{"question":"help","reason":"<b>x</b>"}`)
	if r := esc.got[1].Reason; r != bot.UserRequest {
		t.Errorf("reason %q, want user_request", r)
	}

	esc.err = errors.New("slack is down")
	status, body, _ = post(t, srv.URL+"/api/escalate", `{"question":"help"}`)
	if status != http.StatusOK || !strings.Contains(string(body), `"delivered":false`) || !strings.Contains(string(body), "your partner") {
		t.Errorf("failed hand-off: status %d: %s", status, body)
	}

	fresh := fullChat(t, &recordingAsker{}, ChatOptions{Escalator: esc})
	for _, bad := range []string{`{"question":""}`, `{"question":"q","contact":"` + strings.Repeat("a", 201) + `"}`, `{"question":"q","id":"../x"}`, `{"question":"` + strings.Repeat("a", bot.MaxQuestionChars+1) + `"}`, `not json`} {
		if status, body, _ := post(t, fresh.URL+"/api/escalate", bad); status != http.StatusBadRequest {
			t.Errorf("%.40s: status %d: %s", bad, status, body)
		}
	}
	// Past the limit, a client is refused for a while: bad requests count.
	limited := 0
	for range escalationsPerClient + 1 {
		if status, _, _ := post(t, fresh.URL+"/api/escalate", `{"question":"help"}`); status == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Error("no request was refused past the limit")
	}
}

func TestEscalateWithoutDestination(t *testing.T) {
	srv := fullChat(t, &recordingAsker{}, ChatOptions{Contact: "your partner"})
	status, body, _ := post(t, srv.URL+"/api/escalate", `{"question":"help"}`)
	if status != http.StatusOK || !strings.Contains(string(body), `"delivered":false`) || !strings.Contains(string(body), "your partner") {
		t.Errorf("status %d: %s", status, body)
	}
	_, cfg, _ := getPage(t, srv.URL+"/api/chat")
	if !strings.Contains(cfg, `"escalation":false`) || !strings.Contains(cfg, `"contact":"your partner"`) || !strings.Contains(cfg, `"suggestions":[{`) {
		t.Errorf("config %s", cfg)
	}
}

func TestFeedbackFromTheWeb(t *testing.T) {
	rec := &memoryFeedback{}
	srv := fullChat(t, &recordingAsker{}, ChatOptions{Feedback: rec})
	for _, tc := range []struct {
		body   string
		status int
	}{
		{`{"id":"ex1","client":"abc","kind":"not_helpful","reason":"wrong_section","details":"x"}`, 200},
		{`{"id":"ex1","client":"abc","kind":"helpful","reason":"wrong_section"}`, 200},
		{`{"id":"ex1","client":"abc","kind":"meh"}`, 400},
		{`{"id":"ex 1","client":"abc","kind":"helpful"}`, 400},
		{`{"id":"ex1","client":"","kind":"helpful"}`, 400},
		{`{"id":"ex1","client":"abc","kind":"helpful","details":"` + strings.Repeat("x", maxSmallBody) + `"}`, 413},
	} {
		if status, body, _ := post(t, srv.URL+"/api/feedback", tc.body); status != tc.status {
			t.Errorf("%.60s: status %d, want %d: %s", tc.body, status, tc.status, body)
		}
	}
	fb := rec.all()
	if len(fb) != 2 || fb[0].Comment != "wrong_section: x" || fb[1].Comment != "" || fb[0].User != "web:abc" || fb[0].Message != "web:ex1" {
		t.Errorf("feedback %+v", fb)
	}
	off := fullChat(t, &recordingAsker{}, ChatOptions{})
	if status, _, _ := post(t, off.URL+"/api/feedback", `{"id":"ex1","client":"abc","kind":"helpful"}`); status != http.StatusNotFound {
		t.Errorf("without a recorder: status %d, want 404", status)
	}
}

func TestAskStreamEvents(t *testing.T) {
	asker := &streamAsker{recordingAsker: recordingAsker{ans: plainWebAnswer()}, draft: []string{"Draft ", "words"}}
	srv := fullChat(t, asker, ChatOptions{})
	status, body, h := post(t, srv.URL+"/api/ask/stream", `{"question":"segments?"}`)
	if status != 200 || h.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d, type %s", status, h.Get("Content-Type"))
	}
	want := "event: delta\ndata: {\"text\":\"Draft \"}\n\nevent: delta\ndata: {\"text\":\"words\"}\n\nevent: answer\ndata: {\"id\":\"ex7\""
	if !strings.HasPrefix(string(body), want) {
		t.Errorf("stream:\n%s\nwant it to start:\n%s", body, want)
	}
	if status, _, _ := post(t, srv.URL+"/api/ask/stream", `{"question":""}`); status != http.StatusBadRequest {
		t.Errorf("empty question: status %d", status)
	}
}
