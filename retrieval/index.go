package retrieval

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"

	"github.com/philippgille/chromem-go"

	"github.com/faqbot/faqbot/corpus"
)

// Index is an immutable search index over one corpus version. Refreshes
// build a new Index; queries hold on to the one they started with.
type Index struct {
	corpus   *corpus.Corpus
	passages []corpus.Passage
	// sectionOf maps a passage to its section's position in sections.
	sectionOf []int32
	sections  []*corpus.Section
	// sectionSpan holds each section's passages as [first, last]: a
	// section's passages are contiguous.
	sectionSpan [][2]int32
	// titleTerms are each section's title terms.
	titleTerms []map[string]bool
	// sectionShare is, per term, the share of sections whose text holds it.
	sectionShare map[string]float64
	lex          *lexical
	// stems are the stems of the words the index was built from.
	stems     *stemMemo
	thesaurus *thesaurus
	// dated marks passages that state a date or a duration, the answers to
	// "when" and "how long" questions.
	dated []bool
	// absolute marks passages that state an absolute date.
	absolute []bool

	// answers holds the questions each section answers, in people's
	// words (doc2query); unanswered holds questions on the corpus's topic
	// that it does not answer. Either may be nil.
	answers, unanswered *questionPool
	// everyday tells everyday words from specific ones, and entities finds
	// the named things of the domain, for Support.
	everyday *everyday
	entities *entities

	embedder   Embedder
	collection *chromem.Collection // nil when embeddings failed at build
	// sparse scans the collection's vectors for sparse questions; nil
	// when chromem-go holds other vectors than the passages'.
	sparse   *sparseScan
	denseErr error

	// candidatePool keeps searches' candidate sets for reuse.
	candidatePool sync.Pool
}

// BuildOptions are what an index is built from besides the corpus. All
// fields are optional.
type BuildOptions struct {
	// Embedder makes the dense side; without one the index is lexical-only.
	Embedder Embedder
	// Cache keeps vectors across builds (a memory cache when nil).
	Cache *Cache
	// Questions are what sections answer and what the corpus does not.
	Questions QuestionSet
}

// Build indexes every passage of c. Vectors come from cache, which asks
// embedder only for passages it has not seen. If embedding fails the index is
// still built, lexical-only, and DenseErr says why: the bot answers from
// keywords rather than not at all.
func Build(ctx context.Context, c *corpus.Corpus, opts BuildOptions) (*Index, error) {
	embedder, cache := opts.Embedder, opts.Cache
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	passages := c.Passages()
	if len(passages) == 0 {
		return nil, errors.New("build index: corpus has no passages")
	}
	ix := &Index{corpus: c, passages: passages, embedder: embedder, sections: c.Sections()}
	ix.candidatePool.New = func() any { return &candidates{} }
	pos := make(map[*corpus.Section]int32, len(ix.sections))
	ix.sectionSpan = make([][2]int32, len(ix.sections))
	for i, s := range ix.sections {
		pos[s] = int32(i)
		ix.sectionSpan[i] = [2]int32{-1, -1}
	}
	docs := make([]lexDoc, len(passages))
	texts := make([]string, len(passages))
	ix.sectionOf = make([]int32, len(passages))
	ix.dated = make([]bool, len(passages))
	ix.absolute = make([]bool, len(passages))
	for i, p := range passages {
		ix.dated[i] = holdsTime(p.Plain)
		ix.absolute[i] = ix.dated[i] && HoldsDate(p.Plain)
		ix.sectionOf[i] = pos[p.Section]
		docs[i] = lexDoc{title: p.Section.Title, body: p.Plain}
		texts[i] = embedText(p)
		span := &ix.sectionSpan[ix.sectionOf[i]]
		if span[0] < 0 {
			span[0] = int32(i)
		}
		span[1] = int32(i)
	}
	ix.stems = newStemMemo()
	ix.lex = newLexical(docs, ix.stems)
	ix.thesaurus = parseThesaurus(defaultThesaurus)
	keys := make([]string, len(ix.sections))
	ix.titleTerms = make([]map[string]bool, len(ix.sections))
	for i, sec := range ix.sections {
		keys[i] = sec.Key()
		ix.titleTerms[i] = titleTerms(sec.Title, ix.stems)
	}
	ix.everyday = parseEveryday(everydayWords)
	ix.entities = parseEntities(entityNames)
	ix.sectionShare = ix.lex.sectionShares(ix.sectionOf, len(ix.sections))
	ix.answers = newSectionPool(keys, opts.Questions.Answered, maxQuestionsPerSection, ix.stems)
	ix.unanswered = newSectionPool(keys, opts.Questions.Unanswered, maxUnansweredQuestions, ix.stems)
	ix.answers.weigh(ix.textWeight)
	ix.unanswered.weigh(ix.textWeight)
	// From here on the memo is only read, by searches at once.

	if embedder == nil {
		ix.denseErr = errors.New("no embedder configured")
		return ix, nil
	}
	if cache == nil {
		cache = NewMemoryCache()
	}
	all := append(append(texts, ix.answers.questions()...), ix.unanswered.questions()...)
	vecs, err := cache.Embed(ctx, embedder, all)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("build index: %w", ctx.Err())
		}
		ix.denseErr = fmt.Errorf("embed passages with %s: %w", embedder.Name(), err)
		return ix, nil
	}
	coll, err := newCollection(ctx, "passages", vecs[:len(texts)])
	if err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	ix.collection = coll
	ix.sparse = newSparseScan(vecs[:len(texts)])
	vecs = vecs[len(texts):]
	if err := ix.answers.addVectors(vecs[:ix.answers.size()]); err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	if err := ix.unanswered.addVectors(vecs[ix.answers.size():]); err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	return ix, nil
}

// embedText is what the embedder sees of a passage: the heading gives a
// bullet deep in a long section its context.
func embedText(p corpus.Passage) string {
	return p.Section.Title + "\n" + p.Plain
}

// newCollection holds vecs in a chromem-go collection; a vector's ID is its
// position.
func newCollection(ctx context.Context, name string, vecs [][]float32) (*chromem.Collection, error) {
	db := chromem.NewDB()
	// Queries always bring their own vector; a collection that tried to embed
	// on its own would be a bug, so its embedding function refuses.
	refuse := func(context.Context, string) ([]float32, error) {
		return nil, errors.New("retrieval: collection embeds nothing itself")
	}
	coll, err := db.CreateCollection(name, nil, refuse)
	if err != nil {
		return nil, fmt.Errorf("create collection: %w", err)
	}
	docs := make([]chromem.Document, len(vecs))
	for i := range vecs {
		// IDs are positions: chromem-go keys documents by ID, and positions
		// cannot collide.
		docs[i] = chromem.Document{ID: strconv.Itoa(i), Embedding: vecs[i]}
	}
	if err := coll.AddDocuments(ctx, docs, runtime.NumCPU()); err != nil {
		return nil, fmt.Errorf("add %s: %w", name, err)
	}
	// chromem-go's workers skip their documents, without an error, once the
	// context is cancelled: a short collection must not pass for a full one.
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("add %s: %w", name, err)
	}
	if coll.Count() != len(docs) {
		return nil, fmt.Errorf("add %s: collection holds %d of %d", name, coll.Count(), len(docs))
	}
	return coll, nil
}

// Corpus returns the corpus this index was built from.
func (ix *Index) Corpus() *corpus.Corpus { return ix.corpus }

// Version is the corpus version the index serves.
func (ix *Index) Version() string { return ix.corpus.Version }

// DenseErr says why the index has no vectors, or nil when it has.
func (ix *Index) DenseErr() error { return ix.denseErr }

// Len is the number of passages indexed.
func (ix *Index) Len() int { return len(ix.passages) }
