package eval

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText prints reports side by side, one column per question file,
// then each file's abstention trade-off and, when misses is set, what each
// got wrong.
func WriteText(w io.Writer, reps []Report, misses bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(label string, cell func(Report) string) {
		fmt.Fprintf(tw, "%s\t", label)
		for _, r := range reps {
			fmt.Fprintf(tw, "%s\t", cell(r))
		}
		fmt.Fprintln(tw)
	}
	num := func(f float64) string { return fmt.Sprintf("%.3f", f) }
	row("", func(r Report) string { return r.Name })
	row("questions", func(r Report) string { return fmt.Sprint(r.Questions) })
	row("answerable (scored)", func(r Report) string { return fmt.Sprint(r.Cited.N) })
	row("cited Recall@1", func(r Report) string { return num(r.Cited.Recall1) })
	row("cited Recall@3", func(r Report) string { return num(r.Cited.Recall3) })
	row("cited MRR", func(r Report) string { return num(r.Cited.MRR) })
	row("answered when answerable", func(r Report) string {
		return fmt.Sprintf("%s (%d/%d)", num(r.Abstention.AnswerRate), r.Abstention.AnswerableN-r.Abstention.FalseAbstentions, r.Abstention.AnswerableN)
	})
	row("declined when unanswerable", func(r Report) string {
		return fmt.Sprintf("%s (%d/%d)", num(r.Abstention.Accuracy), int(r.Abstention.Accuracy*float64(r.Abstention.N)+0.5), r.Abstention.N)
	})
	row("escalation precision", func(r Report) string {
		return fmt.Sprintf("%s (fp %d)", num(r.Escalation.Precision), r.Escalation.FP)
	})
	row("escalation recall", func(r Report) string {
		return fmt.Sprintf("%s (fn %d)", num(r.Escalation.Recall), r.Escalation.FN)
	})
	for i := range Methods {
		row(fmt.Sprintf("ranking R@1/R@3 %s", Methods[i]), func(r Report) string {
			if i >= len(r.Rankings) {
				return "-"
			}
			m := r.Rankings[i]
			return fmt.Sprintf("%.3f/%.3f", m.Recall1, m.Recall3)
		})
	}
	row("latency p50 / p95", func(r Report) string {
		return fmt.Sprintf("%s / %s", r.Latency.P50.Round(10_000), r.Latency.P95.Round(10_000))
	})
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nabstention trade-off (answer at confidence >= t): answered when answerable / declined when unanswerable")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "t\t")
	for _, r := range reps {
		fmt.Fprintf(tw, "%s\t", r.Name)
	}
	fmt.Fprintln(tw)
	for i, t := range tradeoffThresholds {
		fmt.Fprintf(tw, "%.1f\t", t)
		for _, r := range reps {
			if i < len(r.Tradeoff) {
				fmt.Fprintf(tw, "%.2f / %.2f\t", r.Tradeoff[i].AnswerRate, r.Tradeoff[i].Accuracy)
			}
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if !misses {
		return nil
	}
	for _, r := range reps {
		if len(r.Misses) == 0 {
			continue
		}
		fmt.Fprintf(w, "\nmisses in %s:\n", r.Name)
		for _, m := range r.Misses {
			fmt.Fprintf(w, "  %s  %s\n      %s", m.ID, m.Question, m.Problem)
			if len(m.Got) > 0 {
				fmt.Fprintf(w, "; cited %s", strings.Join(m.Got, ", "))
			}
			fmt.Fprintln(w)
		}
	}
	return nil
}
