package httpserver

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain wraps h in mws, the first outermost.
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// Recover turns a panicking handler into a 500 reply and an error log with
// the stack, so one bad request cannot take the process down.
func Recover(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sw := wrap(w)
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("handler panicked", "method", r.Method, "path", r.URL.Path, "route", r.Pattern,
					"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if sw.wrote {
					// Half a reply is out; abort the connection so the
					// client sees a failure rather than a truncated body.
					panic(http.ErrAbortHandler)
				}
				WriteError(sw, http.StatusInternalServerError, "internal error")
			}()
			next.ServeHTTP(sw, r)
		})
	}
}

// LogOptions tune LogRequests.
type LogOptions struct {
	// Quiet requests (probes, scrapes) are logged at debug level when they
	// succeed.
	Quiet func(r *http.Request) bool
	// Observe, when set, sees every request: route is the ServeMux pattern
	// that matched ("" for none).
	Observe func(route string, status int, took time.Duration)
}

// LogRequests logs one line per request: method, path, matched route,
// status, size and duration. Query strings and bodies are left out: they
// can hold users' questions and tokens.
func LogRequests(log *slog.Logger, opts LogOptions) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw := wrap(w)
			// Deferred so that a request whose handler aborts is logged too.
			defer func() {
				took := time.Since(start)
				status := sw.status
				if !sw.wrote {
					status = http.StatusOK
				}
				level := slog.LevelInfo
				switch {
				case status >= 500:
					level = slog.LevelWarn
				case status < 400 && opts.Quiet != nil && opts.Quiet(r):
					level = slog.LevelDebug
				}
				log.LogAttrs(r.Context(), level, "request",
					slog.String("method", r.Method), slog.String("path", r.URL.Path),
					slog.String("route", r.Pattern), slog.Int("status", status),
					slog.Int64("bytes", sw.bytes), slog.Float64("duration_ms", float64(took.Microseconds())/1000),
					slog.String("remote", r.RemoteAddr))
				if opts.Observe != nil {
					opts.Observe(r.Pattern, status, took)
				}
			}()
			next.ServeHTTP(sw, r)
		})
	}
}

// LimitBody caps request bodies at n bytes. Reading past the cap fails with
// an error that TooLarge recognises; handlers then reply 413.
func LimitBody(n int64) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				WriteError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", n))
				return
			}
			// Set in place, not on a copy, so that outer middleware still
			// sees the pattern ServeMux records on this request.
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

// TooLarge reports whether err comes from reading past a body limit.
func TooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// statusWriter remembers what a handler replied.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func wrap(w http.ResponseWriter) *statusWriter {
	return &statusWriter{ResponseWriter: w, status: http.StatusOK}
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote && code >= 200 {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	w.wrote = true
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer (to flush or
// extend deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush keeps streaming handlers working behind the wrapper.
func (w *statusWriter) Flush() {
	w.wrote = true
	http.NewResponseController(w.ResponseWriter).Flush()
}
