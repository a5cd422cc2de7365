package main

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/faqbot/faqbot/internal/logreg"
)

// defaultL2 is the regularisation the checked-in models are fitted with,
// chosen by -cv on the tuning questions: the strength with the lowest
// held-out log loss.
const defaultL2 = 3

// l2Grid are the strengths -cv compares.
var l2Grid = []float64{0.1, 1, 3, 10, 30, 100, 300}

// writer is who wrote a labelled question: its id's prefix ("W3" of
// "W3-017"). Cross-validation holds out one writer at a time, because the
// bot is judged on people whose wording it has never seen; folds that mix
// a writer's questions would reward learning that writer's style.
func writer(id string) string {
	w, _, _ := strings.Cut(id, "-")
	return w
}

// crossValidate reports, for each strength of l2Grid, the log loss and
// accuracy of models fitted without one writer's questions and scored on
// them, over all writers.
func crossValidate(out io.Writer, name string, features []string, xs [][]float64, ys []bool, groups []string) {
	var writers []string
	seen := map[string]bool{}
	for _, g := range groups {
		if !seen[g] {
			seen[g] = true
			writers = append(writers, g)
		}
	}
	for _, l2 := range l2Grid {
		loss, right := 0.0, 0
		for _, held := range writers {
			trainX, trainY, testX, testY := splitHeld(xs, ys, groups, held)
			m, err := logreg.Fit(features, trainX, trainY, logreg.Options{L2: l2})
			if err != nil {
				fmt.Fprintf(out, "%s: without %s: %v\n", name, held, err)
				return
			}
			for i, x := range testX {
				p := min(max(m.Predict(x), 1e-6), 1-1e-6)
				if testY[i] {
					loss -= math.Log(p)
				} else {
					loss -= math.Log(1 - p)
				}
				if (p >= 0.5) == testY[i] {
					right++
				}
			}
		}
		n := float64(len(xs))
		fmt.Fprintf(out, "%s l2=%g: log loss %.4f, accuracy %.4f (%d rows, %d writers)\n", name, l2, loss/n, float64(right)/n, len(xs), len(writers))
	}
}

// ablate reports, for each feature, the leave-one-writer-out log loss of
// the answerability model fitted without it: a feature whose removal
// lowers the loss is one the model leans on only for the writers it has
// seen.
func ablate(out io.Writer, features []string, xs [][]float64, ys []bool, groups []string, l2 float64) {
	base := heldOutLoss(features, xs, ys, groups, l2)
	fmt.Fprintf(out, "all features: log loss %.4f\n", base)
	for f := range features {
		without := make([][]float64, len(xs))
		for i, x := range xs {
			without[i] = append([]float64(nil), x...)
			without[i][f] = 0
		}
		loss := heldOutLoss(features, without, ys, groups, l2)
		fmt.Fprintf(out, "without %-30s log loss %.4f (%+.4f)\n", features[f], loss, loss-base)
	}
}

// heldOutLoss is the mean log loss over writers of models fitted on the
// other writers.
func heldOutLoss(features []string, xs [][]float64, ys []bool, groups []string, l2 float64) float64 {
	loss := 0.0
	for _, held := range distinct(groups) {
		trainX, trainY, testX, testY := splitHeld(xs, ys, groups, held)
		m, err := logreg.Fit(features, trainX, trainY, logreg.Options{L2: l2})
		if err != nil {
			return math.Inf(1)
		}
		for i, x := range testX {
			p := min(max(m.Predict(x), 1e-6), 1-1e-6)
			if testY[i] {
				loss -= math.Log(p)
			} else {
				loss -= math.Log(1 - p)
			}
		}
	}
	return loss / float64(len(xs))
}

func distinct(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// splitHeld parts labelled rows into those of writers other than held (to
// train on) and those of held (to test on).
func splitHeld[T any](rows []T, ys []bool, groups []string, held string) (train []T, trainY []bool, test []T, testY []bool) {
	for i := range rows {
		if groups[i] == held {
			test, testY = append(test, rows[i]), append(testY, ys[i])
		} else {
			train, trainY = append(train, rows[i]), append(trainY, ys[i])
		}
	}
	return train, trainY, test, testY
}
