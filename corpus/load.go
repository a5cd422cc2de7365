package corpus

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
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
	case strings.HasPrefix(source, "http://"), strings.HasPrefix(source, "https://"):
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
	u, err := url.Parse(source)
	if err != nil {
		return Snapshot{}, fmt.Errorf("load corpus %s: %w", source, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, source, nil)
	if err != nil {
		return Snapshot{}, fmt.Errorf("load corpus %s: %w", source, err)
	}
	req.Header.Set("Accept", "text/markdown, text/plain;q=0.9")
	client := l.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return Snapshot{}, fmt.Errorf("load corpus %s: %w", source, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Snapshot{}, fmt.Errorf("load corpus %s: HTTP %s", source, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentBytes+1))
	if err != nil {
		return Snapshot{}, fmt.Errorf("load corpus %s: %w", source, err)
	}
	if len(data) > maxDocumentBytes {
		return Snapshot{}, fmt.Errorf("load corpus %s: larger than %d bytes", source, maxDocumentBytes)
	}
	if err := checkMarkdown(resp.Header.Get("Content-Type"), data); err != nil {
		return Snapshot{}, fmt.Errorf("load corpus %s: %w", source, err)
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

// checkMarkdown refuses responses that are plainly not Markdown: an HTML page
// (a login wall, a Learn page instead of its source) or JSON.
func checkMarkdown(contentType string, data []byte) error {
	if contentType != "" {
		mt, _, err := mime.ParseMediaType(contentType)
		if err != nil {
			return fmt.Errorf("content type %q: %w", contentType, err)
		}
		switch {
		case mt == "text/markdown", mt == "text/x-markdown", mt == "text/plain", mt == "application/octet-stream":
		default:
			return fmt.Errorf("content type %s is not Markdown", mt)
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
