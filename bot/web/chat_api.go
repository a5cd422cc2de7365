package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/internal/httpserver"
)

// The web chat's own API, beside POST /api/ask: what the page shows before
// the first question, feedback on answers, handing a question to people,
// and answers streamed as they are written.

// Bounds on what the page may send.
const (
	maxSmallBody = 8 << 10
	// maxContactChars bounds the optional name or email given with a
	// question for people.
	maxContactChars = 200
	maxIDChars      = 64
	maxSuggestions  = 4
)

// Escalations and feedback a client may send per window, and all clients
// together.
const (
	escalationsPerClient = 5
	escalationsInTotal   = 60
	feedbackPerClient    = 60
	feedbackInTotal      = 3000
	limitWindow          = 10 * time.Minute
)

// ChatConfig is GET /api/chat: what the page needs before the first
// question.
type ChatConfig struct {
	Suggestions []bot.Suggestion     `json:"suggestions"`
	Reasons     []bot.FeedbackReason `json:"reasons"`
	// Escalation says whether questions can be sent to people from here;
	// Contact is whom to turn to otherwise.
	Escalation bool   `json:"escalation"`
	Contact    string `json:"contact"`
	FAQDate    string `json:"faq_date,omitempty"`
	Feedback   bool   `json:"feedback"`
}

func (c *Chat) serveConfig(w http.ResponseWriter, r *http.Request) {
	cfg := ChatConfig{Suggestions: []bot.Suggestion{}, Reasons: bot.FeedbackReasons(), Escalation: c.escalator != nil,
		Contact: c.contact, Feedback: c.feedback != nil}
	if c.suggester != nil {
		if s := c.suggester.Suggest(r.Context(), maxSuggestions); s != nil {
			cfg.Suggestions = s
		}
	}
	if c.faqDate != nil {
		cfg.FAQDate = c.faqDate()
	}
	w.Header().Set("Cache-Control", "no-cache")
	httpserver.WriteJSON(w, http.StatusOK, cfg)
}

// FeedbackRequest is POST /api/feedback: a click on an answer's 👍/👎
// and, for 👎, the reason.
type FeedbackRequest struct {
	// ID is the answer's id; Client a random id the page keeps, so that a
	// person's last choice on an answer is the one that counts.
	ID      string `json:"id"`
	Client  string `json:"client"`
	Kind    string `json:"kind"`
	Reason  string `json:"reason,omitempty"`
	Details string `json:"details,omitempty"`
}

var opaqueID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func (c *Chat) serveFeedback(w http.ResponseWriter, r *http.Request) {
	if !requireJSON(w, r) {
		return
	}
	if c.feedback == nil {
		httpserver.WriteError(w, http.StatusNotFound, "feedback is not recorded here")
		return
	}
	if !c.feedbackLimit.allow(r) {
		tooMany(w)
		return
	}
	var req FeedbackRequest
	if status, err := decodeSmall(w, r, &req); err != nil {
		httpserver.WriteError(w, status, err.Error())
		return
	}
	kind := bot.FeedbackKind(req.Kind)
	switch {
	case !kind.Valid():
		httpserver.WriteError(w, http.StatusBadRequest, "kind must be helpful or not_helpful")
		return
	case !opaqueID.MatchString(req.ID) || !opaqueID.MatchString(req.Client):
		httpserver.WriteError(w, http.StatusBadRequest, "id and client must be short opaque ids")
		return
	}
	f := bot.Feedback{ExchangeID: req.ID, Time: time.Now().UTC(), Kind: kind, User: "web:" + req.Client,
		Transport: Transport, Message: "web:" + req.ID}
	if kind == bot.FeedbackNotHelpful && (req.Reason != "" || req.Details != "") {
		f.Comment = bot.FeedbackComment(req.Reason, req.Details)
	}
	if err := c.feedback.RecordFeedback(r.Context(), f); err != nil {
		c.log.Error("cannot record web feedback", "err", err)
		httpserver.WriteError(w, http.StatusServiceUnavailable, "the feedback could not be recorded; please try again")
		return
	}
	httpserver.WriteJSON(w, http.StatusOK, map[string]bool{"recorded": true})
}

// EscalateRequest is POST /api/escalate: a question the asker wants a
// person to handle.
type EscalateRequest struct {
	// ID is the answer's id, when the question was answered.
	ID       string `json:"id,omitempty"`
	Question string `json:"question"`
	// Reason is the answer's escalation_reason; "" for the asker's own
	// request.
	Reason string `json:"reason,omitempty"`
	// Contact is the optional name or email to reach the asker at.
	Contact string `json:"contact,omitempty"`
}

// EscalateReply says truthfully what became of the hand-off.
type EscalateReply struct {
	Delivered bool   `json:"delivered"`
	Message   string `json:"message"`
}

func (c *Chat) serveEscalate(w http.ResponseWriter, r *http.Request) {
	if !requireJSON(w, r) {
		return
	}
	if !c.escalateLimit.allow(r) {
		tooMany(w)
		return
	}
	var req EscalateRequest
	if status, err := decodeSmall(w, r, &req); err != nil {
		httpserver.WriteError(w, status, err.Error())
		return
	}
	question := strings.TrimSpace(req.Question)
	contact := strings.Join(strings.Fields(req.Contact), " ")
	switch {
	case question == "":
		httpserver.WriteError(w, http.StatusBadRequest, "question is empty")
		return
	case utf8.RuneCountInString(question) > bot.MaxQuestionChars:
		httpserver.WriteError(w, http.StatusBadRequest, fmt.Sprintf("question is longer than %d characters", bot.MaxQuestionChars))
		return
	case utf8.RuneCountInString(contact) > maxContactChars:
		httpserver.WriteError(w, http.StatusBadRequest, fmt.Sprintf("name or email is longer than %d characters", maxContactChars))
		return
	case req.ID != "" && !opaqueID.MatchString(req.ID):
		httpserver.WriteError(w, http.StatusBadRequest, "id must be a short opaque id")
		return
	}
	reason := bot.UserRequest
	switch rr := bot.Reason(req.Reason); rr {
	case bot.ExtensionRequest, bot.UnsupportedOutbound:
		reason = rr
	}
	if c.escalator == nil {
		httpserver.WriteJSON(w, http.StatusOK, EscalateReply{Message: "There is no support channel to send this to from here. Please contact " + c.contact + "."})
		return
	}
	// The records keep where a reply can reach the asker: for the web
	// chat, the contact they gave, if any.
	who, where := "web chat visitor", "web chat"
	if contact != "" {
		who, where = contact+" (web chat)", "web chat, reply to "+contact
	}
	e := bot.Escalation{
		Question: bot.Question{Text: question, Asker: bot.User{Name: who}, Transport: Transport, Conversation: where},
		Answer:   bot.Answer{ID: req.ID, Question: question},
		Reason:   reason,
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), escalateTimeout)
	defer cancel()
	if err := c.escalator.Escalate(ctx, e); err != nil {
		c.log.Error("web escalation not delivered", "reason", reason, "err", err)
		httpserver.WriteJSON(w, http.StatusOK, EscalateReply{Message: "I couldn't reach the support team just now. Please contact " + c.contact + "."})
		return
	}
	msg := "Sent to the support team. "
	if contact != "" {
		msg += "They'll follow up with you at " + contact + "."
	} else {
		msg += "You left no name or email, so they can't reply to you here: please also contact " + c.contact + " if you need an answer."
	}
	httpserver.WriteJSON(w, http.StatusOK, EscalateReply{Delivered: true, Message: msg})
}

// escalateTimeout bounds a hand-off: the escalator retries its
// destination within it. The client waiting is the page.
const escalateTimeout = 30 * time.Second

// serveAskStream is POST /api/ask/stream: the answer as server-sent
// events, "delta" events with a model's words as it writes them (none
// without a model), then one "answer" event with the verified answer, or
// one "error" event. The draft is only a draft: the page replaces it.
func (c *Chat) serveAskStream(w http.ResponseWriter, r *http.Request) {
	if !requireJSON(w, r) {
		return
	}
	q, status, err := c.decodeQuestion(w, r)
	if err != nil {
		httpserver.WriteError(w, status, err.Error())
		return
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	event := func(name string, v any) {
		data, _ := json.Marshal(v)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, data)
		_ = rc.Flush() // a client that went away ends the answer's context too
	}
	ans, err := c.asker.Ask(bot.WithDrafts(r.Context(), func(text string) { event("delta", map[string]string{"text": text}) }), q)
	switch {
	case err == nil:
		event("answer", ans)
	case errors.Is(err, bot.ErrNotReady):
		event("error", httpserver.ErrorBody{Error: "the index is still loading; try again in a few seconds"})
	default:
		if r.Context().Err() == nil {
			c.log.Error("answer failed", "transport", Transport, "err", err)
		}
		event("error", httpserver.ErrorBody{Error: "could not answer; the server log has details"})
	}
}

func tooMany(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "600")
	httpserver.WriteError(w, http.StatusTooManyRequests, "too many requests; please wait a few minutes")
}

// decodeSmall reads one JSON object of at most maxSmallBody bytes.
func decodeSmall(w http.ResponseWriter, r *http.Request, v any) (int, error) {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxSmallBody))
	if err := dec.Decode(v); err != nil {
		if httpserver.TooLarge(err) {
			return http.StatusRequestEntityTooLarge, fmt.Errorf("request body is larger than %d bytes", maxSmallBody)
		}
		return http.StatusBadRequest, fmt.Errorf("bad JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return http.StatusBadRequest, errors.New("bad JSON: want one object")
	}
	return 0, nil
}
