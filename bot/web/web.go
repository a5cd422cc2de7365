// Package web serves faqbot to browsers and scripts: the local web chat at
// GET /, the JSON API POST /api/ask, and the admin endpoint POST
// /admin/refresh.
package web

import (
	"log/slog"
	"net/http"

	"github.com/faqbot/faqbot/bot"
)

// Transport names questions from this package in metrics and logs.
const Transport = "api"

// Limits on what a client may send.
const (
	// DefaultMaxBodyBytes bounds a POST /api/ask body: a question and a
	// short thread fit in a few kilobytes.
	DefaultMaxBodyBytes = 64 << 10
)

// Chat is the web chat page and the API it calls.
type Chat struct {
	asker        bot.Asker
	log          *slog.Logger
	maxBodyBytes int64
}

// ChatOptions configure a Chat. All fields are optional.
type ChatOptions struct {
	Logger *slog.Logger
	// MaxBodyBytes bounds request bodies (DefaultMaxBodyBytes when zero).
	MaxBodyBytes int64
}

// NewChat returns the chat for asker.
func NewChat(asker bot.Asker, opts ChatOptions) *Chat {
	c := &Chat{asker: asker, log: opts.Logger, maxBodyBytes: opts.MaxBodyBytes}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.maxBodyBytes <= 0 {
		c.maxBodyBytes = DefaultMaxBodyBytes
	}
	return c
}

// Register mounts GET /, its assets and POST /api/ask on mux.
func (c *Chat) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", c.servePage)
	mux.Handle("GET /assets/", c.assets())
	mux.Handle("POST /api/ask", http.HandlerFunc(c.serveAsk))
}
