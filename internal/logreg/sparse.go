package logreg

import (
	"errors"
	"math"
	"math/rand"
	"sort"
)

// Sparse is a logistic regression over named binary features, most of them
// absent from any one row: the words and word pairs of a question. Only
// features seen in training carry a weight; others count for nothing.
type Sparse struct {
	Weights map[string]float64 `json:"weights"`
	Bias    float64            `json:"bias"`
}

// Predict returns the probability that a row holding features belongs to
// the positive class. A feature listed twice counts twice.
func (m *Sparse) Predict(features []string) float64 {
	z := m.Bias
	for _, f := range features {
		z += m.Weights[f]
	}
	return 1 / (1 + math.Exp(-z))
}

// SparseOptions tune FitSparse; zero values take the defaults.
type SparseOptions struct {
	// L2 is the regularisation strength per update (1e-3 when zero).
	L2 float64
	// Epochs over the shuffled rows (15 when zero).
	Epochs int
	// MinRows is how many rows must hold a feature for it to be learned (2
	// when zero): a word one writer used once says nothing general.
	MinRows int
	// Seed makes the shuffling, and so the model, reproducible.
	Seed int64
}

// FitSparse trains a model on rows of features with labels ys, by
// stochastic gradient descent with AdaGrad steps, which suits features
// that occur rarely.
func FitSparse(rows [][]string, ys []bool, opts SparseOptions) (*Sparse, error) {
	if len(rows) == 0 || len(rows) != len(ys) {
		return nil, errors.New("logreg: want as many labels as rows, and some rows")
	}
	if opts.L2 == 0 {
		opts.L2 = 1e-3
	}
	if opts.Epochs == 0 {
		opts.Epochs = 15
	}
	if opts.MinRows == 0 {
		opts.MinRows = 2
	}
	// Features as indexes, in sorted order, so that the model does not
	// depend on map iteration.
	df := map[string]int{}
	for _, r := range rows {
		for _, f := range dedupe(r) {
			df[f]++
		}
	}
	var names []string
	for f, n := range df {
		if n >= opts.MinRows {
			names = append(names, f)
		}
	}
	sort.Strings(names)
	index := make(map[string]int, len(names))
	for i, f := range names {
		index[f] = i
	}
	xs := make([][]int, len(rows))
	for i, r := range rows {
		for _, f := range r {
			if j, ok := index[f]; ok {
				xs[i] = append(xs[i], j)
			}
		}
	}
	const rate = 0.5
	w, g2 := make([]float64, len(names)), make([]float64, len(names))
	bias, gb2 := 0.0, 0.0
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewSource(opts.Seed))
	for range opts.Epochs {
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, i := range order {
			z := bias
			for _, j := range xs[i] {
				z += w[j]
			}
			g := 1/(1+math.Exp(-z)) - label(ys[i])
			for _, j := range xs[i] {
				gj := g + opts.L2*w[j]
				g2[j] += gj * gj
				w[j] -= rate * gj / math.Sqrt(g2[j]+1e-8)
			}
			gb2 += g * g
			bias -= rate * g / math.Sqrt(gb2+1e-8)
		}
	}
	m := &Sparse{Weights: make(map[string]float64, len(names)), Bias: bias}
	for j, f := range names {
		// Weights too small to move a decision only make the file longer.
		if math.Abs(w[j]) >= 1e-3 {
			m.Weights[f] = math.Round(w[j]*1e4) / 1e4
		}
	}
	return m, nil
}

func label(y bool) float64 {
	if y {
		return 1
	}
	return 0
}

func dedupe(fs []string) []string {
	seen := make(map[string]bool, len(fs))
	var out []string
	for _, f := range fs {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}
