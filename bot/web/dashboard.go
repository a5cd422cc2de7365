package web

import (
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// Dashboard is the support leads' pages under /admin: sign-in, the
// statistics as charts, coverage gaps, FAQ drafts and the escalations to
// resolve. Pages are rendered on the server from embedded templates and
// need no script.
type Dashboard struct {
	token    string
	reports  bot.Reports
	desk     bot.EscalationDesk
	resolver bot.Resolver
	writer   bot.SectionWriter
	window   time.Duration
	now      func() time.Time
	log      *slog.Logger
	sessions *sessions
	pages    map[string]*template.Template
}

// DashboardOptions configure a Dashboard. Reports is required.
type DashboardOptions struct {
	// Token is the admin token; without it the dashboard does not exist.
	Token   string
	Reports bot.Reports
	// Escalations lists escalations; Resolver resolves them and tells the
	// asker. Without them the escalation pages do not exist.
	Escalations bot.EscalationDesk
	Resolver    bot.Resolver
	// Writer drafts FAQ sections with a model; without it drafts come from
	// the template.
	Writer bot.SectionWriter
	// DeflectionWindow is the setting the definitions quote
	// (bot.DefaultDeflectionWindow when zero).
	DeflectionWindow time.Duration
	Now              func() time.Time
	Logger           *slog.Logger
}

//go:embed admin
var adminFiles embed.FS

// adminPolicy is the admin pages' Content-Security-Policy: only this
// server's own files, no script at all, and no framing.
const adminPolicy = "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// Limits of the dashboard.
const (
	// maxFormBytes bounds a sign-in or resolution form.
	maxFormBytes = 64 << 10
	// notifyWait bounds how long resolving waits to tell the asker before
	// leaving it to the desk's next round.
	notifyWait = 15 * time.Second
	// draftWait bounds a model's FAQ draft.
	draftWait = 60 * time.Second
	// escalationsPerPage bounds the escalation list.
	escalationsPerPage = 200
)

// NewDashboard returns the dashboard.
func NewDashboard(opts DashboardOptions) (*Dashboard, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.DeflectionWindow <= 0 {
		opts.DeflectionWindow = bot.DefaultDeflectionWindow
	}
	d := &Dashboard{
		token: opts.Token, reports: opts.Reports, desk: opts.Escalations, resolver: opts.Resolver,
		writer: opts.Writer, window: opts.DeflectionWindow, now: opts.Now, log: opts.Logger,
		sessions: newSessions(opts.Now), pages: map[string]*template.Template{},
	}
	for _, page := range []string{"login", "overview", "escalations", "escalation", "draft", "error"} {
		t, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(adminFiles, "admin/layout.html", "admin/chart.html", "admin/"+page+".html")
		if err != nil {
			return nil, err
		}
		d.pages[page] = t
	}
	return d, nil
}

var templateFuncs = template.FuncMap{
	"percent": percent,
	"label":   func(r bot.Reason) string { return r.Label() },
	"time":    func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"age":     age,
	"safeURL": safeURL,
}

// Register mounts the pages on mux when a token and reports are
// configured.
func (d *Dashboard) Register(mux *http.ServeMux) {
	if d.token == "" || d.reports == nil {
		return
	}
	mux.HandleFunc("GET /admin/{$}", d.page(d.serveOverview))
	mux.HandleFunc("GET /admin/login", d.serveLogin)
	mux.HandleFunc("POST /admin/login", d.login)
	mux.HandleFunc("POST /admin/logout", d.post(d.logout))
	mux.HandleFunc("GET /admin/drafts/gap/{id}", d.page(d.serveGapDraft))
	mux.Handle("GET /admin/assets/", d.assets())
	if d.desk != nil && d.resolver != nil {
		mux.HandleFunc("GET /admin/escalations", d.page(d.serveEscalations))
		mux.HandleFunc("GET /admin/escalations/{id}", d.page(d.serveEscalation))
		mux.HandleFunc("POST /admin/escalations/{id}/resolve", d.post(d.resolve))
		mux.HandleFunc("GET /admin/drafts/escalation/{id}", d.page(d.serveEscalationDraft))
	}
}

// Authorized reports whether r carries a live dashboard session: the JSON
// and CSV endpoints accept one as well as the bearer token.
func (d *Dashboard) Authorized(r *http.Request) bool {
	_, ok := d.sessions.get(r)
	return ok
}

// view is what every page's template gets.
type view struct {
	Title string
	// CSRF is the session's token for the page's forms ("" signed out).
	CSRF      string
	Nav       string
	Escalated bool // the escalation pages exist
	Data      any
}

// page wraps a handler for signed-in browsers; others are sent to the
// sign-in form.
func (d *Dashboard) page(fn func(w http.ResponseWriter, r *http.Request, sess session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, ok := d.sessions.get(r)
		if !ok {
			http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		fn(w, r, sess)
	}
}

// post wraps a form handler: a session, the same origin and the
// session's CSRF token, or 403.
func (d *Dashboard) post(fn func(w http.ResponseWriter, r *http.Request, sess session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, ok := d.sessions.get(r)
		if !ok {
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			d.fail(w, r, http.StatusBadRequest, "The form could not be read.")
			return
		}
		if !sameOrigin(r) || !validCSRF(sess, r.PostForm.Get("csrf")) {
			d.fail(w, r, http.StatusForbidden, "This form expired or came from another site. Reload the page and try again.")
			return
		}
		fn(w, r, sess)
	}
}

// render writes a page with the admin pages' headers.
func (d *Dashboard) render(w http.ResponseWriter, status int, page string, v view) {
	adminHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var b strings.Builder
	if err := d.pages[page].Execute(&b, v); err != nil {
		d.log.Error("cannot render an admin page", "page", page, "err", err)
		http.Error(w, "the page could not be rendered; the server log has details", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

func adminHeaders(h http.Header) {
	h.Set("Content-Security-Policy", adminPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
}

// fail shows an error page.
func (d *Dashboard) fail(w http.ResponseWriter, r *http.Request, status int, message string) {
	v := view{Title: http.StatusText(status), Escalated: d.desk != nil && d.resolver != nil, Data: message}
	if sess, ok := d.sessions.get(r); ok {
		v.CSRF = sess.csrf
	}
	d.render(w, status, "error", v)
}

func (d *Dashboard) assets() http.Handler {
	sub, err := fs.Sub(adminFiles, "admin/assets")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	files := http.StripPrefix("/admin/assets/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		adminHeaders(w.Header())
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

// overview is the dashboard's main page.
type overview struct {
	Stats           bot.Stats
	From, To        string // the period, as the form shows it
	Query           string // the period, as a query string
	Charts          []chart
	Gaps            []bot.Gap
	Window          string
	OpenEscalations int
}

// periodStats computes the statistics of the period the request names; on
// failure it has answered the request and ok is false.
func (d *Dashboard) periodStats(w http.ResponseWriter, r *http.Request) (p bot.Period, st bot.Stats, ok bool) {
	p, err := ParsePeriod(r.URL.Query(), d.now())
	if err != nil {
		d.fail(w, r, http.StatusBadRequest, err.Error())
		return p, st, false
	}
	if st, err = d.reports.Stats(r.Context(), p); err != nil {
		d.log.Error("cannot compute stats for the dashboard", "path", r.URL.Path, "err", err)
		d.fail(w, r, http.StatusInternalServerError, "The statistics could not be computed; the server log has details.")
		return p, st, false
	}
	return p, st, true
}

func (d *Dashboard) serveOverview(w http.ResponseWriter, r *http.Request, sess session) {
	p, st, ok := d.periodStats(w, r)
	if !ok {
		return
	}
	ov := overview{
		Stats: st, From: p.From.UTC().Format(time.DateOnly), To: p.To.Add(-time.Nanosecond).UTC().Format(time.DateOnly),
		Query:  periodQuery(p),
		Charts: []chart{questionsChart(st), deflectionChart(st), feedbackChart(st), sectionsChart(st), reasonsChart(st), latencyChart(st)},
		Gaps:   st.Gaps, Window: humanDuration(d.window), OpenEscalations: -1,
	}
	if d.desk != nil {
		if open, err := d.desk.Escalations(r.Context(), bot.EscalationQuery{State: bot.EscalationOpen, Limit: escalationsPerPage}); err == nil {
			ov.OpenEscalations = len(open)
		}
	}
	d.render(w, http.StatusOK, "overview", d.view(sess, "overview", "Support dashboard", ov))
}

func (d *Dashboard) view(sess session, nav, title string, data any) view {
	return view{Title: title, CSRF: sess.csrf, Nav: nav, Escalated: d.desk != nil && d.resolver != nil, Data: data}
}

// periodQuery is p as from and to parameters, exactly.
func periodQuery(p bot.Period) string {
	return url.Values{"from": {p.From.UTC().Format(time.RFC3339)}, "to": {p.To.UTC().Format(time.RFC3339)}}.Encode()
}

type keyCount struct {
	key string
	n   int
}

// sortedCounts orders a count map by count, then name.
func sortedCounts(m map[string]int) []keyCount {
	out := make([]keyCount, 0, len(m))
	for k, n := range m {
		out = append(out, keyCount{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		return out[i].key < out[j].key
	})
	return out
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// safeURL lets only http(s) links into href attributes.
func safeURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return u.String()
}

// age says how long ago t was, roughly.
func age(now, t time.Time) string { return humanDuration(now.Sub(t)) }

// humanDuration is d in the largest whole unit: "3 d", "5 h", "12 min".
func humanDuration(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return itoa(int(d/(24*time.Hour))) + " d"
	case d >= time.Hour:
		return itoa(int(d/time.Hour)) + " h"
	case d >= time.Minute:
		return itoa(int(d/time.Minute)) + " min"
	}
	return "just now"
}

func itoa(n int) string { return strconv.Itoa(n) }
