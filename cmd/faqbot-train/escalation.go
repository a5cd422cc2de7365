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

// escalationSeed makes the escalation models reproducible: go generate
// twice writes the same file.
const escalationSeed = 1

// extensionAnchor is the FAQ section that answers requests for more time:
// an escalated question expected there is labelled a request for more time
// for the reason model.
const extensionAnchor = "i-cant-transition-by-the-outbound-marketing-removal-date-can-i-request-an-extension"

// escalationFile is what bot/escalation.json holds.
type escalationFile struct {
	Escalate  *logreg.Sparse `json:"escalate"`
	Extension *logreg.Sparse `json:"extension"`
}

// escalationData are the labelled questions whose escalation is decided
// (not "any"), as the escalation models read them.
type escalationData struct {
	rows   [][]string // features
	ys     []bool     // escalate
	more   []bool     // escalate, expected at the extension section
	groups []string   // writers
	rules  []bool     // the rules alone escalate
}

func escalationRows(files []string) (escalationData, error) {
	var e escalationData
	for _, name := range files {
		cases, err := readCases(name)
		if err != nil {
			return e, err
		}
		for _, c := range cases {
			if c.Escalate == eval.Any {
				continue
			}
			d := bot.Classify(c.Question)
			e.rows = append(e.rows, bot.EscalationFeatures(d))
			e.ys = append(e.ys, c.Escalate == eval.Yes)
			e.more = append(e.more, c.Escalate == eval.Yes && slices.Contains(c.Expected, extensionAnchor))
			e.groups = append(e.groups, writer(c.ID))
			e.rules = append(e.rules, d.Reason != bot.NoEscalation)
		}
	}
	return e, nil
}

// escalated keeps the rows labelled escalate, with their extension labels.
func (e escalationData) escalated() (rows [][]string, more []bool) {
	for i := range e.rows {
		if e.ys[i] {
			rows, more = append(rows, e.rows[i]), append(more, e.more[i])
		}
	}
	return rows, more
}

// trainEscalation fits the escalation models on files and writes them to
// path.
func trainEscalation(out io.Writer, path string, files []string) error {
	e, err := escalationRows(files)
	if err != nil {
		return err
	}
	var f escalationFile
	if f.Escalate, err = logreg.FitSparse(e.rows, e.ys, logreg.SparseOptions{Seed: escalationSeed}); err != nil {
		return fmt.Errorf("escalation: %w", err)
	}
	rows, more := e.escalated()
	if f.Extension, err = logreg.FitSparse(rows, more, logreg.SparseOptions{Seed: escalationSeed}); err != nil {
		return fmt.Errorf("escalation reason: %w", err)
	}
	data, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "escalation: %d rows, %d weighted features; reason: %d rows, %d weighted features\n",
		len(e.rows), len(f.Escalate.Weights), len(rows), len(f.Extension.Weights))
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// crossValidateEscalation leaves each writer out in turn, fits the model on
// the others and reports, over all held-out questions, the precision and
// recall of the rules, of the model, and of both together at several
// thresholds: the evidence for bot.EscalationThreshold.
func crossValidateEscalation(out io.Writer, files []string) error {
	e, err := escalationRows(files)
	if err != nil {
		return err
	}
	rows, ys, groups, rules := e.rows, e.ys, e.groups, e.rules
	probs := make([]float64, len(rows))
	writers := slices.Compact(slices.Sorted(slices.Values(groups)))
	for _, held := range writers {
		trainRows, trainYs, _, _ := splitHeld(rows, ys, groups, held)
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
	return crossValidateReason(out, e, writers)
}

// crossValidateReason reports, leaving each writer out, how often the
// reason model tells a request for more time from other hand-offs.
func crossValidateReason(out io.Writer, e escalationData, writers []string) error {
	right, total := 0, 0
	for _, held := range writers {
		var rows [][]string
		var more []bool
		for i := range e.rows {
			if e.ys[i] && e.groups[i] != held {
				rows, more = append(rows, e.rows[i]), append(more, e.more[i])
			}
		}
		m, err := logreg.FitSparse(rows, more, logreg.SparseOptions{Seed: escalationSeed})
		if err != nil {
			return err
		}
		for i := range e.rows {
			if e.ys[i] && e.groups[i] == held {
				total++
				if (m.Predict(e.rows[i]) >= 0.5) == e.more[i] {
					right++
				}
			}
		}
	}
	fmt.Fprintf(out, "reason (more time or not), leaving each writer out: %.3f right of %d hand-offs\n", ratioOf(right, total), total)
	return nil
}

func ratioOf(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
