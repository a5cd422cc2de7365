package retrieval

import "container/heap"

// topN returns the n items with the highest scores, best first, without
// sorting them all.
func topN(items []int32, scores []float64, n int) []int32 {
	if n <= 0 {
		return nil
	}
	h := &minHeap{scores: scores}
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

// minHeap keeps the lowest score on top, so the weakest of the best n is
// the one replaced.
type minHeap struct {
	items  []int32
	scores []float64
}

func (h *minHeap) Len() int           { return len(h.items) }
func (h *minHeap) Less(i, j int) bool { return h.scores[h.items[i]] < h.scores[h.items[j]] }
func (h *minHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *minHeap) Push(x any)         { h.items = append(h.items, x.(int32)) }
func (h *minHeap) Pop() any {
	it := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return it
}
