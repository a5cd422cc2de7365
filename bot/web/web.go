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

	suggester     bot.Suggester
	feedback      bot.FeedbackRecorder
	escalator     bot.Escalator
	contact       string
	faqDate       func() string
	escalateLimit *limiter
	feedbackLimit *limiter
}

// ChatOptions configure a Chat. All fields are optional.
type ChatOptions struct {
	Logger *slog.Logger
	// MaxBodyBytes bounds request bodies (DefaultMaxBodyBytes when zero).
	MaxBodyBytes int64
	// Suggester offers the questions shown on the empty page.
	Suggester bot.Suggester
	// Feedback records 👍/👎 on answers (POST /api/feedback); off when nil.
	Feedback bot.FeedbackRecorder
	// Escalator hands questions to people ("Ask a person"); without one the
	// page shows Contact.
	Escalator bot.Escalator
	// Contact is whom askers are told to contact (bot.DefaultContact when
	// empty).
	Contact string
	// FAQDate says the date of the FAQ answers come from.
	FAQDate func() string
}

// NewChat returns the chat for asker.
func NewChat(asker bot.Asker, opts ChatOptions) *Chat {
	c := &Chat{asker: asker, log: opts.Logger, maxBodyBytes: opts.MaxBodyBytes,
		suggester: opts.Suggester, feedback: opts.Feedback, escalator: opts.Escalator, contact: opts.Contact, faqDate: opts.FAQDate,
		escalateLimit: newLimiter(escalationsPerClient, escalationsInTotal, limitWindow),
		feedbackLimit: newLimiter(feedbackPerClient, feedbackInTotal, limitWindow)}
	if c.contact == "" {
		c.contact = bot.DefaultContact
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.maxBodyBytes <= 0 {
		c.maxBodyBytes = DefaultMaxBodyBytes
	}
	return c
}

// Register mounts GET /, its assets, POST /api/ask and the chat's own API
// (GET /api/chat, POST /api/ask/stream, /api/feedback, /api/escalate) on
// mux.
func (c *Chat) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", c.servePage)
	mux.Handle("GET /assets/", c.assets())
	mux.Handle("POST /api/ask", http.HandlerFunc(c.serveAsk))
	mux.HandleFunc("POST /api/ask/stream", c.serveAskStream)
	mux.HandleFunc("GET /api/chat", c.serveConfig)
	mux.HandleFunc("POST /api/feedback", c.serveFeedback)
	mux.HandleFunc("POST /api/escalate", c.serveEscalate)
}
