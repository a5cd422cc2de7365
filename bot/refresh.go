package bot

import (
	"context"
	"fmt"

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
type IndexRefresher struct {
	Corpus CorpusLoader
	Index  IndexLoader
	// Source is the configured corpus ("" for the embedded FAQ).
	Source string
}

// Refresh loads source (the configured corpus when empty), indexes it and
// swaps it in, reporting what changed.
func (r *IndexRefresher) Refresh(ctx context.Context, source string) (corpus.Changes, error) {
	if source == "" {
		source = r.Source
	}
	c, err := r.Corpus.Load(ctx, source)
	if err != nil {
		return corpus.Changes{}, fmt.Errorf("refresh: %w", err)
	}
	changes, err := r.Index.Load(ctx, c)
	if err != nil {
		return corpus.Changes{}, fmt.Errorf("refresh: %w", err)
	}
	return changes, nil
}
