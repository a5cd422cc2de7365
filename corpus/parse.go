package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v3"
)

// LearnBaseURL is where the Customer Insights - Journeys pages are published.
// A document named "x.md" is cited as LearnBaseURL + "x".
const LearnBaseURL = "https://learn.microsoft.com/en-us/dynamics365/customer-insights/journeys/"

// ErrNoSections means a page has no "##" headings, so nothing in it can be
// cited precisely: usually the wrong file.
var ErrNoSections = errors.New("no ## sections")

// frontMatter is the part of Microsoft Learn metadata faqbot uses.
type frontMatter struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	Date        string `yaml:"ms.date"`
}

var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))

// Parse reads one Markdown page. name is the file name used in citations;
// baseURL is the folder URL the page is published under (LearnBaseURL when
// empty). A page without "##" headings parses to at most its lead section;
// loaders decide whether that is acceptable (see Document.HasHeadings).
func Parse(name string, src []byte, baseURL string) (*Document, error) {
	if baseURL == "" {
		baseURL = LearnBaseURL
	}
	fm, body, err := splitFrontMatter(src)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	doc := &Document{
		Name:        name,
		Title:       fm.Title,
		Description: fm.Description,
		DateText:    fm.Date,
		URL:         baseURL + strings.TrimSuffix(name, ".md"),
	}
	if fm.Date != "" {
		// Learn writes MM/DD/YYYY. A date that does not parse is kept as text
		// only: a wrong date is the page's to fix, not ours.
		if t, err := time.Parse("01/02/2006", fm.Date); err == nil {
			doc.Date = t
		}
	}
	r, err := newRenderer(body, doc.URL)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	root := markdown.Parser().Parse(text.NewReader(body))
	r.sections(root, doc)
	return doc, nil
}

func splitFrontMatter(src []byte) (frontMatter, []byte, error) {
	var fm frontMatter
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	normalized := bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(normalized, []byte("---\n")) {
		return fm, normalized, nil
	}
	rest := normalized[4:]
	end := bytes.Index(rest, []byte("\n---"))
	if end < 0 {
		return fm, nil, errors.New("front matter: no closing ---")
	}
	after := rest[end+4:]
	if len(after) > 0 && after[0] != '\n' {
		return fm, nil, errors.New("front matter: closing --- must stand alone")
	}
	if err := yaml.Unmarshal(rest[:end+1], &fm); err != nil {
		return fm, nil, fmt.Errorf("front matter: %w", err)
	}
	return fm, after, nil
}

// sections walks the top level of the document: "##" and "###" headings open
// sections, everything else is content of the open one. Content before the
// first section (the lead) becomes a section of its own, cited by the page
// URL, when it says more than a banner note.
func (r *renderer) sections(root ast.Node, doc *Document) {
	slugs := newSlugger()
	var lead []block
	var cur *Section
	var blocks []block
	flush := func() {
		if cur != nil {
			finishSection(cur, blocks)
			doc.Sections = append(doc.Sections, cur)
		}
		blocks = nil
	}
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		var anchor, plain string
		if ok {
			// Every heading counts for duplicate suffixes, as on GitHub.
			_, plain = r.inline(h)
			anchor = slugs.anchor(plain)
		}
		if !ok || h.Level > 3 {
			if b, keep := r.block(n); keep {
				if cur == nil {
					lead = append(lead, b)
				} else {
					blocks = append(blocks, b)
				}
			}
			continue
		}
		if h.Level == 1 {
			if doc.Title == "" {
				doc.Title = plain
			}
			continue
		}
		flush()
		cur = &Section{Title: plain, Anchor: anchor, Level: h.Level}
	}
	flush()
	if hasProse(lead) {
		s := &Section{Title: doc.Title, Level: 1}
		finishSection(s, lead)
		doc.Sections = append([]*Section{s}, doc.Sections...)
	}
	for _, s := range doc.Sections {
		s.Document = doc.Name
		s.DocTitle = doc.Title
		s.Date = doc.Date
		s.URL = doc.URL
		if s.Anchor != "" {
			s.URL += "#" + s.Anchor
		}
		for i := range s.Passages {
			s.Passages[i].Section = s
			s.Passages[i].ID = fmt.Sprintf("%s#%s/%d", doc.Name, s.Anchor, i)
		}
		s.Hash = hashText(s.Title, s.Text)
	}
}

func hasProse(blocks []block) bool {
	for _, b := range blocks {
		if b.kind != kindNote {
			return true
		}
	}
	return false
}

func finishSection(s *Section, blocks []block) {
	var md, plain []string
	for _, b := range blocks {
		md = append(md, b.text)
		plain = append(plain, b.plain)
	}
	s.Text = strings.Join(md, "\n\n")
	s.Plain = strings.Join(plain, "\n")
	s.Passages = chunk(blocks)
}
