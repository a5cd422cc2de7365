package web

import (
	"bytes"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/faqbot/faqbot/corpus"
)

// Snapshots serves GET /faq/{document}/{anchor}?v={corpus_version}: the
// cited section as faqbot holds it, with its title, the FAQ's date and
// the original link. Citations point here when FAQBOT_PUBLIC_URL is set,
// because the original page may move or lose its anchors.
type Snapshots struct {
	current func() *corpus.Corpus
	log     *slog.Logger
}

// NewSnapshots serves the sections of the corpus current returns (nil
// before the first index).
func NewSnapshots(current func() *corpus.Corpus, log *slog.Logger) *Snapshots {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Snapshots{current: current, log: log}
}

// Register mounts GET /faq/{document}/{anchor} on mux. A page's lead
// section, cited by the page URL, has the empty anchor: /faq/{document}/.
func (s *Snapshots) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /faq/{document}/{anchor...}", s.serve)
}

// maxRefChars bounds the document, anchor and version a request names;
// real ones are far shorter.
const maxRefChars = 300

// snapshotCSP allows the page's stylesheet and nothing else: no script
// runs on a snapshot.
const snapshotCSP = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

type snapshotPage struct {
	Title, DocTitle, Date, Original string
	Body                            template.HTML
	Version, Asked                  string
}

var snapshotTemplate = template.Must(template.New("snapshot").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}} · {{.DocTitle}}</title>
<link rel="stylesheet" href="/assets/snapshot.css">
</head>
<body>
<main>
<p class="doc">{{.DocTitle}}{{if .Date}} · <span class="date">FAQ dated {{.Date}}</span>{{end}}</p>
<h1>{{.Title}}</h1>
{{if and .Asked (ne .Asked .Version)}}<p class="notice" role="note">The answer you came from quoted corpus version {{.Asked}}; this is the section in the version faqbot serves now ({{.Version}}), which may differ.</p>
{{end}}<article class="section">
{{.Body}}
</article>
<p class="original">Original: <a href="{{.Original}}" rel="noopener noreferrer">{{.Original}}</a> (Microsoft may have moved or changed that page since)</p>
<p class="meta">Kept by faqbot so that citations never dead-end · corpus {{.Version}}</p>
</main>
</body>
</html>
`))

func (s *Snapshots) serve(w http.ResponseWriter, r *http.Request) {
	doc, anchor, asked := r.PathValue("document"), r.PathValue("anchor"), r.URL.Query().Get("v")
	if tooLong(doc) || tooLong(anchor) || tooLong(asked) {
		http.Error(w, "no such section", http.StatusNotFound)
		return
	}
	c := s.current()
	if c == nil {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "the FAQ is still loading; try again in a few seconds", http.StatusServiceUnavailable)
		return
	}
	sec, ok := c.Section(doc, anchor)
	if !ok {
		http.Error(w, "no such section in the FAQ faqbot serves", http.StatusNotFound)
		return
	}
	page := snapshotPage{
		Title: sec.Title, DocTitle: sec.DocTitle, Date: sectionDate(c, sec),
		Original: sec.URL, Body: renderMarkdown(sec.Text), Version: c.Version, Asked: asked,
	}
	if !allowedURL(page.Original) {
		page.Original = ""
	}
	var b bytes.Buffer
	if err := snapshotTemplate.Execute(&b, page); err != nil {
		s.log.Error("render snapshot", "document", doc, "anchor", anchor, "err", err)
		http.Error(w, "cannot render the section", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", snapshotCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	_, _ = w.Write(b.Bytes())
}

func tooLong(s string) bool { return len(s) > maxRefChars || !utf8.ValidString(s) }

// sectionDate is the FAQ's date as its page states it, spelled as a
// reader expects ("April 14, 2025").
func sectionDate(c *corpus.Corpus, sec *corpus.Section) string {
	if !sec.Date.IsZero() {
		return sec.Date.Format("January 2, 2006")
	}
	for _, d := range c.Documents {
		if d.Name == sec.Document {
			return strings.TrimSpace(d.DateText)
		}
	}
	return ""
}
