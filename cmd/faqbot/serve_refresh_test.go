package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/internal/egress/egresstest"
)

// secretPage is a Markdown page that must never become the serving corpus.
const secretPage = "---\ntitle: Internal\n---\n# Internal\n\n## How much does the CEO earn?\n\nThe CEO earns forty-two gold bars a year.\n"

// faqPage is the embedded FAQ's Markdown.
func faqPage(t *testing.T) []byte {
	t.Helper()
	faq, err := os.ReadFile(filepath.Join("..", "..", "corpus", corpus.DefaultName))
	if err != nil {
		t.Fatal(err)
	}
	return faq
}

// bannerServer greets every connection as an SSH server does.
func bannerServer(t *testing.T, ip string) string {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.SetDeadline(time.Now().Add(waitLimit))
			c.Write([]byte("SSH-2.0-OpenSSH_9.2p1 build-internal-7\r\n"))
			io.Copy(io.Discard, io.LimitReader(c, 4096))
			c.Close()
		}
	}()
	return ln.Addr().String()
}

func adminRefresh(t *testing.T, s *serveRun, token, source string) reply {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"source": source})
	return do(t, "POST", s.url+"/admin/refresh", string(body), "Authorization", "Bearer "+token)
}

func TestRefreshRefusesSourcesAnswersWouldLeak(t *testing.T) {
	root := t.TempDir()
	folder := filepath.Join(root, "faq")
	if err := os.MkdirAll(filepath.Join(root, "private"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	configured := filepath.Join(folder, corpus.DefaultName)
	outside := filepath.Join(root, "private", "internal.md")
	for p, content := range map[string][]byte{configured: faqPage(t), outside: []byte(secretPage)} {
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	internal := egresstest.ServeOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/markdown")
		io.WriteString(w, secretPage)
	}))
	_, internalPort, _ := net.SplitHostPort(internal.Listener.Addr().String())
	public := egresstest.ServeOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-loopback.md":
			http.Redirect(w, r, internal.URL+"/internal.md", http.StatusFound)
		case "/to-localhost.md":
			http.Redirect(w, r, "http://localhost:"+internalPort+"/internal.md", http.StatusFound)
		}
	}))
	banner := bannerServer(t, "127.0.0.2")

	const token = "admin-token-1b9e"
	s := startServe(t, map[string]string{
		"FAQBOT_CORPUS":        configured,
		"FAQBOT_ADMIN_TOKEN":   token,
		"FAQBOT_REFRESH_HOSTS": "127.0.0.2,localhost",
	})
	serving := s.ready()["corpus_version"].(string)

	tests := []struct {
		name, source, want string
	}{
		{"a file outside the corpus folder", outside, "outside the configured corpus's folder"},
		{"a way out of it with ..", filepath.Join(folder, "..", "private", "internal.md"), "outside the configured corpus's folder"},
		{"a loopback URL", internal.URL + "/internal.md", "refused: host 127.0.0.1 is not in FAQBOT_REFRESH_HOSTS"},
		{"an allowed name that resolves to loopback", "http://localhost:" + internalPort + "/internal.md", "refused: the host resolves to a loopback address"},
		{"a redirect to a loopback URL", public.URL + "/to-loopback.md", "refused: host 127.0.0.1 is not in FAQBOT_REFRESH_HOSTS"},
		{"a redirect to a name that resolves to loopback", public.URL + "/to-localhost.md", "refused: the host resolves to a loopback address"},
		{"an allowed host that is not a web server", "http://" + banner + "/faq.md", "no usable HTTP response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := adminRefresh(t, s, token, tt.source)
			var body struct {
				Error          string `json:"error"`
				ServingVersion string `json:"serving_version"`
			}
			if r.status != http.StatusBadGateway || json.Unmarshal(r.body, &body) != nil {
				t.Fatalf("status %d %s, want 502 with an error", r.status, r.body)
			}
			if !strings.Contains(body.Error, tt.want) || body.ServingVersion != serving {
				t.Errorf("error %q (serving %s), want it to say %q and %s to keep serving", body.Error, body.ServingVersion, tt.want, serving)
			}
			for _, leak := range []string{"gold bars", "SSH-2.0", "build-internal-7"} {
				if strings.Contains(body.Error, leak) {
					t.Errorf("error %q echoes %q", body.Error, leak)
				}
			}
			a := decodeAnswer(t, do(t, "POST", s.url+"/api/ask", askJSON("How much does the CEO earn?")))
			if a.CorpusVersion != serving || strings.Contains(a.Text, "gold bars") {
				t.Errorf("after a refused refresh the answer comes from %s: %q", a.CorpusVersion, a.Text)
			}
		})
	}
	if strings.Contains(s.logs.String(), "gold bars") || strings.Contains(s.logs.String(), "SSH-2.0") {
		t.Error("the logs show what a refused source holds")
	}
	// The operator's own corpus stays refreshable, by name or by default.
	for _, source := range []string{"", configured} {
		if r := adminRefresh(t, s, token, source); r.status != http.StatusOK {
			t.Errorf("refresh from %q: %d %s", source, r.status, r.body)
		}
	}
}

func TestCorpusURLCredentialsStayHidden(t *testing.T) {
	faq := faqPage(t)
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) > 1 {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/markdown")
		w.Write(faq)
	}))
	t.Cleanup(srv.Close)
	// The configured corpus is on a private host: allowed, since the
	// operator chose it.
	source := strings.Replace(srv.URL, "http://", "http://faqbot:pw-s3cret@", 1) + "/transition-faqs.md?token=tok-s3cret"
	const token = "admin-token-77c1"
	s := startServe(t, map[string]string{"FAQBOT_CORPUS": source, "FAQBOT_ADMIN_TOKEN": token})
	start := s.ready()
	shown := srv.URL + "/transition-faqs.md?REDACTED"
	if start["corpus_source"] != shown {
		t.Errorf("start-up line corpus_source = %v, want %s", start["corpus_source"], shown)
	}
	metrics := string(do(t, "GET", s.url+"/metrics", "").body)
	if !strings.Contains(metrics, `source="`+shown+`"`) {
		t.Errorf("/metrics does not show the corpus as %s", shown)
	}
	r := adminRefresh(t, s, token, "")
	if r.status != http.StatusBadGateway || !strings.Contains(string(r.body), shown) {
		t.Errorf("refresh from a failing corpus: %d %s, want 502 naming %s", r.status, r.body, shown)
	}
	r = adminRefresh(t, s, token, source)
	if r.status != http.StatusBadGateway {
		t.Errorf("refresh naming the corpus: %d %s", r.status, r.body)
	}
	s.stop()

	var index strings.Builder
	code := run(context.Background(), []string{"index", "--corpus", source, "--data-dir", t.TempDir()},
		strings.NewReader(""), &index, &index, func(string) string { return "" })
	requests.Store(0)
	code2 := run(context.Background(), []string{"index", "--corpus", source, "--data-dir", t.TempDir()},
		strings.NewReader(""), &index, &index, func(string) string { return "" })
	if code != exitUsage || code2 != exitOK || !strings.Contains(index.String(), shown) {
		t.Errorf("index: exit %d then %d, output:\n%s", code, code2, index.String())
	}
	for name, text := range map[string]string{
		"/metrics": metrics, "the 502 body": string(r.body), "the logs": s.logs.String(), "index": index.String(),
	} {
		for _, secret := range []string{"pw-s3cret", "tok-s3cret", "faqbot:pw"} {
			if strings.Contains(text, secret) {
				t.Errorf("%s show %q", name, secret)
			}
		}
	}
}
