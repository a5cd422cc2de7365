package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/faqbot/faqbot/bot"
	slackbot "github.com/faqbot/faqbot/bot/slack"
	"github.com/faqbot/faqbot/store"
)

// openStore opens the records (FAQBOT_DATABASE_URL, else SQLite in the
// data dir) and imports the JSON Lines files of earlier versions the first
// time. A database that cannot be opened is a configuration error naming
// its variable; the URL itself is never quoted, as it may hold a password.
func openStore(ctx context.Context, cfg config, log *slog.Logger) (*store.Store, error) {
	name := "FAQBOT_DATABASE_URL"
	if cfg.DatabaseURL == "" {
		name = "FAQBOT_DATA_DIR"
	}
	st, err := store.Open(ctx, cfg.storeURL(), store.Options{
		AskerIDs: cfg.AskerIDs, Retention: cfg.Retention, DeflectionWindow: cfg.DeflectionWindow, Logger: log,
	})
	if err != nil {
		return nil, bad(name, "%v", err)
	}
	if err := importLegacy(ctx, st, cfg.DataDir, log); err != nil {
		st.Close()
		return nil, bad("FAQBOT_DATA_DIR", "%v", err)
	}
	return st, nil
}

// importLegacy moves feedback.jsonl and escalations-failed.jsonl into the
// store, once: the import and its mark commit together, and the files are
// then renamed *.imported so that nobody mistakes them for live records.
// The mark names the files' content, so that replicas sharing a database
// each bring their own files.
func importLegacy(ctx context.Context, st *store.Store, dataDir string, log *slog.Logger) error {
	l, err := slackbot.ReadLegacy(dataDir)
	if err != nil {
		return fmt.Errorf("import earlier records: %w", err)
	}
	if len(l.Files) == 0 {
		return nil
	}
	sum := sha256.New()
	for _, f := range l.Files {
		data, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("import earlier records: %w", err)
		}
		sum.Write(data)
	}
	name := "slack-jsonl:" + hex.EncodeToString(sum.Sum(nil)[:16])
	done, err := st.Import(ctx, name, store.Legacy{Feedback: l.Feedback, Escalations: l.Escalations})
	if err != nil {
		return fmt.Errorf("import earlier records: %w", err)
	}
	if done {
		log.Info("imported earlier records into the store", "feedback", len(l.Feedback), "escalations", len(l.Escalations),
			"unreadable_lines", l.Skipped, "files", l.Files)
	} else {
		log.Warn("earlier records were imported before; setting the files aside again", "files", l.Files)
	}
	for _, f := range l.Files {
		if err := os.Rename(f, f+".imported"); err != nil {
			log.Warn("cannot rename an imported file", "file", f, "err", err)
		}
	}
	return nil
}

// recordingAsker records every answer next gives, on every transport it
// is given to, and stamps the answer with the record's ID so that feedback
// and "ask a human" can point at it. A record that cannot be written is
// logged; the asker still gets the answer.
type recordingAsker struct {
	next bot.Asker
	rec  bot.Recorder
	log  *slog.Logger
}

// recordTimeout bounds writing one record: an answer already waited for
// the bot.
const recordTimeout = 5 * time.Second

func (a recordingAsker) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	start := time.Now()
	ans, err := a.next.Ask(ctx, q)
	if err != nil {
		return ans, err
	}
	// The record outlives a caller that stopped waiting (Teams' deadline):
	// the answer was made, and its latency is worth seeing.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	id, err := a.rec.Record(rctx, bot.NewExchange(q, ans, start.UTC(), time.Since(start)))
	if err != nil {
		a.log.Error("cannot record an answer; answering anyway", "transport", q.Transport, "err", err)
		return ans, nil
	}
	ans.ID = id
	return ans, nil
}
