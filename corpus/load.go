package corpus

import (
	"context"
	"crypto/tls"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/faqbot/faqbot/internal/redact"
)

//go:embed transition-faqs.md
var defaultFAQ []byte

// The questions each section of the embedded FAQ answers, and questions on
// its topic that it does not answer, written in advance from the FAQ alone
// ("anchor<TAB>question" lines): retrieval indexes them so that people's
// own wording meets the right section, or none.
var (
	//go:embed transition-faqs.questions.tsv
	defaultQuestions []byte
	//go:embed transition-faqs.unanswered.tsv
	defaultUnanswered []byte
)

// DefaultQuestions returns the questions written for the embedded FAQ, as
// "anchor<TAB>question" lines under a header: those its sections answer,
// those it does not. It also names the document they belong to.
func DefaultQuestions() (document string, answered, unanswered []byte) {
	return DefaultName, defaultQuestions, defaultUnanswered
}

// DefaultName is the file name of the embedded FAQ.
const DefaultName = "transition-faqs.md"

// maxDocumentBytes bounds one page; Learn pages are tens of kilobytes.
const maxDocumentBytes = 4 << 20

// Default returns the FAQ built into the binary.
func Default() (*Corpus, error) {
	return Loader{}.Parse(defaultSnapshot())
}

// Loader reads corpora from files, folders and URLs.
type Loader struct {
	// HTTPClient fetches URL sources; http.DefaultClient when nil.
	HTTPClient *http.Client
	// BaseURL is the folder URL documents are published under
	// (LearnBaseURL when empty).
	BaseURL string
}

// Load reads a corpus: "" for the embedded FAQ, an http(s) URL of one page, a
// Markdown file, or a folder whose .md files (not its subfolders) are pages.
func (l Loader) Load(ctx context.Context, source string) (*Corpus, error) {
	s, err := l.Read(ctx, source)
	if err != nil {
		return nil, err
	}
	return l.Parse(s)
}

// Read reads the pages of a corpus, as Load does, without parsing them.
func (l Loader) Read(ctx context.Context, source string) (Snapshot, error) {
	switch {
	case source == "":
		return defaultSnapshot(), nil
	case IsURL(source):
		return l.loadURL(ctx, source)
	}
	info, err := os.Stat(source)
	if err != nil {
		return Snapshot{}, fmt.Errorf("load corpus %s: %w", source, err)
	}
	if info.IsDir() {
		return l.loadDir(source)
	}
	data, err := readLimited(source)
	if err != nil {
		return Snapshot{}, err
	}
	file := filepath.Base(source)
	return Snapshot{Source: source, Pages: []Page{{Name: docName(file), File: file, Data: data}}}, nil
}

// IsURL reports whether Load reads source over HTTP rather than from disk.
func IsURL(source string) bool {
	return strings.HasPrefix(source, "http://") || strings.HasPrefix(source, "https://")
}

// parseFAQ parses a page that must have question sections.
func parseFAQ(name string, data []byte, baseURL string) (*Document, error) {
	doc, err := Parse(name, data, baseURL)
	if err != nil {
		return nil, err
	}
	if !doc.HasHeadings() {
		return nil, fmt.Errorf("parse %s: %w", name, ErrNoSections)
	}
	return doc, nil
}

func (l Loader) loadDir(dir string) (Snapshot, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Snapshot{}, fmt.Errorf("load corpus %s: %w", dir, err)
	}
	s := Snapshot{Source: dir, Folder: true}
	seen := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".md") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		data, err := readLimited(p)
		if err != nil {
			return Snapshot{}, err
		}
		name := docName(e.Name())
		if other, dup := seen[name]; dup {
			return Snapshot{}, fmt.Errorf("load corpus %s: %s and %s are both the page %s", dir, other, e.Name(), name)
		}
		seen[name] = e.Name()
		s.Pages = append(s.Pages, Page{Name: name, File: e.Name(), Data: data})
	}
	if len(s.Pages) == 0 {
		return Snapshot{}, fmt.Errorf("load corpus %s: no .md files", dir)
	}
	sort.Slice(s.Pages, func(i, j int) bool { return s.Pages[i].Name < s.Pages[j].Name })
	return s, nil
}

func (l Loader) loadURL(ctx context.Context, source string) (Snapshot, error) {
	// Errors name the source without its credentials, and never quote what
	// the other side sent: a refresh names URLs on behalf of whoever asked,
	// and its errors go back to them.
	shown := redact.URL(source)
	u, err := url.Parse(source)
	if err != nil {
		return Snapshot{}, fmt.Errorf("load corpus %s: not a URL", shown)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, source, nil)
	if err != nil {
		return Snapshot{}, fmt.Errorf("load corpus %s: not a URL", shown)
	}
	req.Header.Set("Accept", "text/markdown, text/plain;q=0.9")
	client := l.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return Snapshot{}, fmt.Errorf("load corpus %s: %w", shown, fetchError{err})
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		// The code only: the reason phrase is the server's to choose.
		return Snapshot{}, fmt.Errorf("load corpus %s: HTTP status %d", shown, resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentBytes+1))
	if err != nil {
		return Snapshot{}, fmt.Errorf("load corpus %s: %w", shown, fetchError{err})
	}
	if len(data) > maxDocumentBytes {
		return Snapshot{}, fmt.Errorf("load corpus %s: larger than %d bytes", shown, maxDocumentBytes)
	}
	if err := checkMarkdown(resp.Header.Get("Content-Type"), data); err != nil {
		return Snapshot{}, fmt.Errorf("load corpus %s: %w", shown, err)
	}
	name := docName(path.Base(u.Path))
	if name == "/" || name == "." {
		name = "index.md"
	}
	if !strings.HasSuffix(name, ".md") {
		name += ".md"
	}
	return Snapshot{Source: source, Pages: []Page{{Name: name, File: name, Data: data}}}, nil
}

// fetchError is a failed fetch described in the client's own words: what
// went wrong, never what the server said. A TCP banner in a "malformed
// HTTP response" or the text of a TLS alert would otherwise tell whoever
// named the URL what listens there. The cause stays reachable with
// errors.Is and errors.As.
type fetchError struct{ err error }

func (e fetchError) Unwrap() error { return e.err }

func (e fetchError) Error() string {
	// A refusal by the client's own policy (internal/egress) is ours to
	// quote.
	if r, ok := errors.AsType[interface {
		error
		RefusedFetch()
	}](e.err); ok {
		return r.Error()
	}
	var (
		dnsErr *net.DNSError
		opErr  *net.OpError
		netErr net.Error
	)
	switch {
	case errors.Is(e.err, context.Canceled):
		return "cancelled"
	case errors.Is(e.err, context.DeadlineExceeded), errors.As(e.err, &netErr) && netErr.Timeout():
		return "timed out"
	case errors.As(e.err, &dnsErr):
		return "cannot resolve the host"
	case errors.As(e.err, &opErr) && opErr.Op == "dial":
		return "cannot connect"
	case isTLSError(e.err):
		return "TLS handshake failed"
	case strings.Contains(e.err.Error(), "stopped after"): // net/http's redirect limit has no type
		return "too many redirects"
	}
	return "no usable HTTP response"
}

func isTLSError(err error) bool {
	var (
		verify *tls.CertificateVerificationError
		header tls.RecordHeaderError
		alert  tls.AlertError
	)
	return errors.As(err, &verify) || errors.As(err, &header) || errors.As(err, &alert)
}

// checkMarkdown refuses responses that are plainly not Markdown: an HTML page
// (a login wall, a Learn page instead of its source) or JSON.
func checkMarkdown(contentType string, data []byte) error {
	if contentType != "" {
		mt, _, err := mime.ParseMediaType(contentType)
		switch {
		case err != nil:
			return errors.New("the response's content type does not parse")
		case mt == "text/markdown", mt == "text/x-markdown", mt == "text/plain", mt == "application/octet-stream":
		default:
			return errors.New("the response's content type is not Markdown")
		}
	}
	head := strings.ToLower(strings.TrimSpace(string(data[:min(len(data), 512)])))
	if strings.HasPrefix(head, "<!doctype") || strings.HasPrefix(head, "<html") || strings.HasPrefix(head, "{") {
		return errors.New("response is HTML or JSON, not Markdown")
	}
	return nil
}

func readLimited(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("load corpus %s: %w", p, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxDocumentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("load corpus %s: %w", p, err)
	}
	if len(data) > maxDocumentBytes {
		return nil, fmt.Errorf("load corpus %s: larger than %d bytes", p, maxDocumentBytes)
	}
	return data, nil
}

// docName names the page a file holds. A saved version such as
// "transition-faqs@2025-06-04.md" is the page "transition-faqs.md", so that
// refreshing from it keeps anchors, URLs and diffs aligned with the page.
func docName(file string) string {
	stem, ext := strings.TrimSuffix(file, filepath.Ext(file)), filepath.Ext(file)
	if at := strings.LastIndex(stem, "@"); at > 0 {
		stem = stem[:at]
	}
	return stem + ext
}

func build(s Snapshot, docs []*Document) *Corpus {
	c := &Corpus{Source: s.Source, Documents: docs, Snapshot: s}
	c.computeVersion()
	return c
}
