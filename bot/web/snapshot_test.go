package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
)

func snapshotServer(t *testing.T, c *corpus.Corpus) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	NewSnapshots(func() *corpus.Corpus { return c }, nil).Register(mux)
	NewChat(&recordingAsker{}, ChatOptions{}).Register(mux) // the stylesheet
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func getPage(t *testing.T, u string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

// Every section of the embedded FAQ has a page with its title, the FAQ's
// date, its text and the original Learn link, at the path citations use.
func TestSnapshotEverySection(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	srv := snapshotServer(t, c)
	secs := c.Sections()
	if len(secs) < 10 {
		t.Fatalf("the embedded FAQ has %d sections", len(secs))
	}
	for _, sec := range secs {
		u := bot.SnapshotURL(srv.URL, sec.Document, sec.Anchor, c.Version)
		status, body, h := getPage(t, u)
		if status != http.StatusOK {
			t.Errorf("%s: status %d", u, status)
			continue
		}
		esc := htmlEscaper.Replace
		for _, want := range []string{"<h1>" + esc(sec.Title) + "</h1>", "FAQ dated April 14, 2025", `href="` + esc(sec.URL) + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: page lacks %q", sec.Anchor, want)
			}
		}
		// A distinctive piece of the section's own text is on the page.
		words := strings.Fields(sec.Plain)
		if len(words) > 6 {
			words = words[len(words)-6:]
		}
		if !strings.Contains(squash(htmlText(body)), squash(strings.Join(words, " "))) {
			t.Errorf("%s: page lacks the section's text %q", sec.Anchor, strings.Join(words, " "))
		}
		if strings.Contains(body, "quoted corpus version") {
			t.Errorf("%s: a notice about another version on the current one", sec.Anchor)
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
			t.Errorf("CSP %q", csp)
		}
	}
}

func TestSnapshotNotFoundAndOtherVersion(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	srv := snapshotServer(t, c)
	for _, path := range []string{
		"/faq/transition-faqs.md/no-such-anchor",
		"/faq/other.md/" + c.Sections()[0].Anchor,
		"/faq/transition-faqs.md/" + strings.Repeat("a", 400),
	} {
		if status, _, _ := getPage(t, srv.URL+path); status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, status)
		}
	}
	sec := c.Sections()[0]
	status, body, _ := getPage(t, bot.SnapshotURL(srv.URL, sec.Document, sec.Anchor, "old<version>"))
	if status != http.StatusOK || !strings.Contains(body, "quoted corpus version old&lt;version&gt;") {
		t.Errorf("an older version's link: status %d, want the page with a notice that names it escaped:\n%s", status, body)
	}
}

func TestSnapshotEscapesEverything(t *testing.T) {
	c, err := corpus.Loader{}.Load(context.Background(), "testdata/evil-faq.md")
	if err != nil {
		t.Fatal(err)
	}
	srv := snapshotServer(t, c)
	sec := c.Sections()[len(c.Sections())-1]
	status, body, _ := getPage(t, srv.URL+bot.SnapshotPath(sec.Document, sec.Anchor))
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	for _, bad := range []string{"<script", "<img", `href="javascript`, "onerror=", "<b>FAQ"} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains %q:\n%s", bad, body)
		}
	}
	for _, want := range []string{`<a href="https://learn.microsoft.com/en-us/x">good link</a>`, "<strong>bold</strong>", "<li>first bullet</li>", "bad link"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
}

func TestSnapshotLoading(t *testing.T) {
	srv := snapshotServer(t, nil)
	if status, _, _ := getPage(t, srv.URL+"/faq/transition-faqs.md/x"); status != http.StatusServiceUnavailable {
		t.Errorf("before the first index: status %d, want 503", status)
	}
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

var tags = strings.NewReplacer("<p>", " ", "</p>", " ", "<li>", " ", "</li>", " ", "<strong>", "", "</strong>", "", "<em>", "", "</em>", "")

// htmlText is the page's text, roughly: enough to find a sentence in it.
func htmlText(body string) string {
	body = tags.Replace(body)
	var b strings.Builder
	in := false
	for _, r := range body {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	s, _ := url.PathUnescape(b.String())
	return strings.NewReplacer("&amp;", "&", "&#39;", "'", "&#34;", `"`, "&quot;", `"`, "&lt;", "<", "&gt;", ">").Replace(s)
}

func squash(s string) string { return strings.Join(strings.Fields(s), " ") }
