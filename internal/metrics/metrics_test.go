package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
)

// scrape returns the exposition text the /metrics endpoint serves.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: status %d", rec.Code)
	}
	return rec.Body.String()
}

func wantLines(t *testing.T, text string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(text, "\n"+l+"\n") {
			t.Errorf("metrics lack %q", l)
		}
	}
}

type fixedAnswerer struct {
	ans bot.Answer
	err error
}

func (f fixedAnswerer) Ask(context.Context, bot.Question) (bot.Answer, error) { return f.ans, f.err }

func TestAskerCountsOutcomes(t *testing.T) {
	m := New()
	cases := []struct {
		transport string
		ans       bot.Answer
		err       error
	}{
		{"api", bot.Answer{Answered: true}, nil},
		{"api", bot.Answer{Answered: true}, nil},
		{"slack", bot.Answer{Answered: false}, nil},
		{"slack", bot.Answer{Answered: true, Escalate: true, EscalationReason: bot.ExtensionRequest}, nil},
		{"teams", bot.Answer{Escalate: true, EscalationReason: bot.UnsupportedOutbound}, nil},
		{"api", bot.Answer{}, errors.New("index not ready")},
		{"", bot.Answer{Answered: true}, nil},
	}
	for _, c := range cases {
		_, err := NewAsker(fixedAnswerer{c.ans, c.err}, m).Ask(context.Background(), bot.Question{Text: "q", Transport: c.transport})
		if !errors.Is(err, c.err) {
			t.Fatalf("Ask error = %v, want %v", err, c.err)
		}
	}
	wantLines(t, scrape(t, m),
		`faqbot_questions_total{outcome="answered",reason="",transport="api"} 2`,
		`faqbot_questions_total{outcome="abstained",reason="",transport="slack"} 1`,
		`faqbot_questions_total{outcome="escalated",reason="extension_request",transport="slack"} 1`,
		`faqbot_questions_total{outcome="escalated",reason="unsupported_outbound",transport="teams"} 1`,
		`faqbot_questions_total{outcome="error",reason="",transport="api"} 1`,
		`faqbot_questions_total{outcome="answered",reason="",transport="unknown"} 1`,
		`faqbot_answer_duration_seconds_count{transport="api"} 3`,
	)
}

func TestModelTransportCountsCalls(t *testing.T) {
	m := New()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("fail") != "" {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "{}")
	}))
	defer srv.Close()
	client := &http.Client{Transport: ModelTransport(nil, m)}
	for _, path := range []string{
		"/v1/chat/completions",
		"/openai/deployments/gpt-4o-mini/chat/completions?fail=1",
		"/v1/embeddings",
		"/v1/embeddings",
		"/v1/embeddings?fail=1",
		"/v1/models",
	} {
		resp, err := client.Post(srv.URL+path, "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	// A transport error (nothing listening) is a failure too.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	if _, err := client.Post(dead.URL+"/v1/chat/completions", "application/json", nil); err == nil {
		t.Fatal("want an error from a closed server")
	}
	wantLines(t, scrape(t, m),
		"faqbot_llm_calls_total 3",
		"faqbot_llm_failures_total 2",
		"faqbot_embedding_calls_total 3",
		"faqbot_embedding_failures_total 1",
	)
}

type fakeReloader struct{ err error }

func (f fakeReloader) Refresh(context.Context, string) (corpus.Changes, error) {
	return corpus.Changes{NewVersion: "v2"}, f.err
}

type fakeEscalator struct{ err error }

func (f fakeEscalator) Escalate(context.Context, bot.Escalation) error { return f.err }

func TestDecoratorsAndTypedCounters(t *testing.T) {
	m := New()
	ctx := context.Background()
	NewRefresher(fakeReloader{}, m).Refresh(ctx, "")
	NewRefresher(fakeReloader{errors.New("bad source")}, m).Refresh(ctx, "x")
	NewEscalator(fakeEscalator{}, "slack", m).Escalate(ctx, bot.Escalation{Reason: bot.ExtensionRequest})
	NewEscalator(fakeEscalator{errors.New("channel_not_found")}, "teams", m).Escalate(ctx, bot.Escalation{Reason: bot.UserRequest})
	m.PlatformAPIError("slack", "chat.postMessage")
	m.HTTPRequest("POST /api/ask", 200, 30*time.Millisecond)
	m.HTTPRequest("", 404, time.Millisecond)
	wantLines(t, scrape(t, m),
		`faqbot_refreshes_total{result="ok"} 1`,
		`faqbot_refreshes_total{result="error"} 1`,
		`faqbot_escalations_total{destination="slack",reason="extension_request",result="ok"} 1`,
		`faqbot_escalations_total{destination="teams",reason="user_request",result="error"} 1`,
		`faqbot_platform_api_errors_total{call="chat.postMessage",platform="slack"} 1`,
		`faqbot_http_requests_total{code="200",route="POST /api/ask"} 1`,
		`faqbot_http_requests_total{code="404",route="unmatched"} 1`,
	)
}

func TestTrackCorpus(t *testing.T) {
	m := New()
	var cur *corpus.Corpus
	if err := m.TrackCorpus(func() *corpus.Corpus { return cur }); err != nil {
		t.Fatal(err)
	}
	text := scrape(t, m)
	wantLines(t, text, "faqbot_index_ready 0")
	if strings.Contains(text, "faqbot_corpus_info{") {
		t.Error("corpus info before any corpus is loaded")
	}
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	cur = c
	text = scrape(t, m)
	wantLines(t, text,
		"faqbot_index_ready 1",
		`faqbot_corpus_info{source="`+c.Source+`",version="`+c.Version+`"} 1`,
	)
	if !strings.Contains(text, "\nfaqbot_corpus_sections ") || strings.Contains(text, "\nfaqbot_corpus_sections 0\n") {
		t.Error("want a non-zero faqbot_corpus_sections")
	}
}

func TestNilMetricsRecordNothing(t *testing.T) {
	var m *Metrics
	m.Question("api", Answered, "", time.Second)
	m.LLMCall(nil)
	m.EmbeddingCall(errors.New("x"))
	m.PlatformAPIError("slack", "x")
	m.Escalation("slack", "x", nil)
	m.Refresh(nil)
	m.HTTPRequest("/", 200, 0)
}

func TestModelFallbacksAreCountedByReason(t *testing.T) {
	m := New()
	m.ModelFallback("unverified")
	m.ModelFallback("unverified")
	m.ModelFallback("timeout")
	wantLines(t, scrape(t, m),
		`faqbot_llm_fallbacks_total{reason="unverified"} 2`,
		`faqbot_llm_fallbacks_total{reason="timeout"} 1`)
}
