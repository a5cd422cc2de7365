// Package corpus turns Markdown FAQ pages into sections with stable anchors,
// citation URLs and passages small enough to retrieve precisely.
package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Corpus is a set of documents loaded together. It is immutable once built.
type Corpus struct {
	Source    string
	Documents []*Document
	// Version changes whenever any section's content changes.
	Version string
	// Snapshot is the pages the corpus was parsed from.
	Snapshot Snapshot
}

// Document is one Markdown page.
type Document struct {
	// Name is the file name, such as "transition-faqs.md"; it identifies the
	// document in citations and diffs.
	Name        string
	Title       string
	Description string
	// Date is ms.date from the front matter as the page states it (zero when
	// absent); DateText keeps the original spelling.
	Date     time.Time
	DateText string
	// URL is where the page is published; section URLs add "#anchor".
	URL      string
	Sections []*Section
}

// Section is the text under one heading: the unit users get cited.
type Section struct {
	Document string
	DocTitle string
	Title    string
	Anchor   string
	URL      string
	Date     time.Time
	Level    int
	// Text is readable Markdown-lite (paragraphs, "- " bullets, "a | b" table
	// rows, [text](absolute-url) links); Plain is the same without markup,
	// for indexing.
	Text     string
	Plain    string
	Passages []Passage
	Hash     string
}

// Passage is a retrievable piece of a section. Long sections are split so a
// question about one bullet is not drowned by a dozen others; every passage
// cites its section.
type Passage struct {
	// ID is unique within the corpus: document#anchor/index.
	ID      string
	Section *Section
	Index   int
	Text    string
	Plain   string
}

// Sections returns every section of every document, in document order.
func (c *Corpus) Sections() []*Section {
	var out []*Section
	for _, d := range c.Documents {
		out = append(out, d.Sections...)
	}
	return out
}

// Passages returns every passage of every section, in document order.
func (c *Corpus) Passages() []Passage {
	var out []Passage
	for _, d := range c.Documents {
		for _, s := range d.Sections {
			out = append(out, s.Passages...)
		}
	}
	return out
}

// Section finds a section by document name and anchor.
func (c *Corpus) Section(document, anchor string) (*Section, bool) {
	for _, d := range c.Documents {
		if d.Name != document {
			continue
		}
		for _, s := range d.Sections {
			if s.Anchor == anchor {
				return s, true
			}
		}
	}
	return nil, false
}

// Key identifies a section across corpus versions.
func (s *Section) Key() string { return s.Document + "#" + s.Anchor }

func (c *Corpus) computeVersion() {
	h := sha256.New()
	for _, d := range c.Documents {
		h.Write([]byte(d.Name + "\x00" + d.DateText + "\x00"))
		for _, s := range d.Sections {
			h.Write([]byte(s.Key() + "\x00" + s.Hash + "\x00"))
		}
	}
	c.Version = hex.EncodeToString(h.Sum(nil))[:12]
}

func hashText(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// HasHeadings reports whether the page has any "##" or "###" section, as a
// FAQ page must.
func (d *Document) HasHeadings() bool {
	for _, s := range d.Sections {
		if s.Level >= 2 {
			return true
		}
	}
	return false
}
