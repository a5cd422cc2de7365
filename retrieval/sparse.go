package retrieval

import (
	"context"
	"fmt"
	"math"
	"sync"
)

// sparseScan finds a question's nearest passages without chromem-go when
// the question's vector is sparse, as the local embedder's are (about a
// hundred non-zero dimensions in a thousand): the similarity of each
// passage is summed over the question's non-zero dimensions only. On the
// FAQ that is a tenth of chromem-go's work, with none of its goroutines.
//
// The similarities are chromem-go's to the last bit: it sums
// query[i]*doc[i] over every dimension in order, in float32, and a
// dimension where the question is zero adds a zero that changes no sum.
// That holds for the vectors chromem-go holds, which are the ones given
// to it when it deems them normalised (it keeps a normalised copy of the
// others): sparseScan is built only when every passage vector is finite
// and normalised by chromem-go's measure, and used only for question
// vectors that are too. Passages that tie at the n-th place may come out
// differently (chromem-go's choice among them depends on its goroutines).
type sparseScan struct {
	vecs    [][]float32
	all     []int32   // every passage, 0 to n-1, for topN
	scratch sync.Pool // *[]float64, one similarity per passage
}

// newSparseScan returns a scan over vecs, or nil when chromem-go holds
// other vectors than these.
func newSparseScan(vecs [][]float32) *sparseScan {
	for _, v := range vecs {
		if !chromemNormalized(v) {
			return nil
		}
	}
	s := &sparseScan{vecs: vecs, all: make([]int32, len(vecs))}
	for i := range s.all {
		s.all[i] = int32(i)
	}
	n := len(vecs)
	s.scratch.New = func() any { sims := make([]float64, n); return &sims }
	return s
}

// chromemNormalized is chromem-go's test of whether a vector is
// normalised (vector.go, isNormalized), for finite vectors.
func chromemNormalized(v []float32) bool {
	var sqSum float64
	for _, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return false
		}
		sqSum += float64(x) * float64(x)
	}
	return math.Abs(math.Sqrt(sqSum)-1) < 1e-6
}

// nearest visits the n passages most similar to q and reports true, or
// reports false and visits nothing when q is not for it: a vector with
// most dimensions in use costs what chromem-go's parallel scan costs, and
// one chromem-go would normalise again must go to chromem-go.
func (s *sparseScan) nearest(ctx context.Context, q []float32, n int, visit func(doc int32, sim float64)) (bool, error) {
	if s == nil || !chromemNormalized(q) {
		return false, nil
	}
	var used []int
	for d, x := range q {
		if x != 0 {
			used = append(used, d)
		}
	}
	if 2*len(used) > len(q) {
		return false, nil
	}
	buf := s.scratch.Get().(*[]float64)
	defer s.scratch.Put(buf)
	sims := *buf
	for i, v := range s.vecs {
		if i%1024 == 0 && ctx.Err() != nil {
			return true, fmt.Errorf("dense query: %w", ctx.Err())
		}
		if len(v) != len(q) {
			return true, fmt.Errorf("dense query: vectors of %d and %d dimensions", len(v), len(q))
		}
		var dot float32
		for _, d := range used {
			dot += q[d] * v[d]
		}
		sims[i] = float64(dot)
	}
	for _, d := range topN(s.all, sims, n) {
		visit(d, sims[d])
	}
	return true, nil
}
