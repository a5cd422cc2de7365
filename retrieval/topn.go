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
	h := make(minHeap, 0, min(n, len(items)))
	for _, it := range items {
		switch {
		case len(h) < n:
			h = append(h, scored{scores[it], it})
			h.up(len(h) - 1)
		case scores[it] > h[0].score:
			h[0] = scored{scores[it], it}
			if !h.down(0, len(h)) {
				h.up(0)
			}
		}
	}
	// Popping the weakest to the end of the shrinking heap, one by one,
	// leaves the items best first.
	for last := len(h) - 1; last > 0; last-- {
		h[0], h[last] = h[last], h[0]
		h.down(0, last)
	}
	out := make([]int32, len(h))
	for i, e := range h {
		out[i] = e.item
	}
	return out
}

// scored is an item with its score, held together so that comparing two
// reads neither items nor scores again.
type scored struct {
	score float64
	item  int32
}

// minHeap keeps the lowest score on top, so the weakest of the best n is
// the one replaced.
type minHeap []scored

func (h minHeap) less(i, j int) bool { return h[i].score < h[j].score }

// up and down are container/heap's.
func (h minHeap) up(j int) {
	for {
		i := (j - 1) / 2 // parent
		if i == j || !h.less(j, i) {
			break
		}
		h[i], h[j] = h[j], h[i]
		j = i
	}
}

func (h minHeap) down(i0, n int) bool {
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
		h[i], h[j] = h[j], h[i]
		i = j
	}
	return i > i0
}
