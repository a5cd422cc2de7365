package retrieval

import (
	"container/heap"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// heapTopN is topN through container/heap, as it was written before: the
// reference the typed heap must agree with, ties included.
func heapTopN(items []int32, scores []float64, n int) []int32 {
	if n <= 0 {
		return nil
	}
	h := &refHeap{scores: scores}
	for _, it := range items {
		switch {
		case h.Len() < n:
			heap.Push(h, it)
		case scores[it] > scores[h.items[0]]:
			h.items[0] = it
			heap.Fix(h, 0)
		}
	}
	out := make([]int32, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(int32)
	}
	return out
}

type refHeap struct {
	items  []int32
	scores []float64
}

func (h *refHeap) Len() int           { return len(h.items) }
func (h *refHeap) Less(i, j int) bool { return h.scores[h.items[i]] < h.scores[h.items[j]] }
func (h *refHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *refHeap) Push(x any)         { h.items = append(h.items, x.(int32)) }
func (h *refHeap) Pop() any {
	it := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return it
}

func TestTopNAgreesWithContainerHeap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 2000 {
		size := r.IntN(300)
		scores := make([]float64, size)
		// Few distinct values make many ties, whose order must not move.
		distinct := 1 + r.IntN(8)
		for i := range scores {
			scores[i] = float64(r.IntN(distinct))
		}
		items := make([]int32, 0, size)
		for i := range size {
			if r.IntN(4) > 0 {
				items = append(items, int32(i))
			}
		}
		r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		n := r.IntN(size+2) - 1
		got, want := topN(items, scores, n), heapTopN(items, scores, n)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: topN(%v, n=%d) = %v, container/heap gives %v", trial, items, n, got, want)
		}
	}
}

func TestTopNBestFirst(t *testing.T) {
	scores := []float64{0.1, 0.9, 0.5, 0.7, 0.3}
	got := topN([]int32{0, 1, 2, 3, 4}, scores, 3)
	if want := []int32{1, 3, 2}; !slices.Equal(got, want) {
		t.Errorf("topN = %v, want %v", got, want)
	}
}

// The pools' overlap uses the built-in max and min where math.Max and
// math.Min were, on finite weights: there they agree, signed zeros
// included. (They differ only on NaN against an infinity.)
func TestBuiltinMaxMinAreMathMaxMinOnFiniteValues(t *testing.T) {
	values := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 0.8, math.SmallestNonzeroFloat64, math.MaxFloat64, -math.MaxFloat64}
	for _, x := range values {
		for _, y := range values {
			if math.Float64bits(max(x, y)) != math.Float64bits(math.Max(x, y)) || math.Float64bits(min(x, y)) != math.Float64bits(math.Min(x, y)) {
				t.Errorf("x=%v y=%v: max %v / math.Max %v, min %v / math.Min %v", x, y, max(x, y), math.Max(x, y), min(x, y), math.Min(x, y))
			}
		}
	}
}

// maxOf is math.Max folded over 0 and the values, whatever they hold.
func TestMaxOfIsMathMaxFolded(t *testing.T) {
	specials := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0.25, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), math.MaxFloat32}
	r := rand.New(rand.NewPCG(13, 14))
	for range 20000 {
		xs := make([]float32, r.IntN(6))
		for i := range xs {
			xs[i] = specials[r.IntN(len(specials))]
		}
		want := 0.0
		for _, x := range xs {
			want = math.Max(want, float64(x))
		}
		if got := maxOf(xs); math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("maxOf(%v) = %v, math.Max folded gives %v", xs, got, want)
		}
	}
}
