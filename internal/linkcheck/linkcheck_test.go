package linkcheck

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/corpus"
)

// learn stands in for Microsoft Learn: one page per behaviour.
func learn(t *testing.T) (*httptest.Server, *[]string) {
	var mu sync.Mutex
	var fetched []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		fetched = append(fetched, r.URL.Path)
		mu.Unlock()
		switch r.URL.Path {
		case "/docs/good":
			w.Write([]byte(`<html><h2 id="good-section">Good section?</h2><h2 id="other">x</h2></html>`))
		case "/docs/Good/":
			http.Redirect(w, r, "/docs/good", http.StatusMovedPermanently) // the same page
		case "/docs/moved":
			http.Redirect(w, r, "/docs/notes-about-outbound-marketing-removal", http.StatusMovedPermanently)
		case "/docs/big":
			w.Write([]byte(strings.Repeat("x", 2048)))
		case "/docs/broken":
			http.Error(w, "oops", http.StatusInternalServerError)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &fetched
}

func corpusAt(t *testing.T, pages ...string) *corpus.Corpus {
	t.Helper()
	var docs []*corpus.Document
	for _, p := range pages {
		c, err := corpus.Loader{BaseURL: strings.TrimSuffix(p, lastPart(p))}.Load(context.Background(), "testdata/faq.md")
		if err != nil {
			t.Fatal(err)
		}
		d := c.Documents[0]
		d.URL = p
		for _, s := range d.Sections {
			s.URL = p
			if s.Anchor != "" {
				s.URL += "#" + s.Anchor
			}
		}
		docs = append(docs, d)
	}
	return &corpus.Corpus{Documents: docs, Version: "v1"}
}

func lastPart(p string) string { return p[strings.LastIndex(p, "/")+1:] }

func TestCheck(t *testing.T) {
	srv, fetched := learn(t)
	pages := []string{srv.URL + "/docs/good", srv.URL + "/docs/Good/", srv.URL + "/docs/moved", srv.URL + "/docs/gone", srv.URL + "/docs/big", srv.URL + "/docs/broken"}
	r := Check(context.Background(), corpusAt(t, pages...), Options{MaxBytes: 1024, Clock: func() time.Time { return time.Unix(0, 0) }})
	got := map[string]string{}
	for _, res := range r.Results {
		got[strings.TrimPrefix(res.URL, srv.URL)] = string(res.Status) + " " + res.Detail
	}
	want := map[string]string{
		"/docs/good#good-section":   "ok ",
		"/docs/good#gone-section":   "no_anchor the page has no element with id gone-section",
		"/docs/Good/#good-section":  "ok ",
		"/docs/moved#good-section":  "moved redirects to " + srv.URL + "/docs/notes-about-outbound-marketing-removal",
		"/docs/gone#good-section":   "missing HTTP 404",
		"/docs/big#good-section":    "error the page is larger than 1024 bytes",
		"/docs/broken#gone-section": "error HTTP 500",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
	if len(r.Results) != 12 || len(r.Problems()) != 10 {
		t.Errorf("%d results, %d problems; want 12 and 10", len(r.Results), len(r.Problems()))
	}
	// Each page once; the page it moved to is not followed.
	for _, p := range *fetched {
		if p == "/docs/notes-about-outbound-marketing-removal" {
			t.Error("followed a redirect to another page")
		}
	}
	if n := len(*fetched); n != 7 {
		t.Errorf("%d fetches %v, want one per page plus the same-page redirect", n, *fetched)
	}
	if s := r.Summary(); s != "12 cited sections: 2 ok, 2 moved, 2 missing, 2 no_anchor, 4 error" {
		t.Errorf("summary %q", s)
	}
}

func TestSaveLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if _, err := Load(path); !errors.Is(err, ErrNoReport) {
		t.Fatalf("no report: err %v", err)
	}
	r := Report{CorpusVersion: "v1", Checked: time.Unix(10, 0).UTC(), Results: []Result{{Anchor: "a", Status: Moved, Detail: "redirects to x"}}}
	if err := Save(path, r); err != nil {
		t.Fatal(err)
	}
	back, err := Load(path)
	if err != nil || back.CorpusVersion != "v1" || len(back.Results) != 1 || back.Results[0].Status != Moved || !back.Checked.Equal(r.Checked) {
		t.Errorf("loaded %+v, %v", back, err)
	}
}
