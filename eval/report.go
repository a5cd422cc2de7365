package eval

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText prints the report for people: the metrics, then the misses.
func (r Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "questions\t%d\n\n", r.Questions)
	fmt.Fprintf(tw, "ranking\tn\tRecall@1\tRecall@3\tMRR\n")
	for _, m := range r.Rankings {
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\n", m.Method, m.N, m.Recall1, m.Recall3, m.MRR)
	}
	e := r.Escalation
	fmt.Fprintf(tw, "\nescalation\tn=%d\tprecision %.3f\trecall %.3f\t(tp %d, fp %d, fn %d)\n", e.N, e.Precision, e.Recall, e.TP, e.FP, e.FN)
	a := r.Abstention
	fmt.Fprintf(tw, "abstention\tn=%d\taccuracy %.3f\t\t(%d of %d answerable declined)\n", a.N, a.Accuracy, a.FalseAbstentions, a.AnswerableN)
	l := r.Latency
	fmt.Fprintf(tw, "latency\tp50 %s\tp95 %s\tmax %s\n", l.P50, l.P95, l.Max)
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Misses) > 0 {
		fmt.Fprintf(w, "\nmisses (fused ranking and policy):\n")
		for _, m := range r.Misses {
			fmt.Fprintf(w, "  %s  %s\n      %s", m.ID, m.Question, m.Problem)
			if len(m.Got) > 0 {
				fmt.Fprintf(w, "; got %s", strings.Join(m.Got, ", "))
			}
			fmt.Fprintln(w)
		}
	}
	return nil
}
