// Package linkcheck follows the URLs a corpus cites and reports sections
// whose page moved elsewhere, is gone, or no longer has the section's
// anchor: a citation that lands on a page without the quoted text is a
// dead end for the reader (Microsoft retired the transition FAQ page in
// June 2026 and redirected it to one without its anchors).
package linkcheck

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/faqbot/faqbot/corpus"
)

// Status is what became of one cited section's link.
type Status string

const (
	OK       Status = "ok"
	Moved    Status = "moved"     // the page redirects to another page
	Missing  Status = "missing"   // 404 or 410
	NoAnchor Status = "no_anchor" // the page is there without the section's anchor
	Failed   Status = "error"     // any other status, or no answer
)

// Result is one section's link, checked.
type Result struct {
	Document string `json:"document"`
	Anchor   string `json:"anchor"`
	Title    string `json:"title"`
	URL      string `json:"url"`
	Status   Status `json:"status"`
	// Detail says what was found: the redirect's target, the HTTP status,
	// the error.
	Detail string `json:"detail,omitempty"`
}

// Report is a whole check.
type Report struct {
	Checked       time.Time `json:"checked"`
	CorpusVersion string    `json:"corpus_version"`
	Results       []Result  `json:"results"`
}

// Problems returns the results that are not OK.
func (r Report) Problems() []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Status != OK {
			out = append(out, res)
		}
	}
	return out
}

// Options bound a check. All fields are optional.
type Options struct {
	// Client fetches pages; its redirects are handled here (one with a
	// 15 s timeout when nil).
	Client *http.Client
	// MaxBytes bounds a page read (DefaultMaxBytes when zero).
	MaxBytes int64
	// Parallel bounds the pages fetched at once (DefaultParallel when zero).
	Parallel int
	Clock    func() time.Time
}

// Bounds of a check.
const (
	DefaultMaxBytes = 8 << 20
	DefaultParallel = 4
	maxRedirects    = 5
	requestTimeout  = 15 * time.Second
)

// Check fetches every page the corpus cites, once each, and checks each
// section's anchor on it. Only the corpus's own URLs are fetched, and
// redirects only where they stay on the same page.
func Check(ctx context.Context, c *corpus.Corpus, opts Options) Report {
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: requestTimeout}
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Parallel <= 0 {
		opts.Parallel = DefaultParallel
	}
	now := time.Now
	if opts.Clock != nil {
		now = opts.Clock
	}
	client := *opts.Client
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	pages := map[string][]*corpus.Section{}
	var order []string
	for _, s := range c.Sections() {
		page, _, _ := strings.Cut(s.URL, "#")
		if page == "" {
			continue
		}
		if _, ok := pages[page]; !ok {
			order = append(order, page)
		}
		pages[page] = append(pages[page], s)
	}
	results := make([][]Result, len(order))
	sem := make(chan struct{}, opts.Parallel)
	var wg sync.WaitGroup
	for i, page := range order {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = checkPage(ctx, &client, page, pages[page], opts.MaxBytes)
		}()
	}
	wg.Wait()
	r := Report{Checked: now().UTC(), CorpusVersion: c.Version}
	for _, rs := range results {
		r.Results = append(r.Results, rs...)
	}
	return r
}

// checkPage fetches one page and judges each of its sections.
func checkPage(ctx context.Context, client *http.Client, page string, secs []*corpus.Section, maxBytes int64) []Result {
	body, status, detail := fetch(ctx, client, page, maxBytes)
	out := make([]Result, 0, len(secs))
	for _, s := range secs {
		r := Result{Document: s.Document, Anchor: s.Anchor, Title: s.Title, URL: s.URL, Status: status, Detail: detail}
		if status == OK && s.Anchor != "" && !hasAnchor(body, s.Anchor) {
			r.Status, r.Detail = NoAnchor, "the page has no element with id "+s.Anchor
		}
		out = append(out, r)
	}
	return out
}

// fetch gets a page, following redirects that stay on the same page
// (another scheme, a trailing slash, the case of the path).
func fetch(ctx context.Context, client *http.Client, page string, maxBytes int64) ([]byte, Status, string) {
	current := page
	for range maxRedirects + 1 {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, current, nil)
		if err != nil {
			return nil, Failed, err.Error()
		}
		req.Header.Set("Accept", "text/html")
		req.Header.Set("User-Agent", "faqbot-linkcheck")
		resp, err := client.Do(req)
		if err != nil {
			return nil, Failed, shorten(err.Error())
		}
		switch {
		case resp.StatusCode >= 300 && resp.StatusCode < 400:
			resp.Body.Close()
			// Relative to the URL asked for, whatever transport carried it.
			next, err := req.URL.Parse(resp.Header.Get("Location"))
			if err != nil || resp.Header.Get("Location") == "" {
				return nil, Failed, fmt.Sprintf("HTTP %d without a usable Location", resp.StatusCode)
			}
			if !samePage(page, next) {
				return nil, Moved, "redirects to " + next.String()
			}
			current = next.String()
			continue
		case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
			resp.Body.Close()
			return nil, Missing, fmt.Sprintf("HTTP %d", resp.StatusCode)
		case resp.StatusCode != http.StatusOK:
			resp.Body.Close()
			return nil, Failed, fmt.Sprintf("HTTP %d", resp.StatusCode)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
		resp.Body.Close()
		if err != nil {
			return nil, Failed, shorten(err.Error())
		}
		if int64(len(body)) > maxBytes {
			return nil, Failed, fmt.Sprintf("the page is larger than %d bytes", maxBytes)
		}
		return body, OK, ""
	}
	return nil, Failed, fmt.Sprintf("more than %d redirects", maxRedirects)
}

// samePage reports whether a redirect from page to next stays on it.
func samePage(page string, next *url.URL) bool {
	p, err := url.Parse(page)
	if err != nil {
		return false
	}
	norm := func(s string) string { return strings.TrimSuffix(strings.ToLower(s), "/") }
	return strings.EqualFold(p.Host, next.Host) && norm(p.Path) == norm(next.Path)
}

// hasAnchor reports whether an HTML page has an element the anchor
// targets: id="anchor" (or name=, as older pages use).
func hasAnchor(body []byte, anchor string) bool {
	for _, attr := range []string{"id", "name"} {
		for _, q := range []string{`"`, `'`} {
			if bytes.Contains(body, []byte(attr+"="+q+anchor+q)) {
				return true
			}
		}
	}
	return false
}

func shorten(s string) string {
	if len(s) > 200 {
		return strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

// Summary counts the results by status, in a fixed order.
func (r Report) Summary() string {
	counts := map[Status]int{}
	for _, res := range r.Results {
		counts[res.Status]++
	}
	var parts []string
	for _, s := range []Status{OK, Moved, Missing, NoAnchor, Failed} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	if len(parts) == 0 {
		return "no cited links"
	}
	return fmt.Sprintf("%d cited sections: %s", len(r.Results), strings.Join(parts, ", "))
}
