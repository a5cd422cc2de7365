package main

import (
	"html"
	"net/http"
	"strings"
	"testing"
)

// With FAQBOT_PUBLIC_URL, every citation of an answer carries a snapshot
// URL under it, and the server serves that section there; url stays the
// original. Without it, the JSON has no snapshot_url at all.
func TestServeCitationsLinkToSnapshots(t *testing.T) {
	const public = "https://faq.example.com/bot"
	s := startServe(t, map[string]string{"FAQBOT_PUBLIC_URL": public + "/"})
	s.ready()
	a := decodeAnswer(t, do(t, "POST", s.url+"/api/ask", askJSON("Can I get an extension past the outbound marketing removal date?")))
	if len(a.Citations) == 0 {
		t.Fatal("no citations")
	}
	for _, c := range a.Citations {
		if !strings.HasPrefix(c.URL, "https://learn.microsoft.com/") {
			t.Errorf("url = %q, want the original Learn link", c.URL)
		}
		want := public + "/faq/" + c.Document + "/" + c.Anchor + "?v=" + a.CorpusVersion
		if c.SnapshotURL != want {
			t.Errorf("snapshot_url = %q, want %q", c.SnapshotURL, want)
			continue
		}
		r := do(t, "GET", s.url+strings.TrimPrefix(c.SnapshotURL, public), "")
		if r.status != http.StatusOK || !strings.Contains(string(r.body), "<h1>"+html.EscapeString(c.Title)+"</h1>") {
			t.Errorf("GET %s: status %d, want the section titled %q", c.SnapshotURL, r.status, c.Title)
		}
	}

	plain := startServe(t, nil)
	plain.ready()
	r := do(t, "POST", plain.url+"/api/ask", askJSON("Can I get an extension past the outbound marketing removal date?"))
	if strings.Contains(string(r.body), "snapshot_url") {
		t.Errorf("without FAQBOT_PUBLIC_URL the answer has snapshot_url: %s", r.body)
	}
}

func TestPublicURLIsChecked(t *testing.T) {
	for _, v := range []string{"faq.example.com", "ftp://faq.example.com", "https://faq.example.com/?a=b", "https://u:p@faq.example.com"} {
		_, err := loadConfig(func(k string) string {
			if k == "FAQBOT_PUBLIC_URL" {
				return v
			}
			return ""
		}, "", "")
		if err == nil || !strings.Contains(err.Error(), "FAQBOT_PUBLIC_URL") {
			t.Errorf("FAQBOT_PUBLIC_URL=%q: err = %v, want one naming the variable", v, err)
		}
	}
}
