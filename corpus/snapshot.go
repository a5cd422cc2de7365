package corpus

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/faqbot/faqbot/internal/redact"
)

// Snapshot is a corpus as its source gave it: the bytes of each page,
// before parsing. Parsing a snapshot again gives the same corpus, so
// processes that share one serve the same version even after the source
// has changed or gone.
type Snapshot struct {
	// Source is where the pages were read: a path, a URL, or
	// "embedded:transition-faqs.md".
	Source string
	// Folder says the pages came from a folder, where a page without "##"
	// sections is still content; a single page must have sections.
	Folder bool
	Pages  []Page
}

// Page is one Markdown file of a snapshot.
type Page struct {
	// Name is the document ("transition-faqs.md"); File is the name the
	// source gave it ("transition-faqs@2025-06-04.md"), for errors.
	Name, File string
	Data       []byte
}

// embeddedPrefix marks the FAQ built into the binary as a source.
const embeddedPrefix = "embedded:"

// defaultSnapshot is the FAQ built into the binary.
func defaultSnapshot() Snapshot {
	return Snapshot{Source: embeddedPrefix + DefaultName, Pages: []Page{{Name: DefaultName, File: DefaultName, Data: defaultFAQ}}}
}

// Parse builds the corpus that s holds, with the rules of its kind of
// source. The corpus keeps s.
func (l Loader) Parse(s Snapshot) (*Corpus, error) {
	if len(s.Pages) == 0 {
		return nil, fmt.Errorf("load corpus %s: no pages", redact.URL(s.Source))
	}
	if !s.Folder {
		if len(s.Pages) != 1 {
			return nil, fmt.Errorf("load corpus %s: %d pages where one was read", redact.URL(s.Source), len(s.Pages))
		}
		base := l.BaseURL
		if strings.HasPrefix(s.Source, embeddedPrefix) {
			base = "" // the embedded FAQ is always Learn's page
		}
		doc, err := parseFAQ(s.Pages[0].Name, s.Pages[0].Data, base)
		if err != nil {
			return nil, fmt.Errorf("load corpus %s: %w", redact.URL(s.Source), err)
		}
		return build(s, []*Document{doc}), nil
	}
	docs := make([]*Document, 0, len(s.Pages))
	for _, p := range s.Pages {
		path := filepath.Join(s.Source, p.File)
		doc, err := Parse(p.Name, p.Data, l.BaseURL)
		if err != nil {
			return nil, fmt.Errorf("load corpus %s: %w", path, err)
		}
		// In a folder of guides a short page without "##" headings is still
		// content: it is cited as a whole. A page with nothing at all is not.
		if len(doc.Sections) == 0 {
			return nil, fmt.Errorf("load corpus %s: %w", path, ErrNoSections)
		}
		docs = append(docs, doc)
	}
	return build(s, docs), nil
}
