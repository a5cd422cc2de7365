package retrieval

import (
	"context"
	"fmt"
	"math"
	"sync"
)

// questionPool indexes short questions for matching people's questions
// against: the questions sections answer (doc2query), each belonging to
// its section, or questions the corpus does not answer, belonging to none.
// Question against question is the easy comparison: same form, same kind of
// words.
type questionPool struct {
	texts   []string
	section []int32 // the section each question belongs to, or -1
	// span holds each section's questions as [first, last], or [-1, -1];
	// nil for a pool without sections.
	span [][2]int32
	lex  *lexical
	// weight is each question's own weight (its content words'
	// specificity), so that overlap can count what a pool question asks
	// beyond the asked one.
	weight []float64
	// vecs are the questions' unit vectors, by dimension.
	vecs *postings
	// all lists every question, 0 to n-1, for topN; scratch keeps
	// searches' per-question arrays for reuse.
	all     []int32
	scratch sync.Pool
}

// poolScratch is one search's work space over a pool, one entry per
// question. Between uses scores and best are all zero.
type poolScratch struct {
	scores, best, sims []float64
	dots               []float32
	touched, word      []int32
}

// newSectionPool holds the questions of each section, in section order,
// and those under the key "" as belonging to no section (-1), after them.
func newSectionPool(sectionKeys []string, bySection map[string][]string, limit int, memo *stemMemo) *questionPool {
	p := &questionPool{span: make([][2]int32, len(sectionKeys))}
	for _, q := range boundQuestions(bySection[""], limit) {
		p.texts = append(p.texts, q)
		p.section = append(p.section, -1)
	}
	for i, key := range sectionKeys {
		p.span[i] = [2]int32{-1, -1}
		for _, q := range boundQuestions(bySection[key], limit) {
			if p.span[i][0] < 0 {
				p.span[i][0] = int32(len(p.texts))
			}
			p.span[i][1] = int32(len(p.texts))
			p.texts = append(p.texts, q)
			p.section = append(p.section, int32(i))
		}
	}
	return p.finish(memo)
}

// finish builds the lexical index, or returns nil for an empty pool.
func (p *questionPool) finish(memo *stemMemo) *questionPool {
	if len(p.texts) == 0 {
		return nil
	}
	docs := make([]lexDoc, len(p.texts))
	for i, q := range p.texts {
		docs[i] = lexDoc{body: q}
	}
	p.lex = newLexical(docs, memo)
	p.all = make([]int32, len(p.texts))
	for i := range p.all {
		p.all[i] = int32(i)
	}
	n := len(p.texts)
	p.scratch.New = func() any {
		return &poolScratch{scores: make([]float64, n), best: make([]float64, n), sims: make([]float64, n), dots: make([]float32, n)}
	}
	return p
}

// weigh records each question's weight as textWeight gives it.
func (p *questionPool) weigh(textWeight func(string) float64) {
	if p == nil {
		return
	}
	p.weight = make([]float64, len(p.texts))
	for i, q := range p.texts {
		p.weight[i] = textWeight(q)
	}
}

// addVectors gives the pool its dense side: unit vectors, one per
// question.
func (p *questionPool) addVectors(vecs [][]float32) error {
	if p == nil {
		return nil
	}
	if len(vecs) != len(p.texts) {
		return fmt.Errorf("questions: %d vectors for %d questions", len(vecs), len(p.texts))
	}
	p.vecs = newPostings(vecs)
	return nil
}

// questions returns the pool's questions (none for a nil pool).
func (p *questionPool) questions() []string {
	if p == nil {
		return nil
	}
	return p.texts
}

// size is the number of questions (0 for a nil pool).
func (p *questionPool) size() int {
	if p == nil {
		return 0
	}
	return len(p.texts)
}

// overlapHit is a pool question and the share of the asked question's
// weight it covers.
type overlapHit struct {
	doc   int32
	share float64
}

// overlap finds every question of the pool that shares a word with the
// asked one, with how much they share: the weight of the asked words a
// pool question covers (a word counts with its weight times the credit
// of its best matching term there) over the weight of both questions
// together, a weighted Jaccard. A pool question that asks for more than
// the asked one ("… for customers in government clouds?") shares less: a
// near miss is near only when it adds little. It is linear in the postings
// touched. words are the asked question's distinct words, whose order is
// the order of the sums. The hits are appended to hits[:0].
func (p *questionPool) overlap(terms []queryTerm, words []qword, hits []overlapHit) []overlapHit {
	if p == nil {
		return nil
	}
	total := 0.0
	for _, w := range words {
		total += w.weight()
	}
	if total == 0 {
		return nil
	}
	bySource := sourceTerms(terms, words)
	work := p.scratch.Get().(*poolScratch)
	defer p.scratch.Put(work)
	scores := work.scores
	best := work.best // this word's credit per question
	touched, word := work.touched[:0], work.word[:0]
	for i, ts := range bySource {
		weight := words[i].weight()
		word = word[:0]
		for _, t := range ts {
			for _, post := range t.ps {
				if best[post.doc] == 0 {
					word = append(word, post.doc)
				}
				// Weights are finite, where the built-in max and min
				// are math.Max and math.Min (signed zeros alike), inlined.
				best[post.doc] = max(best[post.doc], t.weight)
			}
		}
		for _, d := range word {
			if scores[d] == 0 {
				touched = append(touched, d)
			}
			scores[d] += weight * min(1, best[d]) / total
			best[d] = 0
		}
	}
	hits = hits[:0]
	for _, d := range touched {
		share := scores[d]
		if p.weight != nil {
			covered := scores[d] * total
			if union := total + p.weight[d] - covered; union > 0 {
				share = min(1, covered/union) // finite: math.Min
			}
		}
		hits = append(hits, overlapHit{doc: d, share: share})
		scores[d] = 0
	}
	work.touched, work.word = touched, word
	return hits
}

// sourceTerms groups the single-word terms that stand for a question word
// by that word, in the order of words.
func sourceTerms(terms []queryTerm, words []qword) [][]queryTerm {
	at := make(map[string]int, len(words))
	for i, w := range words {
		at[w.term] = i
	}
	out := make([][]queryTerm, len(words))
	for _, t := range terms {
		if i, ok := at[t.source]; ok && !t.pair && t.source != "" {
			out[i] = append(out[i], t)
		}
	}
	return out
}

// nearest visits the n questions most similar to the unit vector v.
func (p *questionPool) nearest(ctx context.Context, v []float32, n int, visit func(doc int32, sim float64)) error {
	if p == nil || p.vecs == nil {
		return nil
	}
	work := p.scratch.Get().(*poolScratch)
	defer p.scratch.Put(work)
	dots, err := p.vecs.dots(ctx, v, work.dots)
	if err != nil {
		return err
	}
	sims := work.sims
	for d, x := range dots {
		sims[d] = float64(x)
	}
	for _, d := range topN(p.all, sims, n) {
		visit(d, sims[d])
	}
	return nil
}

// maxSimilarity is the largest cosine similarity of a question of the
// pool to the unit vector v, and 0 when none is positive.
func (p *questionPool) maxSimilarity(ctx context.Context, v []float32) (float64, error) {
	if p == nil || p.vecs == nil {
		return 0, nil
	}
	work := p.scratch.Get().(*poolScratch)
	defer p.scratch.Put(work)
	dots, err := p.vecs.dots(ctx, v, work.dots)
	if err != nil {
		return 0, err
	}
	return maxOf(dots), nil
}

// maxOf is math.Max folded over 0 and xs: +Inf if any is +Inf, else NaN
// if any is NaN, else the largest (+0 over -0), without a call per value.
func maxOf(xs []float32) float64 {
	best, nan := float32(0), false
	for _, x := range xs {
		switch {
		case x > best:
			best = x
		case x != x:
			nan = true
		}
	}
	if nan && !math.IsInf(float64(best), 1) {
		return math.NaN()
	}
	return float64(best)
}
