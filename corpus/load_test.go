package corpus

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadGuidanceFolder(t *testing.T) {
	dir := "../../shared/corpus/guidance"
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared guidance pages not available (%v); they live in ../shared/corpus/guidance", err)
	}
	c, err := Loader{}.Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Documents) != 17 {
		t.Errorf("got %d documents, want 17", len(c.Documents))
	}
	s, ok := c.Section("transition-overview.md", "if-the-enable-link-isnt-available-or-doesnt-work")
	if !ok {
		t.Fatal("the anchor the FAQ links to in transition-overview.md is missing")
	}
	if s.URL != LearnBaseURL+"transition-overview#if-the-enable-link-isnt-available-or-doesnt-work" {
		t.Errorf("URL = %s", s.URL)
	}
	// A page without ## headings is one section cited by the page URL.
	cv := c.Documents[slicesIndex(c, "transition-walkthrough-customer-voice.md")]
	if len(cv.Sections) != 1 || cv.Sections[0].URL != LearnBaseURL+"transition-walkthrough-customer-voice" {
		t.Errorf("customer voice page: %d sections", len(cv.Sections))
	}
	ids := map[string]bool{}
	for _, p := range c.Passages() {
		if ids[p.ID] {
			t.Errorf("duplicate passage ID %s", p.ID)
		}
		ids[p.ID] = true
	}
}

func slicesIndex(c *Corpus, name string) int {
	for i, d := range c.Documents {
		if d.Name == name {
			return i
		}
	}
	return -1
}

func TestLoadErrorsNameTheSource(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	noSections := write("notes.md", "# Notes\n\nJust a paragraph.\n")
	badYAML := write("bad.md", "---\ntitle: [x\n---\n## Q\n\nA\n")
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!DOCTYPE html><html><body>Sign in</body></html>"))
	}))
	defer html.Close()
	missing := httptest.NewServer(http.NotFoundHandler())
	defer missing.Close()

	tests := []struct {
		source string
		want   []string
		is     error
	}{
		{noSections, []string{"notes.md", "no ## sections"}, ErrNoSections},
		{badYAML, []string{"bad.md", "front matter"}, nil},
		{empty, []string{empty, "no .md files"}, nil},
		{filepath.Join(dir, "absent.md"), []string{"absent.md", "no such file"}, nil},
		{html.URL + "/transition-faqs.md", []string{html.URL, "not Markdown"}, nil},
		{missing.URL + "/x.md", []string{missing.URL, "404"}, nil},
	}
	for _, tt := range tests {
		_, err := Loader{}.Load(context.Background(), tt.source)
		if err == nil {
			t.Errorf("Load(%s): no error", tt.source)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Load(%s) error %q lacks %q", tt.source, err, w)
			}
		}
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("Load(%s) error %v is not %v", tt.source, err, tt.is)
		}
	}
}

func TestLoadURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(defaultFAQ)
	}))
	defer srv.Close()
	c, err := Loader{}.Load(context.Background(), srv.URL+"/raw/transition-faqs.md")
	if err != nil {
		t.Fatal(err)
	}
	def, _ := Default()
	if c.Version != def.Version {
		t.Errorf("same page over HTTP has version %s, embedded %s", c.Version, def.Version)
	}
	if c.Sections()[0].URL != def.Sections()[0].URL {
		t.Errorf("URL %s, want %s", c.Sections()[0].URL, def.Sections()[0].URL)
	}
}

// rawServer answers every connection with reply, whatever was asked, as a
// service that is not HTTP (or a hostile one) would.
func rawServer(t *testing.T, reply string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				// Reply once the request is in: bytes sent before it reach
				// an idle client connection, which discards them as
				// unsolicited and fails the request some other way.
				readRequestHead(c)
				c.Write([]byte(reply))
				io.Copy(io.Discard, io.LimitReader(c, 4096))
			}()
		}
	}()
	return ln.Addr().String()
}

// readRequestHead reads up to the blank line that ends a request's
// headers (or 4 KiB, or the deadline).
func readRequestHead(c net.Conn) {
	var head []byte
	buf := make([]byte, 512)
	for len(head) < 4096 && !strings.Contains(string(head), "\r\n\r\n") {
		n, err := c.Read(buf)
		head = append(head, buf[:n]...)
		if err != nil {
			return
		}
	}
}

func TestLoadErrorsShowNeitherCredentialsNorWhatTheServerSaid(t *testing.T) {
	banner := rawServer(t, "SSH-2.0-OpenSSH_9.2p1 internal-build-7\r\n")
	reason := rawServer(t, "HTTP/1.1 404 internal-build-7\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
	ctype := rawServer(t, "HTTP/1.1 200 OK\r\nContent-Type: text/internal-build-7\r\nContent-Length: 4\r\nConnection: close\r\n\r\n## Q")
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := closed.Addr().String()
	closed.Close()

	tests := []struct {
		source, want string
	}{
		{"http://admin:s3cret@" + banner + "/faq.md?token=s3cret", "no usable HTTP response"},
		{"http://" + reason + "/faq.md", "HTTP status 404"},
		{"http://" + ctype + "/faq.md", "not Markdown"},
		{"http://admin:s3cret@" + refused + "/faq.md?sig=s3cret", "cannot connect"},
	}
	for _, tt := range tests {
		_, err := Loader{}.Load(context.Background(), tt.source)
		if err == nil {
			t.Errorf("Load(%s): no error", tt.source)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tt.want) {
			t.Errorf("Load(%s) error %q lacks %q", tt.source, msg, tt.want)
		}
		for _, leak := range []string{"SSH-2.0", "internal-build-7", "s3cret", "admin"} {
			if strings.Contains(msg, leak) {
				t.Errorf("Load(%s) error %q shows %q", tt.source, msg, leak)
			}
		}
	}
}
