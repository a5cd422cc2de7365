package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/internal/linkcheck"
)

// Bounds of `faqbot index --check-links`: one page's fetch, and the whole
// check.
const (
	linkTimeout      = 15 * time.Second
	linkCheckTimeout = 5 * time.Minute
)

// reportLinks follows the URLs the corpus cites, prints the sections whose
// link dead-ends and keeps the report in the data dir, where `faqbot
// serve` shows it to admins (GET /admin/api/links).
func reportLinks(ctx context.Context, out io.Writer, dataDir string, c *corpus.Corpus, client *http.Client) error {
	ctx, cancel := context.WithTimeout(ctx, linkCheckTimeout)
	defer cancel()
	r := linkcheck.Check(ctx, c, linkcheck.Options{Client: client})
	fmt.Fprintf(out, "links: %s\n", r.Summary())
	for _, p := range r.Problems() {
		fmt.Fprintf(out, "  %-9s %s#%s (%s): %s\n", p.Status, p.Document, p.Anchor, p.URL, p.Detail)
	}
	if len(r.Problems()) > 0 {
		fmt.Fprintln(out, "  citations can link to faqbot's own copy of each section instead: set FAQBOT_PUBLIC_URL")
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return bad("FAQBOT_DATA_DIR", "%v", err)
	}
	if err := linkcheck.Save(filepath.Join(dataDir, linkcheck.FileName), r); err != nil {
		return fmt.Errorf("index --check-links: %w", err)
	}
	return nil
}
