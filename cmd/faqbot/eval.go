package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/faqbot/faqbot/eval"
)

// defaultEvalSets are scored when `faqbot eval` names no file: the labelled
// sets in the repository and, beside a checkout, the shared dev set.
var defaultEvalSets = []string{"../shared/eval/dev-questions.tsv", "eval/testdata/*.tsv"}

func runEval(ctx context.Context, args []string, std streams, getenv func(string) string) error {
	var common commonFlags
	fs := newFlagSet("eval", &common)
	asJSON := fs.Bool("json", false, "print the reports as JSON")
	misses := fs.Bool("misses", false, "list the questions each file got wrong")
	cfg, files, err := configure(fs, &common, args, getenv)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		if files = existing(defaultEvalSets); len(files) == 0 {
			return &usageError{"eval: want FILE.tsv (no default question files here)"}
		}
	}
	sets := make([][]eval.Case, len(files))
	for i, name := range files {
		if sets[i], err = readCases(name); err != nil {
			return err
		}
	}
	a, err := cliApp(ctx, cfg, std, appOptions{})
	if err != nil {
		return err
	}
	reps := make([]eval.Report, len(files))
	for i, name := range files {
		if reps[i], err = eval.Run(ctx, a.bot, reportName(name), sets[i]); err != nil {
			return fmt.Errorf("eval %s: %w", name, err)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(std.out)
		enc.SetIndent("", "  ")
		if len(reps) == 1 {
			return enc.Encode(reps[0])
		}
		return enc.Encode(reps)
	}
	return eval.WriteText(std.out, reps, *misses)
}

func readCases(name string) ([]eval.Case, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, &configError{name: name, msg: err.Error()}
	}
	defer f.Close()
	cases, err := eval.ReadCases(f, name)
	if err != nil {
		return nil, &configError{name: name, msg: err.Error()}
	}
	return cases, nil
}

// existing expands patterns to the files that exist, in order.
func existing(patterns []string) []string {
	var out []string
	for _, p := range patterns {
		matches, _ := filepath.Glob(p)
		out = append(out, matches...)
	}
	return out
}

// reportName is a file's name without folder and extension, as a column
// heading.
func reportName(path string) string {
	base := filepath.Base(path)
	return base[:len(base)-len(filepath.Ext(base))]
}
