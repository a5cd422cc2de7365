package metrics

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
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

func TestTypedCounters(t *testing.T) {
	m := New()
	m.Question("api", "answered", "", 30*time.Millisecond)
	m.Question("", "escalated", "extension_request", time.Millisecond)
	m.Refresh(nil)
	m.Refresh(errors.New("bad source"))
	m.Escalation("slack", "extension_request", nil)
	m.Escalation("teams", "user_request", errors.New("channel_not_found"))
	m.PlatformAPIError("slack", "chat.postMessage")
	m.HTTPRequest("POST /api/ask", 200, 30*time.Millisecond)
	m.HTTPRequest("", 404, time.Millisecond)
	wantLines(t, scrape(t, m),
		`faqbot_questions_total{outcome="answered",reason="",transport="api"} 1`,
		`faqbot_questions_total{outcome="escalated",reason="extension_request",transport="unknown"} 1`,
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
	var cur *CorpusInfo
	if err := m.TrackCorpus(func() (CorpusInfo, bool) {
		if cur == nil {
			return CorpusInfo{}, false
		}
		return *cur, true
	}); err != nil {
		t.Fatal(err)
	}
	text := scrape(t, m)
	wantLines(t, text, "faqbot_index_ready 0")
	if strings.Contains(text, "faqbot_corpus_info{") {
		t.Error("corpus info before any corpus is loaded")
	}
	cur = &CorpusInfo{Version: "abc123", Source: "embedded:transition-faqs.md", Sections: 16}
	wantLines(t, scrape(t, m),
		"faqbot_index_ready 1",
		`faqbot_corpus_info{source="embedded:transition-faqs.md",version="abc123"} 1`,
		"faqbot_corpus_sections 16",
	)
}

// TestNilMetricsRecordNothing calls every exported method on a nil
// *Metrics, which optional wiring relies on; reflection keeps the test
// honest when a method is added.
func TestNilMetricsRecordNothing(t *testing.T) {
	var m *Metrics
	typ := reflect.TypeOf(m)
	for i := range typ.NumMethod() {
		meth := typ.Method(i)
		args := []reflect.Value{reflect.ValueOf(m)}
		for j := 1; j < meth.Type.NumIn(); j++ {
			args = append(args, reflect.Zero(meth.Type.In(j)))
		}
		t.Run(meth.Name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("nil *Metrics panics in %s: %v", meth.Name, r)
				}
			}()
			meth.Func.Call(args)
		})
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("nil metrics handler: status %d", rec.Code)
	}
}

func TestModelFallbacksAreCountedByReason(t *testing.T) {
	m := New()
	m.ModelFallback("unverified")
	m.ModelFallback("unverified")
	m.ModelFallback("timeout")
	m.UngroundedSentences(3)
	m.UngroundedSentences(1)
	wantLines(t, scrape(t, m),
		`faqbot_llm_fallbacks_total{reason="unverified"} 2`,
		`faqbot_llm_fallbacks_total{reason="timeout"} 1`,
		`faqbot_llm_sentences_dropped_total 4`)
}
