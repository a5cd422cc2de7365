package retrieval

// topN returns the n items with the highest scores, best first, without
// sorting them all.
//
// It is a min-heap of the best n seen so far, the weakest on top to be
// replaced. The heap is written out for int32 items rather than through
// container/heap, whose interface calls and boxing cost more than the
// comparisons on a pool of thousands of questions; its steps are
// container/heap's own (Push, Fix, Pop), so that ties come out in the
// same order.
func topN(items []int32, scores []float64, n int) []int32 {
	if n <= 0 {
		return nil
	}
	h := minHeap{items: make([]int32, 0, min(n, len(items))), scores: scores}
	for _, it := range items {
		switch {
		case len(h.items) < n:
			h.items = append(h.items, it)
			h.up(len(h.items) - 1)
		case scores[it] > scores[h.items[0]]:
			h.items[0] = it
			if !h.down(0, len(h.items)) {
				h.up(0)
			}
		}
	}
	// Popping the weakest to the end of the shrinking heap, one by one,
	// leaves the items best first.
	for last := len(h.items) - 1; last > 0; last-- {
		h.items[0], h.items[last] = h.items[last], h.items[0]
		h.down(0, last)
	}
	return h.items
}

// minHeap keeps the lowest score on top, so the weakest of the best n is
// the one replaced.
type minHeap struct {
	items  []int32
	scores []float64
}

func (h *minHeap) less(i, j int) bool { return h.scores[h.items[i]] < h.scores[h.items[j]] }

// up and down are container/heap's.
func (h *minHeap) up(j int) {
	for {
		i := (j - 1) / 2 // parent
		if i == j || !h.less(j, i) {
			break
		}
		h.items[i], h.items[j] = h.items[j], h.items[i]
		j = i
	}
}

func (h *minHeap) down(i0, n int) bool {
	i := i0
	for {
		j1 := 2*i + 1
		if j1 >= n || j1 < 0 { // j1 < 0 after int overflow
			break
		}
		j := j1 // left child
		if j2 := j1 + 1; j2 < n && h.less(j2, j1) {
			j = j2 // right child
		}
		if !h.less(j, i) {
			break
		}
		h.items[i], h.items[j] = h.items[j], h.items[i]
		i = j
	}
	return i > i0
}
