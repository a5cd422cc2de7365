package retrieval

import (
	"context"
	"fmt"
)

// postings hold a pool's vectors by dimension: for each dimension, the
// questions whose vector is non-zero there, with that value. Scoring a
// query then touches only the dimensions the query uses: the local
// embedder's vectors have about a hundred non-zero dimensions in a
// thousand, so a query costs a tenth of a scan over every vector. Dense
// vectors (a model's embeddings) cost what a scan would.
type postings struct {
	n     int // vectors held
	byDim [][]vecEntry
}

type vecEntry struct {
	doc int32
	val float32
}

func newPostings(vecs [][]float32) *postings {
	p := &postings{n: len(vecs)}
	for doc, v := range vecs {
		if len(v) > len(p.byDim) {
			p.byDim = append(p.byDim, make([][]vecEntry, len(v)-len(p.byDim))...)
		}
		for d, x := range v {
			if x != 0 {
				p.byDim[d] = append(p.byDim[d], vecEntry{doc: int32(doc), val: x})
			}
		}
	}
	return p
}

// dots returns every vector's dot product with q, by vector, in out (which
// holds one entry per vector).
func (p *postings) dots(ctx context.Context, q []float32, out []float32) ([]float32, error) {
	out = out[:p.n]
	clear(out)
	for d, x := range q {
		if x == 0 || d >= len(p.byDim) {
			continue
		}
		if d%256 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("questions: %w", ctx.Err())
		}
		for _, e := range p.byDim[d] {
			out[e.doc] += x * e.val
		}
	}
	return out, nil
}
