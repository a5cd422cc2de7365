package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/faqbot/faqbot/internal/httpserver"
	"github.com/faqbot/faqbot/internal/linkcheck"
)

// LinkReport serves GET /admin/api/links to holders of the admin token:
// the last `faqbot index --check-links` report, saved in the data dir,
// or 404 when none has been run.
type LinkReport struct {
	token string
	path  string
	log   *slog.Logger
}

// NewLinkReport serves the report saved at path; with an empty token it
// registers nothing.
func NewLinkReport(token, path string, log *slog.Logger) *LinkReport {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &LinkReport{token: token, path: path, log: log}
}

// Register mounts GET /admin/api/links when a token is configured.
func (l *LinkReport) Register(mux *http.ServeMux) {
	if l.token == "" {
		return
	}
	mux.HandleFunc("GET /admin/api/links", l.serve)
}

// LinkReply is the report with its problems counted.
type LinkReply struct {
	linkcheck.Report
	Summary  string `json:"summary"`
	Problems int    `json:"problems"`
}

func (l *LinkReport) serve(w http.ResponseWriter, r *http.Request) {
	if !authorized(w, r, l.token) {
		return
	}
	rep, err := linkcheck.Load(l.path)
	switch {
	case errors.Is(err, linkcheck.ErrNoReport):
		httpserver.WriteError(w, http.StatusNotFound, err.Error())
		return
	case err != nil:
		l.log.Error("cannot read the link check", "err", err)
		httpserver.WriteError(w, http.StatusInternalServerError, "the link check cannot be read; the server log has details")
		return
	}
	if rep.Results == nil {
		rep.Results = []linkcheck.Result{}
	}
	httpserver.WriteJSON(w, http.StatusOK, LinkReply{Report: rep, Summary: rep.Summary(), Problems: len(rep.Problems())})
}
