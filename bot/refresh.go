package bot

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/faqbot/faqbot/corpus"
)

// CorpusLoader reads a corpus from a source (corpus.Loader in production).
type CorpusLoader interface {
	Load(ctx context.Context, source string) (*corpus.Corpus, error)
}

// IndexLoader indexes a corpus and makes it the serving one
// (retrieval.Store in production).
type IndexLoader interface {
	Load(ctx context.Context, c *corpus.Corpus) (corpus.Changes, error)
}

// IndexRefresher is the Refresher that loads a corpus and indexes it
// (Slack /faq-refresh, POST /admin/refresh, `faqbot index`). A refresh that
// fails at any step leaves the serving index untouched.
//
// Whatever a refresh loads, /api/ask reads back to anyone, so a refresh
// may name only the configured corpus, a Markdown file or folder under the
// configured corpus's folder, or a URL that Fetch allows.
type IndexRefresher struct {
	// Corpus loads the configured corpus, wherever it is (the operator
	// chose it), and the local files a refresh may name.
	Corpus CorpusLoader
	// Fetch loads the URLs a refresh names: a corpus.Loader whose client
	// holds every request and redirect to the refresh host allow-list
	// (internal/egress). When nil, a refresh may name no URL.
	Fetch CorpusLoader
	Index IndexLoader
	// Source is the configured corpus ("" for the embedded FAQ).
	Source string
}

// ErrSourceRefused marks a refresh whose source is not one a refresh may
// read; nothing was read.
var ErrSourceRefused = errors.New("refused")

// Refresh loads source (the configured corpus when empty), indexes it and
// swaps it in, reporting what changed.
func (r *IndexRefresher) Refresh(ctx context.Context, source string) (corpus.Changes, error) {
	loader := r.Corpus
	switch {
	case source == "" || source == r.Source:
		source = r.Source
	case corpus.IsURL(source):
		if r.Fetch == nil {
			return corpus.Changes{}, fmt.Errorf("refresh: %w: this faqbot refreshes from URLs only through its configured corpus", ErrSourceRefused)
		}
		loader = r.Fetch
	default:
		if err := r.checkLocal(source); err != nil {
			return corpus.Changes{}, fmt.Errorf("refresh: %w", err)
		}
	}
	c, err := loader.Load(ctx, source)
	if err != nil {
		return corpus.Changes{}, fmt.Errorf("refresh: %w", err)
	}
	changes, err := r.Index.Load(ctx, c)
	if err != nil {
		return corpus.Changes{}, fmt.Errorf("refresh: %w", err)
	}
	return changes, nil
}

// checkLocal allows a path only inside the configured corpus's folder (the
// folder itself when the corpus is one, else the file's folder), on the
// path as written and once symbolic links are followed. It reads nothing
// outside that folder, so a refusal tells nothing about what exists there.
func (r *IndexRefresher) checkLocal(source string) error {
	root, ok := r.folder()
	if !ok {
		return fmt.Errorf("%w: %s: a refresh reads local files only under the configured corpus's folder, and the configured corpus is not a local file or folder", ErrSourceRefused, source)
	}
	abs, err := filepath.Abs(source)
	if err != nil || !within(root, abs) {
		return fmt.Errorf("%w: %s is outside the configured corpus's folder", ErrSourceRefused, source)
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return fmt.Errorf("%w: the configured corpus's folder cannot be read", ErrSourceRefused)
	}
	real, err := filepath.EvalSymlinks(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil // the loader says so, naming the path the admin gave
	case err != nil, !within(realRoot, real):
		return fmt.Errorf("%w: %s leads outside the configured corpus's folder", ErrSourceRefused, source)
	}
	return nil
}

// folder is the absolute folder local refreshes may read, if the
// configured corpus is local.
func (r *IndexRefresher) folder() (string, bool) {
	if r.Source == "" || corpus.IsURL(r.Source) {
		return "", false
	}
	abs, err := filepath.Abs(r.Source)
	if err != nil {
		return "", false
	}
	if info, err := os.Stat(abs); err == nil && info.IsDir() {
		return abs, true
	}
	return filepath.Dir(abs), true
}

// within reports whether path is root or below it; both are absolute.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
