// Package httpserver holds the HTTP plumbing every faqbot endpoint shares:
// a hardened http.Server, middleware for panics, request logs and body
// limits, JSON replies, and a tracker for work that outlives a request.
package httpserver

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Config sets the server's limits; zero fields take the defaults below.
type Config struct {
	// ReadHeaderTimeout bounds slow clients sending headers (slowloris).
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included.
	ReadTimeout time.Duration
	// WriteTimeout bounds a handler and its reply; it must exceed the
	// slowest answer (two model calls with retries). A handler that needs
	// longer extends its own deadline with http.ResponseController.
	WriteTimeout time.Duration
	// IdleTimeout closes keep-alive connections nobody uses.
	IdleTimeout    time.Duration
	MaxHeaderBytes int
	// BaseContext is the parent of every request's context. It must not be
	// the context that a signal cancels: in-flight answers should finish
	// during a graceful shutdown, not fail.
	BaseContext context.Context
	Logger      *slog.Logger
}

// Defaults for Config.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 30 * time.Second
	DefaultWriteTimeout      = 60 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultMaxHeaderBytes    = 64 << 10
)

// New returns a server for h with c's limits.
func New(h http.Handler, c Config) *http.Server {
	log := c.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base := c.BaseContext
	if base == nil {
		base = context.Background()
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: orDefault(c.ReadHeaderTimeout, DefaultReadHeaderTimeout),
		ReadTimeout:       orDefault(c.ReadTimeout, DefaultReadTimeout),
		WriteTimeout:      orDefault(c.WriteTimeout, DefaultWriteTimeout),
		IdleTimeout:       orDefault(c.IdleTimeout, DefaultIdleTimeout),
		MaxHeaderBytes:    orDefault(c.MaxHeaderBytes, DefaultMaxHeaderBytes),
		BaseContext:       func(net.Listener) context.Context { return base },
		// net/http reports TLS handshake and similar errors here.
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
