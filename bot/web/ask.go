package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/internal/httpserver"
)

// AskRequest is the body of POST /api/ask.
type AskRequest struct {
	Question string        `json:"question"`
	History  []HistoryTurn `json:"history,omitempty"`
}

// HistoryTurn is an earlier message of the conversation, oldest first.
type HistoryTurn struct {
	Role string `json:"role"` // "user" or "bot"
	Text string `json:"text"`
}

func (c *Chat) serveAsk(w http.ResponseWriter, r *http.Request) {
	if !requireJSON(w, r) {
		return
	}
	q, status, err := c.decodeQuestion(w, r)
	if err != nil {
		httpserver.WriteError(w, status, err.Error())
		return
	}
	ans, err := c.asker.Ask(r.Context(), q)
	switch {
	case err == nil:
		httpserver.WriteJSON(w, http.StatusOK, ans)
	case errors.Is(err, bot.ErrEmptyQuestion):
		httpserver.WriteError(w, http.StatusBadRequest, "question is empty")
	case errors.Is(err, bot.ErrNotReady):
		w.Header().Set("Retry-After", "5")
		httpserver.WriteError(w, http.StatusServiceUnavailable, "the index is still loading; try again in a few seconds")
	case r.Context().Err() != nil:
		// The client went away; nobody reads this reply.
		c.log.Debug("ask abandoned by client", "err", err)
		httpserver.WriteError(w, http.StatusServiceUnavailable, "request cancelled")
	default:
		c.log.Error("answer failed", "transport", Transport, "err", err)
		httpserver.WriteError(w, http.StatusInternalServerError, "could not answer; the server log has details")
	}
}

// requireJSON lets through a request sent as JSON, and answers any other
// with 415: every POST of the chat's API (/api/ask, /api/ask/stream,
// /api/feedback, /api/escalate) checks it first.
func requireJSON(w http.ResponseWriter, r *http.Request) bool {
	if isJSON(r.Header.Get("Content-Type")) {
		return true
	}
	httpserver.WriteError(w, http.StatusUnsupportedMediaType, `send the request as JSON, with Content-Type: application/json`)
	return false
}

// isJSON accepts application/json, with parameters such as charset. A
// browser sends it cross-site only after a CORS preflight, which this
// server never grants, so another site's form or script cannot drive the
// API (spend a model's tokens, send escalations, cast feedback) from a
// visitor's browser.
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}

// decodeQuestion reads and checks a request body, returning the status to
// reply with when it is unacceptable.
func (c *Chat) decodeQuestion(w http.ResponseWriter, r *http.Request) (bot.Question, int, error) {
	body := http.MaxBytesReader(w, r.Body, c.maxBodyBytes)
	dec := json.NewDecoder(body)
	var req AskRequest
	if err := dec.Decode(&req); err != nil {
		return badBody(err, c.maxBodyBytes)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if httpserver.TooLarge(err) {
			return badBody(err, c.maxBodyBytes)
		}
		return bot.Question{}, http.StatusBadRequest, errors.New("bad JSON: want one object")
	}
	text := strings.TrimSpace(req.Question)
	switch {
	case text == "":
		return bot.Question{}, http.StatusBadRequest, errors.New(`question is empty: send {"question": "..."}`)
	case utf8.RuneCountInString(text) > bot.MaxQuestionChars:
		return bot.Question{}, http.StatusBadRequest, fmt.Errorf("question is longer than %d characters", bot.MaxQuestionChars)
	}
	history, err := turns(req.History)
	if err != nil {
		return bot.Question{}, http.StatusBadRequest, err
	}
	return bot.Question{Text: text, History: history, Transport: Transport}, 0, nil
}

func badBody(err error, limit int64) (bot.Question, int, error) {
	if httpserver.TooLarge(err) {
		return bot.Question{}, http.StatusRequestEntityTooLarge, fmt.Errorf("request body is larger than %d bytes", limit)
	}
	return bot.Question{}, http.StatusBadRequest, fmt.Errorf("bad JSON: %v", err)
}

// turns converts the client's history, keeping the latest
// bot.MaxHistoryTurns.
func turns(in []HistoryTurn) ([]bot.Turn, error) {
	skip := max(0, len(in)-bot.MaxHistoryTurns)
	out := make([]bot.Turn, 0, len(in)-skip)
	for i, t := range in {
		role := bot.Role(t.Role)
		if role != bot.RoleUser && role != bot.RoleBot {
			return nil, fmt.Errorf("history[%d].role is %q; want user or bot", i, t.Role)
		}
		if i < skip {
			continue
		}
		text := strings.TrimSpace(t.Text)
		if utf8.RuneCountInString(text) > bot.MaxTurnChars {
			text = string([]rune(text)[:bot.MaxTurnChars])
		}
		out = append(out, bot.Turn{Role: role, Text: text})
	}
	return out, nil
}
