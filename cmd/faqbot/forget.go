package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// runForget deletes everything recorded about one person: the questions
// they asked (with the answers and the feedback on them), the feedback
// they gave and their escalations.
func runForget(ctx context.Context, args []string, std streams, getenv func(string) string) error {
	var common commonFlags
	fs := newFlagSet("forget", &common)
	asker := fs.String("asker", "", "the person's platform user ID (Slack U…, Teams Entra object ID)")
	cfg, pos, err := configure(fs, &common, args, getenv)
	if err != nil {
		return err
	}
	if len(pos) != 0 || strings.TrimSpace(*asker) == "" {
		return &usageError{"forget: want --asker ID"}
	}
	st, err := openStore(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer st.Close()
	f, err := st.Forget(ctx, strings.TrimSpace(*asker))
	if err != nil {
		return err
	}
	fmt.Fprintf(std.out, "forgot %s: %d questions, %d feedback clicks, %d escalations\n", strings.TrimSpace(*asker), f.Exchanges, f.Feedback, f.Escalations)
	return nil
}
