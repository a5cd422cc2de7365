package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/llm/llmtest"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/store"
)

// waitLimit bounds every wait for the server; tests never sleep for speed.
const waitLimit = 30 * time.Second

// logSink is standard error for a server under test: it keeps the output
// and the JSON log lines, and lets a test wait for a message.
type logSink struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	partial []byte
	lines   []map[string]any
	changed chan struct{}
}

func newLogSink() *logSink { return &logSink{changed: make(chan struct{})} }

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		var m map[string]any
		if json.Unmarshal(l.partial[:i], &m) == nil {
			l.lines = append(l.lines, m)
		}
		l.partial = l.partial[i+1:]
	}
	close(l.changed)
	l.changed = make(chan struct{})
	return len(p), nil
}

func (l *logSink) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// find returns the first log line with message msg.
func (l *logSink) find(msg string) (map[string]any, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range l.lines {
		if m["msg"] == msg {
			return m, nil
		}
	}
	return nil, l.changed
}

// waitFor waits for a log line with message msg, failing the test when the
// process exits first.
func (l *logSink) waitFor(t *testing.T, msg string, exited <-chan struct{}) map[string]any {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		m, changed := l.find(msg)
		if m != nil {
			return m
		}
		select {
		case <-changed:
		case <-exited:
			if m, _ := l.find(msg); m != nil {
				return m
			}
			t.Fatalf("faqbot exited before logging %q:\n%s", msg, l)
		case <-deadline:
			t.Fatalf("no %q log line after %v:\n%s", msg, waitLimit, l)
		}
	}
}

// serveRun is `faqbot serve` running in-process through run().
type serveRun struct {
	t      *testing.T
	url    string
	logs   *logSink
	cancel context.CancelFunc
	exited chan struct{}
	code   int
}

// startServe runs `faqbot serve` with only env (plus a random port and a
// fresh data dir) and waits until it listens.
func startServe(t *testing.T, env map[string]string) *serveRun {
	t.Helper()
	env = withDefaults(t, env)
	ctx, cancel := context.WithCancel(context.Background())
	s := &serveRun{t: t, logs: newLogSink(), cancel: cancel, exited: make(chan struct{})}
	go func() {
		defer close(s.exited)
		s.code = run(ctx, []string{"serve"}, strings.NewReader(""), io.Discard, s.logs, func(k string) string { return env[k] })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.exited:
		case <-time.After(waitLimit):
			t.Errorf("faqbot serve did not stop")
		}
	})
	line := s.logs.waitFor(t, "listening", s.exited)
	s.url = "http://" + line["addr"].(string)
	return s
}

func withDefaults(t *testing.T, env map[string]string) map[string]string {
	out := map[string]string{"FAQBOT_ADDR": "127.0.0.1:0", "FAQBOT_DATA_DIR": t.TempDir()}
	for k, v := range env {
		out[k] = v
	}
	return out
}

// ready waits for the first index and returns the start-up line.
func (s *serveRun) ready() map[string]any {
	s.t.Helper()
	return s.logs.waitFor(s.t, "faqbot ready", s.exited)
}

// stop cancels run's context, as SIGTERM does, and returns the exit status.
func (s *serveRun) stop() int {
	s.t.Helper()
	s.cancel()
	select {
	case <-s.exited:
		return s.code
	case <-time.After(waitLimit):
		s.t.Fatalf("faqbot serve did not stop:\n%s", s.logs)
		return -1
	}
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func do(t *testing.T, method, url, body string, header ...string) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		// As API clients send it; tests that mean otherwise set their own.
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{resp.StatusCode, resp.Header, data}
}

func askJSON(q string) string {
	data, _ := json.Marshal(map[string]string{"question": q})
	return string(data)
}

func decodeAnswer(t *testing.T, r reply) bot.Answer {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", r.status, r.body)
	}
	var a bot.Answer
	if err := json.Unmarshal(r.body, &a); err != nil {
		t.Fatalf("not an answer: %v\n%s", err, r.body)
	}
	return a
}

func wantMetrics(t *testing.T, text string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(text, "\n"+l+"\n") {
			t.Errorf("/metrics lacks %q", l)
		}
	}
}

func TestServeWithNothingConfigured(t *testing.T) {
	s := startServe(t, nil)
	start := s.ready()
	for k, want := range map[string]any{"answers": "offline (extractive)", "slack": "off", "teams": "off", "admin_refresh": "off"} {
		if start[k] != want {
			t.Errorf("start-up line %s = %v, want %v", k, start[k], want)
		}
	}
	version, _ := start["corpus_version"].(string)
	if version == "" || start["sections"].(float64) < 10 {
		t.Errorf("start-up line lacks the corpus: %v", start)
	}

	const segments = "What happens to outbound marketing segments when outbound marketing is removed?"
	a := decodeAnswer(t, do(t, "POST", s.url+"/api/ask", askJSON(segments)))
	if !a.Answered || len(a.Citations) == 0 || a.Mode != bot.ModeExtractive || a.CorpusVersion != version {
		t.Fatalf("answer = %+v", a)
	}
	for _, c := range a.Citations {
		if !strings.HasPrefix(c.URL, "https://learn.microsoft.com/") {
			t.Errorf("citation URL %q", c.URL)
		}
	}
	followUp := `{"question": "and what about forms?", "history": [{"role": "user", "text": ` + fmt.Sprintf("%q", segments) + `}, {"role": "bot", "text": "They stay [1]."}]}`
	decodeAnswer(t, do(t, "POST", s.url+"/api/ask", followUp))
	ext := decodeAnswer(t, do(t, "POST", s.url+"/api/ask", askJSON("Can we get an extension to keep using outbound marketing?")))
	if !ext.Escalate || ext.EscalationReason != bot.ExtensionRequest {
		t.Errorf("extension request: escalate %v reason %q", ext.Escalate, ext.EscalationReason)
	}

	bad := []struct {
		name, method, path, body string
		want                     int
	}{
		{"bad JSON", "POST", "/api/ask", `{"question": "unterminated`, 400},
		{"empty question", "POST", "/api/ask", `{"question": ""}`, 400},
		{"oversized body", "POST", "/api/ask", askJSON(strings.Repeat("why ", 20_000)), 413},
		{"wrong method", "GET", "/api/ask", "", 405},
		{"admin off", "POST", "/admin/refresh", "", 404},
	}
	for _, c := range bad {
		r := do(t, c.method, s.url+c.path, c.body)
		if r.status != c.want {
			t.Errorf("%s: status %d, want %d (%s)", c.name, r.status, c.want, r.body)
		}
		if c.method == "POST" && c.want != 404 {
			var e struct{ Error string }
			if json.Unmarshal(r.body, &e) != nil || e.Error == "" {
				t.Errorf("%s: body %s is not a JSON error", c.name, r.body)
			}
		}
	}

	if r := do(t, "POST", s.url+"/api/ask", "question=What+changes%3F", "Content-Type", "application/x-www-form-urlencoded"); r.status != http.StatusUnsupportedMediaType {
		t.Errorf("a cross-site form's request: status %d, want 415 (%s)", r.status, r.body)
	}

	for path, want := range map[string]string{"/": "<form", "/healthz": `"ok"`, "/readyz": version} {
		r := do(t, "GET", s.url+path, "")
		if r.status != 200 || !strings.Contains(string(r.body), want) {
			t.Errorf("GET %s: status %d body %.200s", path, r.status, r.body)
		}
	}

	metrics := do(t, "GET", s.url+"/metrics", "")
	wantMetrics(t, string(metrics.body),
		`faqbot_questions_total{outcome="answered",reason="",transport="api"} 2`,
		`faqbot_questions_total{outcome="escalated",reason="extension_request",transport="api"} 1`,
		`faqbot_answer_duration_seconds_count{transport="api"} 3`,
		`faqbot_http_requests_total{code="400",route="POST /api/ask"} 2`,
		`faqbot_http_requests_total{code="413",route="POST /api/ask"} 1`,
		`faqbot_http_requests_total{code="415",route="POST /api/ask"} 1`,
		`faqbot_refreshes_total{result="ok"} 1`,
		`faqbot_index_ready 1`,
		`faqbot_corpus_info{source="embedded:transition-faqs.md",version="`+version+`"} 1`,
		`faqbot_llm_calls_total 0`,
	)

	if code := s.stop(); code != exitOK {
		t.Fatalf("exit %d, want 0:\n%s", code, s.logs)
	}
	logs := s.logs.String()
	if strings.Contains(logs, "segments when outbound") {
		t.Error("a user's question was logged at info level")
	}
	if _, changed := s.logs.find("stopped"); changed != nil {
		t.Error(`no "stopped" log line`)
	}
}

// blockingCorpus serves the FAQ only once release is closed.
func blockingCorpus(t *testing.T) (url string, release func()) {
	t.Helper()
	faq, err := os.ReadFile(filepath.Join("..", "..", "corpus", corpus.DefaultName))
	if err != nil {
		t.Fatal(err)
	}
	gate := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
		w.Write(faq)
	}))
	release = func() { once.Do(func() { close(gate) }) }
	t.Cleanup(srv.Close)
	t.Cleanup(release)
	return srv.URL + "/transition-faqs.md", release
}

func TestReadyzWaitsForTheFirstIndex(t *testing.T) {
	source, release := blockingCorpus(t)
	s := startServe(t, map[string]string{"FAQBOT_CORPUS": source})

	if r := do(t, "GET", s.url+"/healthz", ""); r.status != 200 {
		t.Errorf("/healthz during the build: %d, want 200", r.status)
	}
	if r := do(t, "GET", s.url+"/readyz", ""); r.status != 503 {
		t.Errorf("/readyz during the build: %d, want 503", r.status)
	}
	r := do(t, "POST", s.url+"/api/ask", askJSON("What changes?"))
	if r.status != 503 || !strings.Contains(string(r.body), `"error"`) || r.header.Get("Retry-After") == "" {
		t.Errorf("/api/ask during the build: %d %s, want 503 with a JSON error and Retry-After", r.status, r.body)
	}
	if !strings.Contains(string(do(t, "GET", s.url+"/", "").body), "<form") {
		t.Error("the chat page is not served during the build")
	}
	wantMetrics(t, string(do(t, "GET", s.url+"/metrics", "").body), "faqbot_index_ready 0")

	release()
	s.ready()
	if r := do(t, "GET", s.url+"/readyz", ""); r.status != 200 {
		t.Errorf("/readyz after the build: %d, want 200", r.status)
	}
	decodeAnswer(t, do(t, "POST", s.url+"/api/ask", askJSON("What changes did Microsoft announce?")))
	if code := s.stop(); code != exitOK {
		t.Fatalf("exit %d, want 0", code)
	}
}

func TestSignalDuringFirstBuildExitsZero(t *testing.T) {
	source, _ := blockingCorpus(t)
	s := startServe(t, map[string]string{"FAQBOT_CORPUS": source})
	if code := s.stop(); code != exitOK {
		t.Fatalf("exit %d, want 0:\n%s", code, s.logs)
	}
}

func TestGracefulShutdownFinishesInFlightAnswer(t *testing.T) {
	entered := make(chan struct{})
	gate := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(gate) }) }
	t.Cleanup(release)
	model := llmtest.NewServer(t, func(n int, req openai.ChatCompletionRequest) llmtest.Reply {
		if n == 0 {
			close(entered)
			<-gate
		}
		return llmtest.Answer("Outbound marketing is phased out gradually [1].")
	})
	s := startServe(t, map[string]string{
		"OPENAI_BASE_URL":   model.BaseURL(),
		"OPENAI_API_KEY":    "sk-test",
		"FAQBOT_EMBEDDINGS": "local",
	})
	s.ready()

	answered := make(chan reply, 1)
	go func() {
		answered <- do(t, "POST", s.url+"/api/ask", askJSON("What will happen after June 30, 2025? Will outbound marketing stop working?"))
	}()
	<-entered // the answer is in flight, waiting for the model

	s.cancel() // SIGTERM
	s.logs.waitFor(t, "shutting down", s.exited)
	addr := strings.TrimPrefix(s.url, "http://")
	for deadline := time.Now().Add(waitLimit); ; {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			break // no longer accepting
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections while shutting down")
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case <-s.exited:
		t.Fatalf("faqbot exited with an answer in flight:\n%s", s.logs)
	default:
	}

	release()
	a := decodeAnswer(t, <-answered)
	if a.Mode != bot.ModeLLM || !strings.Contains(a.Text, "phased out gradually") {
		t.Errorf("in-flight answer = %+v, want the model's", a)
	}
	if code := s.stop(); code != exitOK {
		t.Fatalf("exit %d, want 0:\n%s", code, s.logs)
	}
	wantLine := `"msg":"stopped"`
	if !strings.Contains(s.logs.String(), wantLine) {
		t.Errorf("logs lack %s", wantLine)
	}
}

// testStore opens cfg's records for a server under test; the server
// closes them, and so does the test's end.
func testStore(t *testing.T, cfg config) *store.Store {
	t.Helper()
	st, err := openStore(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// askerFunc adapts a function to web.Asker.
type askerFunc func(ctx context.Context, q bot.Question) (bot.Answer, error)

func (f askerFunc) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) { return f(ctx, q) }

// internalServer runs the server on a listener of the test's with asker in
// place of the bot.
func internalServer(t *testing.T, asker askerFunc, grace time.Duration) (url string, logs *logSink, stop func() error) {
	t.Helper()
	env := withDefaults(t, nil)
	cfg, err := loadConfig(func(k string) string { return env[k] }, "", "")
	if err != nil {
		t.Fatal(err)
	}
	logs = newLogSink()
	a, err := newApp(cfg, slog.New(slog.NewJSONHandler(logs, nil)), appOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(a, testStore(t, cfg))
	s.asker, s.grace = asker, grace
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	exited := make(chan struct{})
	var serveErr error
	go func() {
		defer close(exited)
		serveErr = s.serve(ctx, ln)
	}()
	logs.waitFor(t, "faqbot ready", exited)
	stop = func() error {
		cancel()
		<-exited
		return serveErr
	}
	t.Cleanup(func() { stop() })
	return "http://" + ln.Addr().String(), logs, stop
}

func TestHandlerPanicReturns500AndServerKeepsServing(t *testing.T) {
	url, logs, stop := internalServer(t, func(context.Context, bot.Question) (bot.Answer, error) {
		panic("asker exploded")
	}, time.Second)
	for range 2 {
		r := do(t, "POST", url+"/api/ask", askJSON("boom?"))
		var e struct{ Error string }
		if r.status != 500 || json.Unmarshal(r.body, &e) != nil || e.Error == "" {
			t.Fatalf("panicking handler: %d %s, want 500 with a JSON error", r.status, r.body)
		}
		if r := do(t, "GET", url+"/healthz", ""); r.status != 200 {
			t.Fatalf("after a panic /healthz = %d", r.status)
		}
	}
	if !strings.Contains(logs.String(), "asker exploded") || !strings.Contains(logs.String(), `"msg":"handler panicked"`) {
		t.Errorf("the panic was not logged:\n%s", logs)
	}
	wantMetrics(t, string(do(t, "GET", url+"/metrics", "").body), `faqbot_http_requests_total{code="500",route="POST /api/ask"} 2`)
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
}

func TestShutdownGivesUpAfterGrace(t *testing.T) {
	entered := make(chan struct{})
	url, _, stop := internalServer(t, func(ctx context.Context, q bot.Question) (bot.Answer, error) {
		close(entered)
		<-ctx.Done() // a hung model call; only cancellation ends it
		return bot.Answer{}, ctx.Err()
	}, 50*time.Millisecond)
	go http.Post(url+"/api/ask", "application/json", strings.NewReader(askJSON("hang?")))
	<-entered
	err := stop()
	if err == nil || !strings.Contains(err.Error(), "drain requests") {
		t.Fatalf("serve = %v, want a shutdown error naming the requests it could not drain", err)
	}
	if got := report(err, streams{out: io.Discard, err: io.Discard}); got != exitFailure {
		t.Errorf("exit status %d, want %d", got, exitFailure)
	}
}

// versionsDir holds dated copies of the FAQ in the shared workspace.
var versionsDir = filepath.Join("..", "..", "..", "shared", "corpus", "versions")

func versionFile(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(versionsDir, name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("FAQ versions not available (%v); they live in ../shared/corpus/versions", err)
	}
	return p
}

func TestAdminRefresh(t *testing.T) {
	older := versionFile(t, "transition-faqs@2025-06-04.md")
	newer := versionFile(t, "transition-faqs@2026-01-29.md")
	const token = "admin-SECRET-7f3a"
	s := startServe(t, map[string]string{"FAQBOT_ADMIN_TOKEN": token, "FAQBOT_CORPUS": older})
	start := s.ready()
	if start["admin_refresh"] != "on" {
		t.Errorf("start-up line admin_refresh = %v, want on", start["admin_refresh"])
	}
	first := start["corpus_version"].(string)

	for _, auth := range []string{"", "Bearer not-the-token"} {
		if r := do(t, "POST", s.url+"/admin/refresh", "", "Authorization", auth); r.status != 401 {
			t.Errorf("Authorization %q: status %d, want 401", auth, r.status)
		}
	}
	r := do(t, "POST", s.url+"/admin/refresh", `{"source": "`+newer+`"}`, "Authorization", "Bearer "+token)
	var changes struct {
		corpus.Changes
		Summary string `json:"summary"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &changes) != nil {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	if changes.OldVersion != first || changes.NewVersion == first || changes.Empty() || changes.Summary == "" {
		t.Fatalf("change summary %s", r.body)
	}
	if a := decodeAnswer(t, do(t, "POST", s.url+"/api/ask", askJSON("What changes?"))); a.CorpusVersion != changes.NewVersion {
		t.Errorf("answers come from %s after the refresh, want %s", a.CorpusVersion, changes.NewVersion)
	}

	r = do(t, "POST", s.url+"/admin/refresh", `{"source": "`+filepath.Join(t.TempDir(), "gone.md")+`"}`, "Authorization", "Bearer "+token)
	if r.status < 400 || !strings.Contains(string(r.body), `"error"`) || !strings.Contains(string(r.body), changes.NewVersion) {
		t.Errorf("broken source: %d %s, want an error naming the serving version", r.status, r.body)
	}
	if a := decodeAnswer(t, do(t, "POST", s.url+"/api/ask", askJSON("What changes?"))); a.CorpusVersion != changes.NewVersion {
		t.Errorf("a failed refresh changed the serving corpus to %s", a.CorpusVersion)
	}
	wantMetrics(t, string(do(t, "GET", s.url+"/metrics", "").body),
		`faqbot_refreshes_total{result="ok"} 2`,
		`faqbot_refreshes_total{result="error"} 1`,
	)
	if code := s.stop(); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if strings.Contains(s.logs.String(), token) {
		t.Error("the admin token was logged")
	}
}

func TestHealthcheckCommand(t *testing.T) {
	source, release := blockingCorpus(t)
	s := startServe(t, map[string]string{"FAQBOT_CORPUS": source})
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(s.url, "http://"))
	healthcheck := func(args ...string) int {
		env := map[string]string{"FAQBOT_ADDR": ":" + port} // as in the container: a wildcard address
		return run(context.Background(), append([]string{"healthcheck"}, args...), strings.NewReader(""), io.Discard, io.Discard,
			func(k string) string { return env[k] })
	}
	if code := healthcheck(); code != exitOK {
		t.Errorf("healthcheck while loading: exit %d, want 0 (the process is alive)", code)
	}
	if code := healthcheck("--ready"); code != exitFailure {
		t.Errorf("healthcheck --ready while loading: exit %d, want 1", code)
	}
	release()
	s.ready()
	if code := healthcheck("--ready"); code != exitOK {
		t.Errorf("healthcheck --ready once ready: exit %d, want 0", code)
	}
	s.stop()
	if code := healthcheck(); code != exitFailure {
		t.Errorf("healthcheck after stop: exit %d, want 1", code)
	}
}
