package logreg

import (
	"reflect"
	"testing"
)

func TestFitSparseLearnsWordsThatDecide(t *testing.T) {
	rows := [][]string{
		{"w:please", "w:postpone"}, {"w:postpone", "w:it"}, {"w:delay", "w:please"}, {"w:delay", "w:us"},
		{"w:when", "w:is"}, {"w:when", "w:does"}, {"w:what", "w:is"}, {"w:what", "w:does"},
	}
	ys := []bool{true, true, true, true, false, false, false, false}
	m, err := FitSparse(rows, ys, SparseOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		row  []string
		want bool
	}{
		{[]string{"w:postpone", "w:unseen"}, true},
		{[]string{"w:delay"}, true},
		{[]string{"w:when", "w:unseen"}, false},
		{[]string{"w:what"}, false},
	}
	for _, tt := range tests {
		if got := m.Predict(tt.row) >= 0.5; got != tt.want {
			t.Errorf("Predict(%v) = %.2f, want positive %v", tt.row, m.Predict(tt.row), tt.want)
		}
	}
	// A feature one row held is not learned.
	if _, ok := m.Weights["w:us"]; ok {
		t.Errorf("learned a feature seen once: %v", m.Weights)
	}
}

func TestFitSparseIsReproducible(t *testing.T) {
	rows := [][]string{{"a", "b"}, {"b", "c"}, {"a", "c"}, {"c", "d"}, {"a", "d"}, {"b", "d"}}
	ys := []bool{true, false, true, false, true, false}
	m1, _ := FitSparse(rows, ys, SparseOptions{Seed: 7})
	m2, _ := FitSparse(rows, ys, SparseOptions{Seed: 7})
	if !reflect.DeepEqual(m1, m2) {
		t.Errorf("two fits differ: %+v / %+v", m1, m2)
	}
}

func TestFitSparseRejectsMismatchedLabels(t *testing.T) {
	if _, err := FitSparse([][]string{{"a"}}, nil, SparseOptions{}); err == nil {
		t.Error("no error for rows without labels")
	}
}
