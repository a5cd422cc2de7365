package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/internal/linkcheck"
)

func TestLinkReport(t *testing.T) {
	path := filepath.Join(t.TempDir(), linkcheck.FileName)
	mux := http.NewServeMux()
	NewLinkReport("tok", path, nil).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(auth string) (int, string) {
		req, _ := http.NewRequest("GET", srv.URL+"/admin/api/links", nil)
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, _ := get("wrong"); status != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", status)
	}
	if status, body := get("tok"); status != http.StatusNotFound || !strings.Contains(body, "--check-links") {
		t.Errorf("before a check: %d %s", status, body)
	}
	if err := linkcheck.Save(path, linkcheck.Report{CorpusVersion: "v1", Results: []linkcheck.Result{
		{Anchor: "a", Status: linkcheck.OK}, {Anchor: "b", Status: linkcheck.Moved, Detail: "redirects to https://x"}}}); err != nil {
		t.Fatal(err)
	}
	status, body := get("tok")
	if status != 200 || !strings.Contains(body, `"problems":1`) || !strings.Contains(body, `"status":"moved"`) || !strings.Contains(body, `"summary":"2 cited sections: 1 ok, 1 moved"`) {
		t.Errorf("after a check: %d %s", status, body)
	}
	empty := http.NewServeMux()
	NewLinkReport("", path, nil).Register(empty)
	rec := httptest.NewRecorder()
	empty.ServeHTTP(rec, httptest.NewRequest("GET", "/admin/api/links", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("without a token the endpoint exists: %d", rec.Code)
	}
}
