// Package teams connects faqbot to Microsoft Teams: an outgoing webhook
// handler that answers channel @mentions within Teams' five-second window,
// and an Escalator that posts hand-offs to a channel through a Teams
// Workflows webhook.
package teams

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// Options configure a Handler. All fields are optional.
type Options struct {
	// Budget bounds the whole reply. Teams drops the reply after five
	// seconds, so the default (DefaultBudget) leaves room for the network.
	Budget time.Duration
	// AskBudget is the deadline given to the Asker, so that the rest of
	// Budget is left for an escalation (2/3 of Budget when zero). The bot
	// falls back to an extractive answer when its model cannot finish in it.
	AskBudget time.Duration
	// MaxBody caps the request body (DefaultMaxBody when zero); larger
	// bodies get 413.
	MaxBody int64
	// Escalator hands escalated questions to people; without one the reply
	// tells the asker whom to contact.
	Escalator bot.Escalator
	// Contact is whom the asker should turn to when no one can take the
	// question here (DefaultContact when empty).
	Contact string
	// Claims make each activity count once: Teams signs the body with no
	// timestamp, so a captured request stays valid and only its id tells
	// a replay apart (in memory when nil; the store makes replicas and
	// restarts agree).
	Claims bot.Claims
	Logger *slog.Logger
}

// Path is where Teams posts: the callback URL of the outgoing webhook is
// https://HOST/teams/messages.
const Path = "/teams/messages"

// Defaults for Options.
const (
	DefaultBudget  = 4500 * time.Millisecond
	DefaultMaxBody = 256 << 10
	DefaultContact = bot.DefaultContact
)

// Handler serves POST /teams/messages for a Teams outgoing webhook.
type Handler struct {
	key       []byte
	asker     bot.Asker
	escalator bot.Escalator
	budget    time.Duration
	askBudget time.Duration
	maxBody   int64
	contact   string
	claims    bot.Claims
	log       *slog.Logger
}

// NewHandler returns the handler for an outgoing webhook whose security
// token decodes to key (the base64-decoded TEAMS_WEBHOOK_SECRET).
func NewHandler(key []byte, asker bot.Asker, opts Options) (*Handler, error) {
	if len(key) == 0 {
		return nil, errors.New("teams: empty webhook signing key")
	}
	if asker == nil {
		return nil, errors.New("teams: nil asker")
	}
	h := &Handler{
		key:       append([]byte(nil), key...),
		asker:     asker,
		escalator: opts.Escalator,
		budget:    opts.Budget,
		askBudget: opts.AskBudget,
		maxBody:   opts.MaxBody,
		contact:   opts.Contact,
		claims:    opts.Claims,
		log:       opts.Logger,
	}
	if h.budget <= 0 {
		h.budget = DefaultBudget
	}
	if h.askBudget <= 0 || h.askBudget > h.budget {
		h.askBudget = h.budget * 2 / 3
	}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBody
	}
	if h.contact == "" {
		h.contact = DefaultContact
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.claims == nil {
		h.claims = bot.NewMemoryClaims(0, 0, nil)
	}
	return h, nil
}

// ServeHTTP verifies the request's signature over the raw body, then
// answers the activity's question with a message Teams posts in the thread.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	auth := r.Header.Get("Authorization")
	if auth == "" {
		http.Error(w, "missing HMAC signature", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, fmt.Sprintf("body larger than %d bytes", h.maxBody), http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	if !verify(h.key, auth, body) {
		h.log.Warn("teams request with a bad signature", "remote", r.RemoteAddr)
		http.Error(w, "bad HMAC signature", http.StatusUnauthorized)
		return
	}
	var act activity
	if err := json.Unmarshal(body, &act); err != nil {
		http.Error(w, "malformed activity JSON", http.StatusBadRequest)
		return
	}
	if act.Type != "" && act.Type != "message" {
		http.Error(w, "unsupported activity type", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithDeadline(r.Context(), start.Add(h.budget))
	defer cancel()
	switch first, err := h.claims.Claim(ctx, webhookKey(act, body)); {
	case err != nil:
		// Fail closed: a reply missed is better than an escalation doubled.
		h.log.Error("delivery claim failed; not answering", "err", err)
		writeMessage(w, h.log, textMessage(bot.ApologyText(h.contact)))
		return
	case !first:
		h.log.Info("dropped a replayed Teams activity", "id", act.ID, "conversation", act.Conversation.ID)
		w.WriteHeader(http.StatusOK)
		return
	}
	writeMessage(w, h.log, h.reply(ctx, start, act))
}

// webhookKey names an activity for Claims: its id in its conversation, or,
// for an activity without one, the signed body itself, since a replay is
// byte for byte the same.
func webhookKey(act activity, body []byte) string {
	if act.ID != "" {
		return "teams:webhook:" + act.Conversation.ID + "/" + act.ID
	}
	sum := sha256.Sum256(body)
	return "teams:webhook:body:" + hex.EncodeToString(sum[:])
}

// reply answers the activity. It returns by ctx's deadline whatever the
// Asker and Escalator do, because Teams posts nothing after five seconds.
func (h *Handler) reply(ctx context.Context, start time.Time, act activity) message {
	q := bot.Question{Text: act.question(), Asker: act.asker(), Transport: "teams", Conversation: act.Conversation.ID}
	if q.Text == "" {
		return textMessage(promptText)
	}
	a, err := h.ask(ctx, start, q)
	switch {
	case errors.Is(err, bot.ErrEmptyQuestion):
		return textMessage(promptText)
	case errors.Is(err, bot.ErrNotReady):
		return textMessage(bot.NotReadyText)
	case err != nil:
		h.log.Warn("teams question not answered", "err", err, "elapsed", time.Since(start))
		return textMessage(bot.ApologyText(h.contact))
	}
	var handoff string
	if a.Escalate {
		handoff = h.escalate(ctx, q, a)
	}
	return textMessage(answerMarkdown(a, handoff))
}

// ask runs the Asker with its own deadline and stops waiting at ctx's, so a
// slow or stuck Asker cannot hold the reply past the budget.
func (h *Handler) ask(ctx context.Context, start time.Time, q bot.Question) (bot.Answer, error) {
	askCtx, cancel := context.WithDeadline(ctx, start.Add(h.askBudget))
	defer cancel()
	type result struct {
		a   bot.Answer
		err error
	}
	done := make(chan result, 1) // buffered: an abandoned Asker must not block forever
	go func() {
		a, err := h.asker.Ask(askCtx, q)
		done <- result{a, err}
	}()
	select {
	case r := <-done:
		return r.a, r.err
	case <-ctx.Done():
		return bot.Answer{}, fmt.Errorf("ask: %w", ctx.Err())
	}
}

// escalate hands the question to people within what is left of the budget
// and returns the sentence that tells the asker what happened. The hand-off
// is synchronous so that the reply can tell the truth about it: outgoing
// webhooks cannot post a correction later.
func (h *Handler) escalate(ctx context.Context, q bot.Question, a bot.Answer) string {
	if h.escalator == nil {
		return bot.NoHandOffText(h.contact)
	}
	done := make(chan error, 1)
	go func() {
		done <- h.escalator.Escalate(ctx, bot.Escalation{Question: q, Answer: a, Reason: a.EscalationReason})
	}()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = fmt.Errorf("escalate: %w", ctx.Err())
	}
	if err != nil {
		// The Escalator logs the whole escalation so that it can be recovered.
		h.log.Warn("teams escalation failed", "err", err, "reason", a.EscalationReason)
		return bot.HandOffFailedText(h.contact)
	}
	return bot.HandedOffText("")
}

const promptText = "Hi! Mention me with a question about the transition from outbound marketing to " +
	"real-time journeys in Dynamics 365 Customer Insights – Journeys, for example: " +
	"*When will outbound marketing be removed?*"
