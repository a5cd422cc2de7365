package retrieval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"

	"github.com/faqbot/faqbot/corpus"
)

// ErrNotReady means no index has been built yet.
var ErrNotReady = errors.New("index not ready")

// Store serves the current index and swaps in rebuilt ones. A rebuild
// happens beside the serving index; queries see the old or the new one,
// never a half-built one, and a failed rebuild leaves the old one serving.
type Store struct {
	embedder Embedder
	cache    *Cache
	// manifestPath, when set, remembers the last indexed corpus across
	// restarts so the first load can report what changed.
	manifestPath string
	questionSrc  QuestionSource
	log          *slog.Logger

	mu  sync.Mutex // one rebuild at a time
	cur atomic.Pointer[Index]
}

// StoreOptions configure a Store. All fields are optional.
type StoreOptions struct {
	Cache        *Cache
	ManifestPath string
	// Questions supplies what sections answer (doc2query); none when nil.
	Questions QuestionSource
	Logger    *slog.Logger
}

// NewStore returns an empty store; call Load before searching.
func NewStore(e Embedder, opts StoreOptions) *Store {
	if opts.Cache == nil {
		opts.Cache = NewMemoryCache()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Store{embedder: e, cache: opts.Cache, manifestPath: opts.ManifestPath, questionSrc: opts.Questions, log: opts.Logger}
}

// Current returns the serving index, or nil before the first Load.
func (s *Store) Current() *Index { return s.cur.Load() }

// Search searches the serving index.
func (s *Store) Search(ctx context.Context, q Query) (Ranking, error) {
	ix := s.cur.Load()
	if ix == nil {
		return Ranking{}, ErrNotReady
	}
	return ix.Search(ctx, q)
}

// Load indexes c and makes it the serving index. It reports the sections
// changed since the previous index (or, on the first load, since the corpus
// recorded in the manifest file).
func (s *Store) Load(ctx context.Context, c *corpus.Corpus) (corpus.Changes, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ix, err := Build(ctx, c, BuildOptions{Embedder: s.embedder, Cache: s.cache, Questions: s.questions(ctx, c)})
	if err != nil {
		return corpus.Changes{}, fmt.Errorf("rebuild index for corpus %s: %w", c.Version, err)
	}
	if ix.DenseErr() != nil {
		s.log.Warn("index is lexical-only", "corpus_version", c.Version, "err", ix.DenseErr())
	}
	var changes corpus.Changes
	if old := s.cur.Load(); old != nil {
		changes = corpus.Diff(old.Corpus(), c)
	} else {
		changes = corpus.DiffManifests(s.readManifest(), c.Manifest())
	}
	s.cur.Store(ix)
	// The new index serves from here; what follows only saves work for the
	// next start, so failures are logged rather than returned.
	if err := s.cache.Save(); err != nil {
		s.log.Error("save embedding cache", "err", err)
	}
	if s.manifestPath != "" {
		if err := s.writeManifest(c.Manifest()); err != nil {
			s.log.Error("save index manifest", "err", err)
		}
	}
	return changes, nil
}

// questions gathers what c's sections answer. Failing sources cost recall,
// not the refresh: the index is built without what they could not give.
func (s *Store) questions(ctx context.Context, c *corpus.Corpus) QuestionSet {
	if s.questionSrc == nil {
		return QuestionSet{}
	}
	qs, err := s.questionSrc.Questions(ctx, c.Sections())
	if err != nil {
		s.log.Warn("index built without some sections' questions", "corpus_version", c.Version, "err", err)
	}
	return qs
}

// CacheStats reports the embedding cache's hits and misses.
func (s *Store) CacheStats() CacheStats { return s.cache.Stats() }

func (s *Store) readManifest() *corpus.Manifest {
	if s.manifestPath == "" {
		return nil
	}
	data, err := os.ReadFile(s.manifestPath)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.log.Warn("read index manifest", "path", s.manifestPath, "err", err)
		}
		return nil
	}
	var m corpus.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		s.log.Warn("read index manifest", "path", s.manifestPath, "err", err)
		return nil
	}
	return &m
}

func (s *Store) writeManifest(m corpus.Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(s.manifestPath, data)
}
