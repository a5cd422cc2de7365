package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/faqbot/faqbot/corpus"
)

// toLearn sends every request to a local server standing in for
// learn.microsoft.com, remembering what was asked.
type toLearn struct {
	target *url.URL
	mu     sync.Mutex
	hosts  []string
}

func (l *toLearn) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	l.hosts = append(l.hosts, r.URL.Host)
	l.mu.Unlock()
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = l.target.Scheme, l.target.Host
	return http.DefaultTransport.RoundTrip(r)
}

// The embedded FAQ's page now redirects to "Notes about outbound marketing
// removal": --check-links says so for every section, keeps the report in
// the data dir, and the server shows it to admins.
func TestIndexCheckLinks(t *testing.T) {
	learn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/transition-faqs") {
			http.Redirect(w, r, "/en-us/dynamics365/customer-insights/journeys/notes-about-outbound-marketing-removal", http.StatusMovedPermanently)
			return
		}
		http.NotFound(w, r)
	}))
	defer learn.Close()
	target, _ := url.Parse(learn.URL)
	rt := &toLearn{target: target}
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var out bytes.Buffer
	if err := reportLinks(context.Background(), &out, dir, c, &http.Client{Transport: rt}); err != nil {
		t.Fatal(err)
	}
	n := len(c.Sections())
	if !strings.Contains(out.String(), "links: ") || strings.Count(out.String(), "\n  moved ") != n ||
		!strings.Contains(out.String(), "redirects to https://learn.microsoft.com/en-us/dynamics365/customer-insights/journeys/notes-about-outbound-marketing-removal") {
		t.Errorf("output:\n%s", out.String())
	}
	for _, h := range rt.hosts {
		if h != "learn.microsoft.com" {
			t.Errorf("fetched %s, which the corpus does not cite", h)
		}
	}
	if len(rt.hosts) != 1 {
		t.Errorf("%d fetches, want the one page once", len(rt.hosts))
	}
	if _, err := os.Stat(filepath.Join(dir, "links.json")); err != nil {
		t.Fatalf("no report in the data dir: %v", err)
	}

	s := startServe(t, map[string]string{"FAQBOT_DATA_DIR": dir, "FAQBOT_ADMIN_TOKEN": "tok"})
	s.ready()
	r := do(t, "GET", s.url+"/admin/api/links", "", "Authorization", "Bearer tok")
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"status":"moved"`) {
		t.Errorf("GET /admin/api/links: %d %s", r.status, r.body)
	}
}
