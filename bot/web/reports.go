package web

import (
	"encoding/csv"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/internal/httpserver"
)

// Reports serves the support statistics and the conversations export to
// holders of the admin token: GET /admin/api/stats and
// GET /admin/api/conversations.csv.
type Reports struct {
	token string
	src   bot.Reports
	now   func() time.Time
	log   *slog.Logger
	// sessions, when set, also admits signed-in dashboard browsers.
	sessions interface{ Authorized(*http.Request) bool }
}

// Limits of the reports.
const (
	// DefaultReportPeriod is the period when from is not given.
	DefaultReportPeriod = 30 * 24 * time.Hour
	// MaxExportRows bounds one CSV export; a larger one is refused, so
	// that the caller narrows from and to.
	MaxExportRows = 100_000
	// exportTimeout bounds writing one export.
	exportTimeout = 5 * time.Minute
)

// NewReports returns the reports of src; with an empty token it registers
// nothing, so the endpoints do not exist (404). now tells the time
// (time.Now when nil).
func NewReports(token string, src bot.Reports, now func() time.Time, log *slog.Logger) *Reports {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Reports{token: token, src: src, now: now, log: log}
}

// AcceptSessions makes the endpoints also admit requests with a live
// dashboard session, so that the dashboard can link to them.
func (rp *Reports) AcceptSessions(d *Dashboard) *Reports {
	rp.sessions = d
	return rp
}

// authorized admits a dashboard session or the bearer token.
func (rp *Reports) authorized(w http.ResponseWriter, r *http.Request) bool {
	if rp.sessions != nil && rp.sessions.Authorized(r) {
		return true
	}
	return authorized(w, r, rp.token)
}

// Register mounts the endpoints on mux when a token and a source are
// configured.
func (rp *Reports) Register(mux *http.ServeMux) {
	if rp.token == "" || rp.src == nil {
		return
	}
	mux.HandleFunc("GET /admin/api/stats", rp.serveStats)
	mux.HandleFunc("GET /admin/api/conversations.csv", rp.serveCSV)
}

func (rp *Reports) serveStats(w http.ResponseWriter, r *http.Request) {
	if !rp.authorized(w, r) {
		return
	}
	p, err := ParsePeriod(r.URL.Query(), rp.now())
	if err != nil {
		httpserver.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	st, err := rp.src.Stats(r.Context(), p)
	if err != nil {
		rp.log.Error("cannot compute stats", "err", err)
		httpserver.WriteError(w, http.StatusInternalServerError, "could not compute the statistics; the server log has details")
		return
	}
	httpserver.WriteJSON(w, http.StatusOK, st)
}

// ParsePeriod reads from and to: RFC 3339 times or dates (YYYY-MM-DD, UTC;
// a date as to includes that day). to defaults to now, from to
// DefaultReportPeriod before to.
func ParsePeriod(q url.Values, now time.Time) (bot.Period, error) {
	p := bot.Period{To: now.UTC()}
	if v := q.Get("to"); v != "" {
		t, date, err := parseTime(v)
		if err != nil {
			return p, fmt.Errorf("to: %v", err)
		}
		if date {
			t = t.Add(24 * time.Hour)
		}
		p.To = t
	}
	p.From = p.To.Add(-DefaultReportPeriod)
	if v := q.Get("from"); v != "" {
		t, _, err := parseTime(v)
		if err != nil {
			return p, fmt.Errorf("from: %v", err)
		}
		p.From = t
	}
	switch {
	case !p.To.After(p.From):
		return p, errors.New("from must be before to")
	case p.To.Sub(p.From) > bot.MaxReportPeriod:
		return p, fmt.Errorf("from and to are more than %d days apart", int(bot.MaxReportPeriod/(24*time.Hour)))
	}
	return p, nil
}

// parseTime reads an RFC 3339 time or a date, telling which it was.
func parseTime(v string) (time.Time, bool, error) {
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, true, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, false, fmt.Errorf("%q is not a date (2025-03-31) or an RFC 3339 time (2025-03-31T12:00:00Z)", v)
	}
	return t.UTC(), false, nil
}

// exportColumns name the CSV's columns.
var exportColumns = []string{
	"id", "time", "transport", "conversation", "asker", "question", "answer", "answered", "escalate",
	"escalation_reason", "citations", "mode", "corpus_version", "latency_ms", "helpful", "not_helpful", "deflected",
	"escalation_state", "escalation_delivery", "resolved_at", "resolved_by", "human_answer",
}

func (rp *Reports) serveCSV(w http.ResponseWriter, r *http.Request) {
	if !rp.authorized(w, r) {
		return
	}
	p, err := ParsePeriod(r.URL.Query(), rp.now())
	if err != nil {
		httpserver.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	n, err := rp.src.CountConversations(r.Context(), p)
	if err != nil {
		rp.log.Error("cannot count conversations", "err", err)
		httpserver.WriteError(w, http.StatusInternalServerError, "could not export; the server log has details")
		return
	}
	if n > MaxExportRows {
		httpserver.WriteError(w, http.StatusBadRequest,
			fmt.Sprintf("%d conversations in the period, more than the %d one export holds: narrow from and to", n, MaxExportRows))
		return
	}
	if err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(exportTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		rp.log.Warn("extend write deadline for an export", "err", err)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="faqbot-conversations-%s-%s.csv"`,
		p.From.Format("20060102T150405Z"), p.To.Format("20060102T150405Z")))
	cw := csv.NewWriter(w)
	write := func(cells []string) error {
		for i, c := range cells {
			cells[i] = CSVCell(c)
		}
		return cw.Write(cells)
	}
	if err := write(append([]string(nil), exportColumns...)); err != nil {
		return
	}
	err = rp.src.Conversations(r.Context(), p, MaxExportRows, func(c bot.Conversation) error {
		return write(exportRow(c))
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err != nil && r.Context().Err() == nil {
		// The header is sent: the cut-off file is all the client gets.
		rp.log.Error("conversations export failed part-way", "err", err)
	}
}

// exportRow is one conversation as CSV cells, in exportColumns' order.
func exportRow(c bot.Conversation) []string {
	var anchors []string
	for _, cite := range c.Citations {
		anchors = append(anchors, cite.Anchor)
	}
	row := []string{
		c.ID, c.Time.UTC().Format(time.RFC3339), c.Transport, c.Exchange.Conversation, c.Asker, c.Question, c.Answer,
		strconv.FormatBool(c.Answered), strconv.FormatBool(c.Escalate), string(c.Reason), strings.Join(anchors, " "),
		string(c.Mode), c.CorpusVersion, strconv.FormatInt(c.Latency.Milliseconds(), 10),
		strconv.Itoa(c.Helpful), strconv.Itoa(c.NotHelpful), strconv.FormatBool(c.Deflected),
		"", "", "", "", "",
	}
	if e := c.Escalation; e != nil {
		resolved := ""
		if !e.ResolvedAt.IsZero() {
			resolved = e.ResolvedAt.UTC().Format(time.RFC3339)
		}
		copy(row[len(row)-5:], []string{string(e.State), string(e.Delivery), resolved, e.ResolvedBy, e.HumanAnswer})
	}
	return row
}

// CSVCell makes a cell safe to open in a spreadsheet: a cell starting
// with = + - @, a tab or a carriage return would run as a formula, so it
// is prefixed with a single quote.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
