package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/internal/httpserver"
	"github.com/faqbot/faqbot/internal/redact"
)

// Admin serves POST /admin/refresh to holders of a bearer token.
type Admin struct {
	token     string
	refresher bot.Refresher
	// serving reports the corpus version answers come from ("" before
	// the first index), so a failed refresh can say what still serves.
	serving func() string
	log     *slog.Logger
}

// RefreshTimeout bounds a refresh: fetching a page and embedding a large
// corpus through a remote API take a while.
const RefreshTimeout = 5 * time.Minute

// maxAdminBody bounds POST /admin/refresh bodies ({"source": "..."}).
const maxAdminBody = 8 << 10

// NewAdmin returns the admin endpoint; with an empty token it registers
// nothing, so the endpoint does not exist (404).
func NewAdmin(token string, r bot.Refresher, serving func() string, log *slog.Logger) *Admin {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Admin{token: token, refresher: r, serving: serving, log: log}
}

// Register mounts POST /admin/refresh on mux when a token is configured.
func (a *Admin) Register(mux *http.ServeMux) {
	if a.token == "" {
		return
	}
	mux.HandleFunc("POST /admin/refresh", a.serveRefresh)
}

// RefreshRequest is the optional body of POST /admin/refresh.
type RefreshRequest struct {
	// Source is a corpus file, folder or URL; empty for the configured one.
	Source string `json:"source"`
}

// RefreshReply is the body of a successful refresh: the changes and a
// one-line summary of them.
type RefreshReply struct {
	corpus.Changes
	Summary string `json:"summary"`
}

// RefreshError is the body of a failed refresh.
type RefreshError struct {
	Error string `json:"error"`
	// ServingVersion is the corpus that still answers questions.
	ServingVersion string `json:"serving_version"`
}

func (a *Admin) serveRefresh(w http.ResponseWriter, r *http.Request) {
	if !authorized(w, r, a.token) {
		return
	}
	var req RefreshRequest
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAdminBody))
	if err != nil {
		status := http.StatusBadRequest
		if httpserver.TooLarge(err) {
			status = http.StatusRequestEntityTooLarge
		}
		httpserver.WriteError(w, status, "read body: "+err.Error())
		return
	}
	if len(strings.TrimSpace(string(data))) > 0 {
		if err := json.Unmarshal(data, &req); err != nil {
			httpserver.WriteError(w, http.StatusBadRequest, `bad JSON: want {"source": "..."} or no body: `+err.Error())
			return
		}
	}
	// A refresh may outlast the server's write timeout.
	if err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(RefreshTimeout + 10*time.Second)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		a.log.Warn("extend write deadline for refresh", "err", err)
	}
	ctx, cancel := context.WithTimeout(r.Context(), RefreshTimeout)
	defer cancel()
	changes, err := a.refresher.Refresh(ctx, req.Source)
	if err != nil {
		a.log.Error("refresh failed; the previous index keeps serving", "source", redact.URL(req.Source), "err", err)
		httpserver.WriteJSON(w, http.StatusBadGateway, RefreshError{Error: err.Error(), ServingVersion: a.serving()})
		return
	}
	a.log.Info("corpus refreshed", "summary", changes.Summary())
	httpserver.WriteJSON(w, http.StatusOK, RefreshReply{Changes: nonNil(changes), Summary: changes.Summary()})
}

// authorized checks the request's bearer token against the admin token,
// answering 401 when it is missing or wrong (see tokenMatches).
func authorized(w http.ResponseWriter, r *http.Request, want string) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if ok && strings.EqualFold(scheme, "Bearer") && tokenMatches(token, want) {
		return true
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="faqbot admin"`)
	httpserver.WriteError(w, http.StatusUnauthorized, "missing or wrong bearer token")
	return false
}

// nonNil makes empty change lists [] rather than null in JSON.
func nonNil(c corpus.Changes) corpus.Changes {
	for _, l := range []*[]corpus.Change{&c.Added, &c.Removed, &c.Changed} {
		if *l == nil {
			*l = []corpus.Change{}
		}
	}
	return c
}
