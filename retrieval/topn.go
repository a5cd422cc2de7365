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
	h := make([]int32, 0, min(n, len(items)))
	less := func(i, j int) bool { return scores[h[i]] < scores[h[j]] }
	for _, it := range items {
		switch {
		case len(h) < n:
			h = append(h, it)
			heapUp(h, less, len(h)-1)
		case scores[it] > scores[h[0]]:
			h[0] = it
			if !heapDown(h, less, 0, len(h)) {
				heapUp(h, less, 0)
			}
		}
	}
	// Popping the weakest to the end of the shrinking heap, one by one,
	// leaves the items best first.
	for last := len(h) - 1; last > 0; last-- {
		h[0], h[last] = h[last], h[0]
		heapDown(h, less, 0, last)
	}
	return h
}

// heapUp and heapDown are container/heap's up and down.
func heapUp(h []int32, less func(i, j int) bool, j int) {
	for {
		i := (j - 1) / 2 // parent
		if i == j || !less(j, i) {
			break
		}
		h[i], h[j] = h[j], h[i]
		j = i
	}
}

func heapDown(h []int32, less func(i, j int) bool, i0, n int) bool {
	i := i0
	for {
		j1 := 2*i + 1
		if j1 >= n || j1 < 0 { // j1 < 0 after int overflow
			break
		}
		j := j1 // left child
		if j2 := j1 + 1; j2 < n && less(j2, j1) {
			j = j2 // right child
		}
		if !less(j, i) {
			break
		}
		h[i], h[j] = h[j], h[i]
		i = j
	}
	return i > i0
}
