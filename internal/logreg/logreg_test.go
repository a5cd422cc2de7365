package logreg

import (
	"math"
	"testing"
)

// A separable problem in raw units far from zero: the model must learn it
// and apply to raw features (standardisation mapped back).
func TestFitSeparatesAndAppliesToRawFeatures(t *testing.T) {
	var xs [][]float64
	var ys []bool
	for i := range 100 {
		x := 1000 + float64(i)
		xs = append(xs, []float64{x, 5})
		ys = append(ys, x >= 1050)
	}
	m, err := Fit([]string{"x", "constant"}, xs, ys, Options{L2: 0.01, Epochs: 5000, Rate: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		x    float64
		want bool
	}{{1000, false}, {1030, false}, {1070, true}, {1099, true}} {
		if p := m.Predict([]float64{tt.x, 5}); (p >= 0.5) != tt.want {
			t.Errorf("Predict(%v) = %.3f, want positive=%v", tt.x, p, tt.want)
		}
	}
	if w := m.Weights[1]; math.Abs(w) > 1e-9 {
		t.Errorf("weight of a constant feature = %v, want 0", w)
	}
	if err := m.Check([]string{"x", "constant"}); err != nil {
		t.Error(err)
	}
	if err := m.Check([]string{"x"}); err == nil {
		t.Error("Check accepted a different feature list")
	}
}

func TestFitRejectsBadInput(t *testing.T) {
	if _, err := Fit([]string{"a"}, nil, nil, Options{}); err == nil {
		t.Error("no rows: want an error")
	}
	if _, err := Fit([]string{"a"}, [][]float64{{1, 2}}, []bool{true}, Options{}); err == nil {
		t.Error("row wider than the feature list: want an error")
	}
}
