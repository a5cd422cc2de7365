package retrieval

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"github.com/faqbot/faqbot/corpus"
	"github.com/philippgille/chromem-go"
)

// Mode selects the ranking: both fused (the default), or one alone for
// comparison in evaluations.
type Mode int

const (
	Fused Mode = iota
	LexicalOnly
	DenseOnly
)

func (m Mode) String() string {
	switch m {
	case LexicalOnly:
		return "lexical"
	case DenseOnly:
		return "dense"
	}
	return "fused"
}

// Fusion weights for the min-max normalised lexical and dense scores of
// passages and of the questions sections answer. The lexical side is exact
// and precise, the dense side tolerant of wording; questions meet people's
// wording where the FAQ's own text does not.
const (
	lexicalShare  = 0.6
	denseShare    = 0.4
	questionShare = 0.5 // of the whole, taken from both passage sides alike
	// denseRef is the cosine similarity at which the dense side counts as
	// fully confident: related passages score about this with the local
	// embedder and with OpenAI's text-embedding-3 models.
	denseRef = 0.4
	// denseDepth is how many passages the dense side ranks per result wanted.
	denseDepth = 8
	minDense   = 64
)

// temporalBoost raises passages that state a date or duration when the
// question asks when or how long: the expected answer type is a time.
const temporalBoost = 0.25

// Query is a search request.
type Query struct {
	Text string
	// K is the number of sections wanted (3 when zero).
	K    int
	Mode Mode
}

// Result is one section with the passages that matched, best first.
type Result struct {
	Section  *corpus.Section
	Passages []Hit
	// Score orders results; it is comparable only within one ranking.
	Score float64
	// Lexical is the best passage's BM25F score, Dense its cosine similarity.
	Lexical, Dense float64
	// QLexical and QDense are the same for the best of the questions the
	// section answers (zero without them); QOverlap is how much of the
	// asked question's specific content the closest of them shares.
	QLexical, QDense, QOverlap float64
	// TimeMatch is, for a question asking when or how long, how well the
	// section's matching passages state a time: 1 for a date (or a span
	// when a span is asked), 0.5 for a span when a date is asked, else 0.
	TimeMatch float64
	// Vote is the answered share of the questions nearest the asked one,
	// among those the section answers, the near misses that resemble it
	// and the corpus's other unanswered questions (0.5 when none is near).
	Vote float64
	// Coverage is the IDF-weighted share of the question's words that occur in
	// the section (typo corrections and synonyms count a little less).
	Coverage float64
	// Confidence blends coverage with the dense similarity, in [0, 1]. Unlike
	// Score it is comparable across questions, so thresholds use it.
	Confidence float64
	// Support says how much of the question's specific content the section
	// covers: what decides whether it answers the question rather than
	// merely being the best there is.
	Support Support
}

// Hit is a passage and its score within the ranking.
type Hit struct {
	Passage corpus.Passage
	Score   float64
}

// Ranking is the outcome of a search.
type Ranking struct {
	Results []Result
	// Version is the corpus version searched, Corpus the corpus itself
	// (for what an answer needs beyond the results: the date the FAQ gives
	// for an event a quoted sentence counts from).
	Version string
	Corpus  *corpus.Corpus
	// Degraded says why the dense side did not take part, when it did not.
	Degraded error
	// Unanswered measures the question against questions the corpus does
	// not answer (zero without them).
	Unanswered Nearness
	// Asks are the kinds of answer the question asks for.
	Asks AnswerTypes
	// LexicalCeiling and QLexicalCeiling are the BM25 scores a passage or
	// question holding every word of the question would about reach: they
	// make Lexical and QLexical comparable across short and long questions.
	LexicalCeiling, QLexicalCeiling float64
	// stems are the searched index's, for Terms (nil: stem every word).
	stems *stemMemo
}

// Nearness is how close a question comes to a pool of questions: the
// closest one's cosine similarity, and the largest share of the asked
// question's specific content one of them shares.
type Nearness struct {
	Dense, Overlap float64
}

// Search ranks the index's sections for a question.
func (ix *Index) Search(ctx context.Context, q Query) (Ranking, error) {
	rank := Ranking{Version: ix.Version(), Corpus: ix.corpus, stems: ix.stems}
	// A caller that has given up (a Teams reply past its deadline) must
	// not leave a search running: check before each costly step.
	if err := ctx.Err(); err != nil {
		return rank, fmt.Errorf("search: %w", err)
	}
	k := q.K
	if k <= 0 {
		k = 3
	}
	ws := words(q.Text)
	stems := ix.stems.all(ws)
	qtoks := contentTokensOf(ws, stems)
	if len(qtoks) == 0 {
		return rank, nil
	}
	cands := ix.newCandidates()
	defer ix.releaseCandidates(cands)

	syns := ix.thesaurus.expand(stems, qtoks, ix.everyday.foreign(ws))
	plan := &queryPlan{words: qtoks, terms: ix.lex.expand(qtoks, syns)}
	if ix.answers != nil {
		plan.answerTerms = ix.answers.lex.expand(qtoks, syns)
	}
	if ix.unanswered != nil {
		plan.unansweredTerms = ix.unanswered.lex.expand(qtoks, syns)
	}
	rank.LexicalCeiling = ix.lex.ceiling(plan.terms)
	if ix.answers != nil {
		rank.QLexicalCeiling = ix.answers.lex.ceiling(plan.answerTerms)
	}
	plan.setWords(ix.questionWords(qtoks, ix.namedTerms(stems, qtoks)))
	rank.Asks = TypeOf(q.Text)

	if q.Mode != DenseOnly {
		searchLexical(ix.lex, plan.terms, depth(k, len(ix.passages)), func(p int32, score float64) {
			c := cands.of(ix.sectionOf[p])
			c.hit(p).lexical = score
			c.lexical = math.Max(c.lexical, score)
		})
		if ix.answers != nil {
			searchLexical(ix.answers.lex, plan.answerTerms, depth(k, ix.answers.size()), func(d int32, score float64) {
				c := cands.of(ix.answers.section[d])
				c.qlexical = math.Max(c.qlexical, score)
			})
		}
	}
	cands.answered = ix.answers.overlap(plan.answerTerms, plan.unique, cands.answered)
	cands.unanswered = ix.unanswered.overlap(plan.unansweredTerms, plan.unique, cands.unanswered)
	answered, unanswered := cands.answered, cands.unanswered
	// Shares are finite, where the built-in max is math.Max, inlined.
	for _, h := range answered {
		c := cands.of(ix.answers.section[h.doc])
		c.qoverlap = max(c.qoverlap, h.share)
	}
	for _, h := range unanswered {
		rank.Unanswered.Overlap = max(rank.Unanswered.Overlap, h.share)
	}
	if err := ctx.Err(); err != nil {
		return rank, fmt.Errorf("search: %w", err)
	}
	if q.Mode != LexicalOnly {
		if err := ix.searchDense(ctx, q.Text, qtoks, k, &rank, cands); err != nil {
			if ctx.Err() != nil {
				return rank, fmt.Errorf("search: %w", ctx.Err())
			}
			rank.Degraded = err
		}
	}
	// Every candidate is known now: the pools' closest questions vote for
	// or against each.
	cands.vote(ix.answers, answered, ix.unanswered, unanswered)
	rank.Results = ix.fuse(cands, plan, k, rank.Asks)
	return rank, nil
}

// searchLexical visits the best-scoring n documents of l. Only the best
// matter to fusion, and keeping a few hundred out of a hundred thousand
// touched passages is what keeps large corpora fast.
func searchLexical(l *lexical, q []queryTerm, n int, visit func(doc int32, score float64)) {
	work := l.scratch.Get().(*lexScratch)
	scores := work.scores
	touched := l.score(q, scores, work.touched[:0])
	for _, p := range topN(touched, scores, n) {
		visit(p, scores[p])
	}
	for _, p := range touched {
		scores[p] = 0
	}
	work.touched = touched
	l.scratch.Put(work)
}

// depth is how many passages each side ranks for k sections.
func depth(k, size int) int {
	return min(max(k*denseDepth, minDense), size)
}

// searchDense embeds the question once and finds the nearest passages,
// the nearest questions sections answer and the nearest unanswered ones.
// toks are the question's content words, which an embedder that works on
// words (the local one) need not find again.
func (ix *Index) searchDense(ctx context.Context, text string, toks []token, k int, rank *Ranking, cands *candidates) error {
	if ix.collection == nil {
		return ix.denseErr
	}
	var vecs [][]float32
	var err error
	if we, ok := ix.embedder.(wordEmbedder); ok {
		vecs = [][]float32{we.embedWords(toks)}
	} else {
		vecs, err = ix.embedder.Embed(ctx, []string{text})
	}
	if err != nil {
		return fmt.Errorf("embed question with %s: %w", ix.embedder.Name(), err)
	}
	if len(vecs) != 1 || len(vecs[0]) == 0 {
		return fmt.Errorf("embed question with %s: no vector returned", ix.embedder.Name())
	}
	v := unit(vecs[0])
	visit := func(p int32, sim float64) {
		c := cands.of(ix.sectionOf[p])
		c.hit(p).dense = sim
		c.dense = math.Max(c.dense, sim)
	}
	scanned, err := ix.sparse.nearest(ctx, v, depth(k, len(ix.passages)), visit)
	if !scanned {
		err = nearest(ctx, ix.collection, v, k, visit)
	}
	if err != nil {
		return err
	}
	// Only the sections of the nearest questions become candidates, as
	// only the nearest passages do.
	err = ix.answers.nearest(ctx, v, depth(k, ix.answers.size()), func(d int32, sim float64) {
		c := cands.of(ix.answers.section[d])
		c.qdense = math.Max(c.qdense, sim)
	})
	if err != nil {
		return err
	}
	rank.Unanswered.Dense, err = ix.unanswered.maxSimilarity(ctx, v)
	return err
}

// wordEmbedder is an Embedder that embeds a text from its content words,
// as tokens finds them: given the words a search has found already, it
// returns what Embed would.
type wordEmbedder interface {
	embedWords(toks []token) []float32
}

// nearest visits the documents of coll nearest to v.
func nearest(ctx context.Context, coll *chromem.Collection, v []float32, k int, visit func(doc int32, sim float64)) error {
	// chromem-go refuses nResults above the collection size.
	n := depth(k, coll.Count())
	res, err := coll.QueryEmbedding(ctx, v, n, nil, nil)
	if err != nil {
		return fmt.Errorf("dense query: %w", err)
	}
	for _, r := range res {
		d, err := strconv.Atoi(r.ID)
		if err != nil || d < 0 || d >= coll.Count() {
			return fmt.Errorf("dense query: unknown document id %q", r.ID)
		}
		visit(int32(d), float64(r.Similarity))
	}
	return nil
}
