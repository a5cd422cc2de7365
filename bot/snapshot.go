package bot

import (
	"context"
	"net/url"
	"strings"
)

// SnapshotPath is where faqbot serves its own copy of a cited section:
// the original page may move or lose its anchors (Learn retired the
// transition FAQ in June 2026), the text the answer quoted must not.
func SnapshotPath(document, anchor string) string {
	return "/faq/" + url.PathEscape(document) + "/" + url.PathEscape(anchor)
}

// SnapshotURL is the public address of a section's snapshot at a corpus
// version: base is FAQBOT_PUBLIC_URL.
func SnapshotURL(base, document, anchor, version string) string {
	u := strings.TrimRight(base, "/") + SnapshotPath(document, anchor)
	if version != "" {
		u += "?v=" + url.QueryEscape(version)
	}
	return u
}

// SnapshotLinks is an Asker whose answers' citations also point at the
// server's snapshots (Citation.SnapshotURL), so that every transport can
// link to text that cannot dead-end.
type SnapshotLinks struct {
	Next Asker
	// Base is the server's public base URL, such as https://faq.example.com.
	Base string
}

// Ask implements Asker.
func (s SnapshotLinks) Ask(ctx context.Context, q Question) (Answer, error) {
	a, err := s.Next.Ask(ctx, q)
	if err != nil || s.Base == "" {
		return a, err
	}
	a.Citations = WithSnapshots(a.Citations, s.Base, a.CorpusVersion)
	return a, nil
}

// WithSnapshots returns cites with their snapshot URLs set; sections
// without a document are left alone.
func WithSnapshots(cites []Citation, base, version string) []Citation {
	out := make([]Citation, len(cites))
	for i, c := range cites {
		if c.Document != "" {
			c.SnapshotURL = SnapshotURL(base, c.Document, c.Anchor, version)
		}
		out[i] = c
	}
	return out
}

// Link is where a reader should go for a citation: the snapshot when
// there is one, else the original.
func (c Citation) Link() string {
	if c.SnapshotURL != "" {
		return c.SnapshotURL
	}
	return c.URL
}
