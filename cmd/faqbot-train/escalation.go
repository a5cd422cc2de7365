package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/eval"
	"github.com/faqbot/faqbot/internal/logreg"
)

// escalationSeed makes the escalation model reproducible: go generate
// twice writes the same file.
const escalationSeed = 1

// escalationRows reads the labelled questions whose escalation is decided
// (not "any"): their features for the escalation model, the label, the
// writer and whether the rules alone escalate.
func escalationRows(files []string) (rows [][]string, ys []bool, groups []string, rules []bool, err error) {
	for _, name := range files {
		cases, err := readCases(name)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		for _, c := range cases {
			if c.Escalate == eval.Any {
				continue
			}
			d := bot.Classify(c.Question)
			rows = append(rows, bot.EscalationFeatures(d))
			ys = append(ys, c.Escalate == eval.Yes)
			groups = append(groups, writer(c.ID))
			rules = append(rules, d.Reason != bot.NoEscalation)
		}
	}
	return rows, ys, groups, rules, nil
}

// trainEscalation fits the escalation model on files and writes it to path.
func trainEscalation(out io.Writer, path string, files []string) error {
	rows, ys, _, _, err := escalationRows(files)
	if err != nil {
		return err
	}
	m, err := logreg.FitSparse(rows, ys, logreg.SparseOptions{Seed: escalationSeed})
	if err != nil {
		return fmt.Errorf("escalation: %w", err)
	}
	data, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "escalation: %d rows, %d weighted features, bias %.3f\n", len(rows), len(m.Weights), m.Bias)
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// crossValidateEscalation leaves each writer out in turn, fits the model on
// the others and reports, over all held-out questions, the precision and
// recall of the rules, of the model, and of both together at several
// thresholds: the evidence for bot.EscalationThreshold.
func crossValidateEscalation(out io.Writer, files []string) error {
	rows, ys, groups, rules, err := escalationRows(files)
	if err != nil {
		return err
	}
	probs := make([]float64, len(rows))
	writers := slices.Compact(slices.Sorted(slices.Values(groups)))
	for _, held := range writers {
		var trainRows [][]string
		var trainYs []bool
		for i := range rows {
			if groups[i] != held {
				trainRows, trainYs = append(trainRows, rows[i]), append(trainYs, ys[i])
			}
		}
		m, err := logreg.FitSparse(trainRows, trainYs, logreg.SparseOptions{Seed: escalationSeed})
		if err != nil {
			return err
		}
		for i := range rows {
			if groups[i] == held {
				probs[i] = m.Predict(rows[i])
			}
		}
	}
	report := func(name string, escalate func(i int) bool) {
		var tp, fp, fn int
		for i := range rows {
			switch e := escalate(i); {
			case e && ys[i]:
				tp++
			case e && !ys[i]:
				fp++
			case !e && ys[i]:
				fn++
			}
		}
		fmt.Fprintf(out, "%-24s precision %.3f recall %.3f (fp %d, fn %d)\n", name, ratioOf(tp, tp+fp), ratioOf(tp, tp+fn), fp, fn)
	}
	fmt.Fprintf(out, "escalation, leaving each of %d writers out:\n", len(writers))
	report("rules", func(i int) bool { return rules[i] })
	for _, t := range []float64{0.5, 0.6, 0.7, 0.8, 0.9} {
		report(fmt.Sprintf("model >= %.1f", t), func(i int) bool { return probs[i] >= t })
		report(fmt.Sprintf("rules or model >= %.1f", t), func(i int) bool { return rules[i] || probs[i] >= t })
	}
	return nil
}

func ratioOf(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
