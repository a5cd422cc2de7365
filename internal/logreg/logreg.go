// Package logreg is a small logistic regression: fitted by gradient descent
// on standardised features with L2 regularisation, and applied as a plain
// weighted sum. faqbot uses it for decisions that combine a handful of
// measured signals (does this section answer the question?), where a
// hand-set threshold on one signal would not carry over to other wordings.
package logreg

import (
	"errors"
	"fmt"
	"math"
)

// Model maps features to a probability.
type Model struct {
	// Features names the inputs, in order; Predict checks the count.
	Features []string  `json:"features"`
	Weights  []float64 `json:"weights"`
	Bias     float64   `json:"bias"`
}

// Predict returns the probability that x belongs to the positive class.
func (m *Model) Predict(x []float64) float64 {
	z := m.Bias
	for i, w := range m.Weights {
		if i < len(x) {
			z += w * x[i]
		}
	}
	return 1 / (1 + math.Exp(-z))
}

// Check reports whether the model takes the named features, in order.
func (m *Model) Check(features []string) error {
	if len(m.Weights) != len(m.Features) {
		return fmt.Errorf("model has %d weights for %d features", len(m.Weights), len(m.Features))
	}
	if len(features) != len(m.Features) {
		return fmt.Errorf("model takes %d features, want %d", len(m.Features), len(features))
	}
	for i := range features {
		if features[i] != m.Features[i] {
			return fmt.Errorf("model feature %d is %q, want %q", i, m.Features[i], features[i])
		}
	}
	return nil
}

// Options tune Fit; zero values take the defaults.
type Options struct {
	// L2 is the regularisation strength (1.0 when zero): with a few hundred
	// examples, weights must stay modest to carry over to new wordings.
	L2 float64
	// Epochs of full-batch gradient descent (3000 when zero).
	Epochs int
	// Rate is the learning rate (0.1 when zero).
	Rate float64
}

// Fit trains a model on rows xs with labels ys. Features are standardised
// for training and the weights mapped back, so the model applies to raw
// features.
func Fit(names []string, xs [][]float64, ys []bool, opts Options) (*Model, error) {
	if len(xs) == 0 || len(xs) != len(ys) {
		return nil, errors.New("logreg: want as many labels as rows, and some rows")
	}
	d := len(names)
	for i, x := range xs {
		if len(x) != d {
			return nil, fmt.Errorf("logreg: row %d has %d features, want %d", i, len(x), d)
		}
	}
	if opts.L2 == 0 {
		opts.L2 = 1
	}
	if opts.Epochs == 0 {
		opts.Epochs = 3000
	}
	if opts.Rate == 0 {
		opts.Rate = 0.1
	}
	mean, sd := make([]float64, d), make([]float64, d)
	for _, x := range xs {
		for j, v := range x {
			mean[j] += v
		}
	}
	n := float64(len(xs))
	for j := range mean {
		mean[j] /= n
	}
	for _, x := range xs {
		for j, v := range x {
			sd[j] += (v - mean[j]) * (v - mean[j])
		}
	}
	for j := range sd {
		if sd[j] = math.Sqrt(sd[j] / n); sd[j] == 0 {
			sd[j] = 1
		}
	}
	w, b := make([]float64, d), 0.0
	grad := make([]float64, d)
	for range opts.Epochs {
		clear(grad)
		gb := 0.0
		for i, x := range xs {
			z := b
			for j, v := range x {
				z += w[j] * (v - mean[j]) / sd[j]
			}
			p := 1 / (1 + math.Exp(-z))
			y := 0.0
			if ys[i] {
				y = 1
			}
			for j, v := range x {
				grad[j] += (p - y) * (v - mean[j]) / sd[j]
			}
			gb += p - y
		}
		for j := range w {
			w[j] -= opts.Rate * (grad[j]/n + opts.L2*w[j]/n)
		}
		b -= opts.Rate * gb / n
	}
	m := &Model{Features: append([]string(nil), names...), Weights: make([]float64, d), Bias: b}
	for j := range w {
		m.Weights[j] = w[j] / sd[j]
		m.Bias -= w[j] * mean[j] / sd[j]
	}
	return m, nil
}
