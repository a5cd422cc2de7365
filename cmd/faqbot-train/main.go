// Command faqbot-train fits the bot's small learned models on labelled
// question files and writes them where the bot embeds them. `go generate
// ./bot` runs it on the tuning part of eval/testdata; the calibration part
// is left for choosing thresholds and measuring.
//
//	faqbot-train [-dump] -answerability bot/answerability.json FILE.tsv...
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/eval"
	"github.com/faqbot/faqbot/internal/logreg"
	"github.com/faqbot/faqbot/retrieval"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "faqbot-train:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("faqbot-train", flag.ContinueOnError)
	answerPath := fs.String("answerability", "", "write the answerability model to this file")
	rankPath := fs.String("rerank", "", "write the rerank model to this file")
	dump := fs.Bool("dump", false, "print every question's signals and label instead of training")
	dumpRank := fs.Bool("dump-rank", false, "print every candidate section's rank signals and label instead of training")
	l2 := fs.Float64("l2", defaultL2, "regularisation strength of both models")
	ablation := fs.Bool("ablate", false, "instead of training, report the answerability model's held-out log loss without each feature in turn")
	cv := fs.Bool("cv", false, "instead of training, report leave-one-writer-out log loss for a range of -l2 values")
	escPath := fs.String("escalation", "", "write the escalation model to this file (and train nothing else)")
	cvEsc := fs.Bool("cv-escalation", false, "instead of training, report leave-one-writer-out precision and recall of the escalation rules and model")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("want labelled question files")
	}
	// The escalation model reads only the question's words and the rules'
	// verdict: no index needed.
	switch {
	case *cvEsc:
		return crossValidateEscalation(out, fs.Args())
	case *escPath != "":
		return trainEscalation(out, *escPath, fs.Args())
	}
	b, err := offlineBot(ctx)
	if err != nil {
		return err
	}
	var xs, rxs [][]float64
	var ys, rys []bool
	var groups, rgroups []string // each row's writer, for -cv
	for _, name := range fs.Args() {
		cases, err := readCases(name)
		if err != nil {
			return err
		}
		for _, c := range cases {
			if c.Answerable == eval.Any {
				continue
			}
			r, err := b.Retrieve(ctx, bot.Question{Text: c.Question}, retrieval.Fused)
			if err != nil {
				return fmt.Errorf("%s %s: %w", name, c.ID, err)
			}
			if c.Answerable == eval.Yes && len(c.Expected) > 0 {
				for i := range min(bot.RerankDepth, len(r.Ranking.Results)) {
					x := bot.RankSignals(r.Ranking, i)
					y := slices.Contains(c.Expected, r.Ranking.Results[i].Section.Anchor)
					if *dumpRank {
						fmt.Fprintf(out, "%s\t%v\t%s\n", c.ID, y, floats(x))
					}
					rxs, rys, rgroups = append(rxs, x), append(rys, y), append(rgroups, writer(c.ID))
				}
			}
			x := bot.AnswerSignals(r)
			if x == nil {
				continue
			}
			if *dump {
				fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", c.ID, c.Answerable, floats(x), c.Question)
			}
			xs, groups = append(xs, x), append(groups, writer(c.ID))
			ys = append(ys, c.Answerable == eval.Yes)
		}
	}
	if *dump || *dumpRank {
		return nil
	}
	if *ablation {
		ablate(out, bot.AnswerFeatures, xs, ys, groups, *l2)
		return nil
	}
	if *cv {
		crossValidate(out, "rerank", bot.RankFeatures, rxs, rys, rgroups)
		crossValidate(out, "answerability", bot.AnswerFeatures, xs, ys, groups)
		return nil
	}
	if err := fit(out, *rankPath, "rerank", bot.RankFeatures, rxs, rys, *l2); err != nil {
		return err
	}
	return fit(out, *answerPath, "answerability", bot.AnswerFeatures, xs, ys, *l2)
}

// fit trains a model on rows and writes it to path ("" writes nothing).
func fit(out io.Writer, path, name string, features []string, xs [][]float64, ys []bool, l2 float64) error {
	if path == "" {
		return nil
	}
	m, err := logreg.Fit(features, xs, ys, logreg.Options{L2: l2})
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %d rows, weights %s, bias %.3f\n", name, len(xs), floats(m.Weights), m.Bias)
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// offlineBot is the bot as `faqbot ask` runs it without keys: the embedded
// FAQ with its questions, local embeddings, extractive answers.
func offlineBot(ctx context.Context) (*bot.Bot, error) {
	c, err := corpus.Default()
	if err != nil {
		return nil, err
	}
	doc, answered, unanswered := corpus.DefaultQuestions()
	qs, err := retrieval.ParseShippedQuestions(doc, answered, unanswered)
	if err != nil {
		return nil, err
	}
	store := retrieval.NewStore(retrieval.NewLocalEmbedder(0), retrieval.StoreOptions{Questions: qs})
	if _, err := store.Load(ctx, c); err != nil {
		return nil, err
	}
	return bot.New(store, bot.Options{})
}

func readCases(name string) ([]eval.Case, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return eval.ReadCases(f, name)
}

func floats(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.3f", x)
	}
	return strings.Join(parts, "\t")
}
