package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/internal/httpserver"
)

func runAsk(ctx context.Context, args []string, std streams, getenv func(string) string) error {
	var common commonFlags
	fs := newFlagSet("ask", &common)
	asJSON := fs.Bool("json", false, "print the answer object as JSON")
	cfg, pos, err := configure(fs, &common, args, getenv)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return &usageError{"ask: want a QUESTION, or - to read questions from standard input"}
	}
	question := strings.Join(pos, " ")
	if strings.TrimSpace(question) == "" {
		return &usageError{"ask: the question is empty; want a QUESTION, or - to read questions from standard input"}
	}
	a, err := cliApp(ctx, cfg, std, appOptions{})
	if err != nil {
		return err
	}
	print := printText
	if *asJSON {
		print = printJSON
	}
	if question != "-" {
		ans, err := a.bot.Ask(ctx, bot.Question{Text: question, Transport: "cli"})
		if err != nil {
			return err
		}
		return print(std.out, ans)
	}
	// One question per line, answers in input order; output is buffered so
	// a thousand answers are not a thousand writes.
	out := bufio.NewWriter(std.out)
	defer out.Flush()
	sc := bufio.NewScanner(std.in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			if !*asJSON {
				continue
			}
			// Output line n stays the answer to input line n: a blank line
			// gets the error POST /api/ask gives an empty question.
			if err := json.NewEncoder(out).Encode(httpserver.ErrorBody{Error: emptyQuestion}); err != nil {
				return err
			}
			continue
		}
		ans, err := a.bot.Ask(ctx, bot.Question{Text: line, Transport: "cli"})
		if err != nil {
			return err
		}
		if err := print(out, ans); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read questions: %w", err)
	}
	return nil
}

// emptyQuestion is the error for a blank line of `ask --json -`.
const emptyQuestion = "question is empty"

// cliApp wires and loads faqbot for a one-shot command; logs go to stderr
// and only warnings and errors show.
func cliApp(ctx context.Context, cfg config, std streams, opts appOptions) (*app, error) {
	a, err := newApp(cfg, cliLogger(std, cfg), opts)
	if err != nil {
		return nil, err
	}
	if _, err := a.load(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

func printJSON(w io.Writer, a bot.Answer) error {
	return json.NewEncoder(w).Encode(a)
}

// printText shows an answer for a terminal: the text, then the numbered
// sources with their URLs.
func printText(w io.Writer, a bot.Answer) error {
	var b strings.Builder
	b.WriteString(a.Text)
	b.WriteString("\n")
	if len(a.Citations) > 0 {
		b.WriteString("\n" + bot.CitationsHeading(a) + ":\n")
		for i, c := range a.Citations {
			fmt.Fprintf(&b, "  [%d] %s\n      %s\n", i+1, c.Title, c.URL)
		}
	}
	if a.Escalate {
		fmt.Fprintf(&b, "\nEscalate: yes (%s)\n", a.EscalationReason)
	}
	fmt.Fprintf(&b, "\n(%s answer, corpus %s)\n\n", a.Mode, a.CorpusVersion)
	_, err := io.WriteString(w, b.String())
	return err
}

func cliLogger(std streams, cfg config) *slog.Logger {
	return slog.New(slog.NewTextHandler(std.err, &slog.HandlerOptions{Level: max(cfg.LogLevel, slog.LevelWarn)}))
}
