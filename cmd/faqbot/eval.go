package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/faqbot/faqbot/eval"
)

func runEval(ctx context.Context, args []string, std streams, getenv func(string) string) error {
	var common commonFlags
	fs := newFlagSet("eval", &common)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	cfg, pos, err := configure(fs, &common, args, getenv)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &usageError{"eval: want one FILE.tsv"}
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return &configError{name: pos[0], msg: err.Error()}
	}
	defer f.Close()
	cases, err := eval.ReadCases(f, pos[0])
	if err != nil {
		return &configError{name: pos[0], msg: err.Error()}
	}
	a, err := cliApp(ctx, cfg, std, appOptions{})
	if err != nil {
		return err
	}
	rep, err := eval.Run(ctx, a.bot, cases)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(std.out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return rep.WriteText(std.out)
}
