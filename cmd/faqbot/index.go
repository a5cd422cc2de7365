package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/faqbot/faqbot/internal/redact"
)

func runIndex(ctx context.Context, args []string, std streams, getenv func(string) string) error {
	var common commonFlags
	fs := newFlagSet("index", &common)
	checkLinks := fs.Bool("check-links", false, "follow each cited URL and report moved, missing or anchor-less pages")
	cfg, pos, err := configure(fs, &common, args, getenv)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return &usageError{"index: takes no arguments (use --corpus to choose the corpus)"}
	}
	a, err := newApp(cfg, cliLogger(std, cfg), appOptions{manifest: true})
	if err != nil {
		return err
	}
	changes, err := a.load(ctx)
	if err != nil {
		return err
	}
	ix := a.store.Current()
	st := a.store.CacheStats()
	fmt.Fprintln(std.out, changes.String())
	fmt.Fprintf(std.out, "indexed %d sections in %d passages from %s\n", len(ix.Corpus().Sections()), ix.Len(), redact.URL(ix.Corpus().Source))
	fmt.Fprintf(std.out, "embeddings %s: %d cached, %d embedded\n", a.embedder.Name(), st.Hits, st.Misses)
	if a.questions != nil {
		q := a.questions.Stats()
		fmt.Fprintf(std.out, "questions %s: %d sections cached, %d generated", a.cfg.ChatModel, q.Cached, q.Generated)
		if q.Failed+q.Skipped > 0 {
			fmt.Fprintf(std.out, ", %d failed, %d not asked (asked again at the next index or refresh)", q.Failed, q.Skipped)
		}
		fmt.Fprintln(std.out)
	}
	if err := ix.DenseErr(); err != nil {
		fmt.Fprintf(std.out, "warning: index is lexical-only: %v\n", err)
	}
	if *checkLinks {
		return reportLinks(ctx, std.out, cfg.DataDir, ix.Corpus(), &http.Client{Timeout: linkTimeout})
	}
	return nil
}
