package retrieval

import (
	"context"
	"fmt"
	"math"

	"github.com/philippgille/chromem-go"
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
	coll *chromem.Collection // nil without vectors
}

// newSectionPool holds the questions of each section, in section order,
// and those under the key "" as belonging to no section (-1), after them.
func newSectionPool(sectionKeys []string, bySection map[string][]string, limit int) *questionPool {
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
	return p.finish()
}

// finish builds the lexical index, or returns nil for an empty pool.
func (p *questionPool) finish() *questionPool {
	if len(p.texts) == 0 {
		return nil
	}
	docs := make([]lexDoc, len(p.texts))
	for i, q := range p.texts {
		docs[i] = lexDoc{body: q}
	}
	p.lex = newLexical(docs)
	return p
}

// addVectors gives the pool its dense side.
func (p *questionPool) addVectors(ctx context.Context, name string, vecs [][]float32) error {
	if p == nil {
		return nil
	}
	coll, err := newCollection(ctx, name, vecs)
	if err != nil {
		return err
	}
	p.coll = coll
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

// overlap is, for every question of the pool that shares a word with the
// asked one, the share of the asked question's weight it covers: a word
// counts with weight[term] times the credit of its best matching term.
// It is linear in the postings touched.
func (p *questionPool) overlap(terms []queryTerm, weight map[string]float64) map[int32]float64 {
	if p == nil {
		return nil
	}
	total := 0.0
	for _, w := range weight {
		total += w
	}
	if total == 0 {
		return nil
	}
	best := map[string]map[int32]float64{} // word -> question -> credit
	for _, t := range terms {
		if t.pair || t.source == "" {
			continue
		}
		for _, post := range p.lex.postings[t.term] {
			m := best[t.source]
			if m == nil {
				m = map[int32]float64{}
				best[t.source] = m
			}
			m[post.doc] = math.Max(m[post.doc], t.weight)
		}
	}
	out := map[int32]float64{}
	for word, docs := range best {
		for d, credit := range docs {
			out[d] += weight[word] * math.Min(1, credit) / total
		}
	}
	return out
}

// nearestDense visits the pool's questions nearest to v.
func (p *questionPool) nearestDense(ctx context.Context, v []float32, k int, visit func(doc int32, sim float64)) error {
	if p == nil || p.coll == nil {
		return nil
	}
	if err := nearest(ctx, p.coll, v, k, visit); err != nil {
		return fmt.Errorf("questions: %w", err)
	}
	return nil
}
