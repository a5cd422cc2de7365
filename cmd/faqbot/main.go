// Command faqbot answers questions about the Customer Insights - Journeys
// transition from its FAQ, on the command line, over HTTP, in Slack and in
// Microsoft Teams.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: faqbot <command> [flags] [args]

commands:
  ask [--json] QUESTION   answer one question
  ask [--json] -          answer one question per line of standard input
  eval [--json] FILE.tsv  score a labelled question file
  index                   build or refresh the index in the data directory
  serve                   run the server until SIGINT/SIGTERM
  report [--since 7d] [--json]
                          print the support statistics from the records
  forget --asker ID       delete one person's recorded questions, answers and feedback
  healthcheck [--ready]   probe a running server's /healthz (or /readyz); for containers
  teams-app --out FILE.zip
                          build the Teams app package for the Bot Framework bot

flags for every command:
  --corpus PATH_OR_URL    corpus to serve (overrides FAQBOT_CORPUS)
  --data-dir DIR          where indexes and records persist (overrides FAQBOT_DATA_DIR)
`

// Exit statuses, as docs/INTERFACE.md defines them.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// streams are a command's standard input and outputs.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

// run executes one command line and returns its exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	std := streams{in: stdin, out: stdout, err: stderr}
	switch {
	case len(args) == 0:
		// No command is a usage error: the usage goes where errors go.
		fmt.Fprint(stderr, usage)
		return exitUsage
	case args[0] == "-h" || args[0] == "--help" || args[0] == "help":
		// Asked for, help is output.
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "ask":
		err = runAsk(ctx, rest, std, getenv)
	case "eval":
		err = runEval(ctx, rest, std, getenv)
	case "index":
		err = runIndex(ctx, rest, std, getenv)
	case "serve":
		err = runServe(ctx, rest, std, getenv)
	case "report":
		err = runReport(ctx, rest, std, getenv)
	case "forget":
		err = runForget(ctx, rest, std, getenv)
	case "healthcheck":
		err = runHealthcheck(ctx, rest, std, getenv)
	case "teams-app":
		err = runTeamsApp(ctx, rest, std, getenv)
	default:
		err = &usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
	return report(err, std)
}

// usageError is a bad command line; it exits with status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// helpRequest is -h or --help after a command: its usage goes to standard
// output and the command succeeds.
type helpRequest struct{ fs *flag.FlagSet }

func (h *helpRequest) Error() string { return h.fs.Name() + ": help requested" }

func report(err error, std streams) int {
	if err == nil {
		return exitOK
	}
	if h, ok := errors.AsType[*helpRequest](err); ok {
		fmt.Fprint(std.out, usage)
		fmt.Fprintf(std.out, "\nflags of %s:\n", h.fs.Name())
		h.fs.SetOutput(std.out)
		h.fs.PrintDefaults()
		return exitOK
	}
	fmt.Fprintln(std.err, "faqbot:", err)
	var ue *usageError
	var ce *configError
	switch {
	case errors.As(err, &ue):
		fmt.Fprint(std.err, usage)
		return exitUsage
	case errors.As(err, &ce):
		return exitUsage
	}
	return exitFailure
}

// commonFlags are the flags every command accepts.
type commonFlags struct {
	corpus, dataDir string
}

func newFlagSet(name string, common *commonFlags) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&common.corpus, "corpus", "", "corpus file, folder or URL")
	fs.StringVar(&common.dataDir, "data-dir", "", "data directory")
	return fs
}

// configure parses a command's flags and reads the configuration from the
// environment and .env, with the common flags' overrides. It returns the
// positional arguments for the command to check.
func configure(fs *flag.FlagSet, common *commonFlags, args []string, getenv func(string) string) (config, []string, error) {
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return config{}, nil, err
	}
	env, err := environment(getenv)
	if err != nil {
		return config{}, nil, err
	}
	cfg, err := loadConfig(env, common.corpus, common.dataDir)
	return cfg, pos, err
}

// parseInterleaved parses flags that may come before or after positional
// arguments ("ask 'question' --json" as well as "ask --json 'question'").
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &helpRequest{fs}
			}
			return nil, &usageError{fmt.Sprintf("%s: %v", fs.Name(), err)}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}
