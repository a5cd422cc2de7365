package httpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// syncBuffer is a log sink the server's goroutines can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type observed struct {
	route  string
	status int
}

func newTestServer(t *testing.T) (*httptest.Server, *syncBuffer, func() []observed) {
	t.Helper()
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var mu sync.Mutex
	var seen []observed
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ok", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "fine") })
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	mux.HandleFunc("GET /panic", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	mux.HandleFunc("GET /panic-late", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "partial")
		panic("late boom")
	})
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		data, err := io.ReadAll(r.Body)
		if TooLarge(err) {
			WriteError(w, http.StatusRequestEntityTooLarge, "too large")
			return
		}
		w.Write(data)
	})
	h := Chain(mux,
		LogRequests(log, LogOptions{
			Quiet: func(r *http.Request) bool { return r.URL.Path == "/healthz" },
			Observe: func(route string, status int, _ time.Duration) {
				mu.Lock()
				defer mu.Unlock()
				seen = append(seen, observed{route, status})
			},
		}),
		Recover(log),
		LimitBody(16),
	)
	srv := httptest.NewUnstartedServer(h)
	srv.Config = New(h, Config{Logger: log})
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, logs, func() []observed {
		mu.Lock()
		defer mu.Unlock()
		return append([]observed(nil), seen...)
	}
}

func TestPanicBecomes500AndServerKeepsServing(t *testing.T) {
	srv, logs, _ := newTestServer(t)
	resp, err := http.Get(srv.URL + "/panic")
	if err != nil {
		t.Fatal(err)
	}
	var body ErrorBody
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || body.Error == "" {
		t.Fatalf("panic: status %d, body %+v; want 500 with a JSON error", resp.StatusCode, body)
	}
	if !strings.Contains(logs.String(), `"msg":"handler panicked"`) || !strings.Contains(logs.String(), "boom") {
		t.Errorf("panic not logged:\n%s", logs)
	}
	// A panic after the reply started cannot become a 500: the connection
	// is cut so the client sees an error, not a truncated success.
	if resp, err := http.Get(srv.URL + "/panic-late"); err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil {
			t.Error("late panic: want a broken response")
		}
	}
	resp, err = http.Get(srv.URL + "/ok")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("after panics: status %d, want 200", resp.StatusCode)
	}
}

func TestLogRequests(t *testing.T) {
	srv, logs, seen := newTestServer(t)
	for _, p := range []string{"/ok?secret=token", "/healthz", "/nowhere"} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	want := []observed{{"GET /ok", 200}, {"GET /healthz", 200}, {"", 404}}
	got := seen()
	if len(got) != len(want) {
		t.Fatalf("observed %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("observed[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 3 {
		t.Fatalf("want 3 request logs, got:\n%s", logs)
	}
	if lines[0]["route"] != "GET /ok" || lines[0]["status"] != 200.0 || lines[0]["level"] != "INFO" {
		t.Errorf("first log = %v", lines[0])
	}
	if lines[1]["level"] != "DEBUG" {
		t.Errorf("probe logged at %v, want DEBUG", lines[1]["level"])
	}
	if strings.Contains(logs.String(), "secret=token") {
		t.Error("query string logged")
	}
}

func TestLimitBody(t *testing.T) {
	srv, _, _ := newTestServer(t)
	cases := []struct {
		name string
		body io.Reader
		want int
	}{
		{"small", strings.NewReader("hello"), 200},
		{"declared too large", strings.NewReader(strings.Repeat("x", 17)), 413},
		// No Content-Length: the limit trips while reading.
		{"chunked too large", io.MultiReader(strings.NewReader(strings.Repeat("x", 40))), 413},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err := http.Post(srv.URL+"/echo", "text/plain", c.body)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Errorf("status %d, want %d", resp.StatusCode, c.want)
			}
		})
	}
}

func TestNewSetsLimits(t *testing.T) {
	s := New(http.NotFoundHandler(), Config{WriteTimeout: 5 * time.Second})
	if s.ReadHeaderTimeout != DefaultReadHeaderTimeout || s.ReadTimeout != DefaultReadTimeout ||
		s.IdleTimeout != DefaultIdleTimeout || s.MaxHeaderBytes != DefaultMaxHeaderBytes {
		t.Errorf("defaults not applied: %+v", s)
	}
	if s.WriteTimeout != 5*time.Second {
		t.Errorf("WriteTimeout = %v, want 5s", s.WriteTimeout)
	}
}

func TestBackgroundWaitsForWork(t *testing.T) {
	b := NewBackground(nil)
	release := make(chan struct{})
	done := make(chan struct{})
	b.Go(func(ctx context.Context) {
		<-release
		if ctx.Err() != nil {
			t.Error("work cancelled before Wait gave up")
		}
		close(done)
	})
	waited := make(chan error, 1)
	go func() { waited <- b.Wait(context.Background()) }()
	select {
	case err := <-waited:
		t.Fatalf("Wait returned %v before the work finished", err)
	default:
	}
	close(release)
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	default:
		t.Fatal("Wait returned before the work finished")
	}
	// Work started after Wait began runs at once, in the caller.
	ran := false
	b.Go(func(context.Context) { ran = true })
	if !ran {
		t.Error("late work did not run")
	}
}

func TestBackgroundWaitGivesUp(t *testing.T) {
	b := NewBackground(nil)
	cancelled := make(chan struct{})
	b.Go(func(ctx context.Context) {
		<-ctx.Done()
		close(cancelled)
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait = %v, want context.Canceled", err)
	}
	<-cancelled
}

func TestBackgroundSurvivesPanics(t *testing.T) {
	logs := &syncBuffer{}
	b := NewBackground(slog.New(slog.NewJSONHandler(logs, nil)))
	b.Go(func(context.Context) { panic("background boom") })
	if err := b.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "background boom") {
		t.Errorf("panic not logged: %s", logs)
	}
}

func TestBackgroundStartRefusesOnceWaitBegins(t *testing.T) {
	b := NewBackground(nil)
	if b.Closing() {
		t.Fatal("a new tracker is closing")
	}
	if err := b.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ran := false
	if b.Start(func(context.Context) { ran = true }) || ran || !b.Closing() {
		t.Errorf("Start after Wait ran the work (%v) or said it would", ran)
	}
}

func TestBackgroundWaitReturnsOnlyOnceCancelledWorkHasReturned(t *testing.T) {
	b := NewBackground(nil)
	var lastWord atomic.Bool
	b.Go(func(ctx context.Context) {
		<-ctx.Done()
		time.Sleep(20 * time.Millisecond) // an apology on its own deadline
		lastWord.Store(true)
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait = %v, want context.Canceled", err)
	}
	if !lastWord.Load() {
		t.Error("Wait returned while cancelled work was still running")
	}
}
