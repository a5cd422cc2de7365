package main

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/internal/httpserver"
	"github.com/faqbot/faqbot/store"
)

// Several replicas of `faqbot serve` on one PostgreSQL database share
// their delivery claims, escalations, feedback, corpus and embeddings
// through it. This file wires that; SQLite (one process) keeps the
// single-process behaviour.

// maxReplicaName bounds FAQBOT_REPLICA: it is a label value and a log
// field.
const maxReplicaName = 63

func (c *config) checkReplica(env func(string) string) error {
	c.Replica = strings.TrimSpace(env("FAQBOT_REPLICA"))
	if c.Replica == "" {
		host, err := os.Hostname()
		if err != nil || host == "" {
			host = "faqbot"
		}
		c.Replica = host
	}
	if len(c.Replica) > maxReplicaName || strings.IndexFunc(c.Replica, func(r rune) bool { return !unicode.IsPrint(r) || r == ' ' }) >= 0 {
		return bad("FAQBOT_REPLICA", "want a name of at most %d printable characters without spaces, such as faqbot-1", maxReplicaName)
	}
	c.CorpusLagGrace = bot.DefaultCorpusLagGrace
	if v := env("FAQBOT_CORPUS_LAG_GRACE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return bad("FAQBOT_CORPUS_LAG_GRACE", "%q is not a positive duration such as 30s", v)
		}
		c.CorpusLagGrace = d
	}
	return nil
}

// shared reports whether replicas may share the store: PostgreSQL.
func (s *server) shared() bool { return s.store.Backend() == store.Postgres }

// replicate makes a server on PostgreSQL share its corpus and embeddings
// with the other replicas, and names the replica in the metrics. It runs
// before routes are mounted, which take app.refresh.
func (s *server) replicate() error {
	a := s.app
	var revisions func() (int64, int64)
	if s.shared() {
		a.cache.Share(s.store, func(err error) {
			s.log.Warn("the shared embedding cache failed; embedding here", "err", err)
		})
		parser, ok := a.refresher.Corpus.(bot.SnapshotParser)
		if !ok {
			parser = corpus.Loader{}
		}
		s.sharedCorpus = &bot.SharedRefresher{
			Local: a.refresher, Index: a.store, Current: a.corpus, Parser: parser,
			Shared: s.store, Replica: a.cfg.Replica, LagGrace: a.cfg.CorpusLagGrace, Logger: s.log,
		}
		a.refresh = meteredRefresher{next: s.sharedCorpus, m: a.metrics}
		revisions = func() (int64, int64) {
			st := s.sharedCorpus.Status()
			return st.Loaded, st.Latest
		}
	}
	embeddings := func() (int64, int64) {
		st := a.store.CacheStats()
		return st.Computed, st.SharedHits
	}
	if err := a.metrics.TrackReplica(a.cfg.Replica, embeddings, revisions); err != nil {
		return err
	}
	return nil
}

// claims are the delivery claims the adapters take, in the store. On
// PostgreSQL, where replicas share them, a claim that cannot be checked
// fails closed: a delivery skipped is better than one answered by two
// replicas. On SQLite, one process, they fall back to memory while the
// store fails, so that an outage of the disk does not silence the bot.
func (s *server) claims() bot.Claims {
	if s.shared() {
		return s.store
	}
	return bot.FallbackClaims{Primary: s.store, Fallback: bot.NewMemoryClaims(0, 0, nil), OnError: func(err error) {
		s.log.Error("delivery claims fall back to memory: the store failed", "err", err)
	}}
}

// joinSocketMode registers this replica's Slack Socket Mode connection in
// the shared store until shutdown, and refuses to start one more replica
// than Slack allows connections: Slack would disconnect it, over and over.
// A store that cannot tell does not stop the start.
func (s *server) joinSocketMode(ctx context.Context) error {
	if !s.shared() {
		return nil
	}
	replica := s.app.cfg.Replica
	if err := s.store.JoinSocketMode(ctx, replica); err != nil {
		if errors.Is(err, store.ErrSocketModeFull) {
			return bad("SLACK_APP_TOKEN", "%d other replicas already hold Socket Mode connections for this Slack app, as many as Slack allows: "+
				"run at most %d replicas with SLACK_APP_TOKEN, or receive events over HTTP (SLACK_SIGNING_SECRET) behind a load balancer",
				store.SocketModeLimit, store.SocketModeLimit)
		}
		s.log.Warn("cannot count the replicas in Socket Mode; connecting anyway", "err", err)
		return nil
	}
	s.bg.Go(func(context.Context) { s.store.HoldSocketMode(ctx, replica) })
	return nil
}

// corpusLag answers /readyz for a replica whose corpus lags the
// database's past the grace period; false when it does not.
func (s *server) corpusLag(w http.ResponseWriter) bool {
	if s.sharedCorpus == nil {
		return false
	}
	st := s.sharedCorpus.Status()
	if !st.Lagging {
		return false
	}
	httpserver.WriteJSON(w, http.StatusServiceUnavailable, map[string]any{
		"status": "corpus lags the database", "corpus_version": s.servingVersion(),
		"corpus_revision": st.Loaded, "latest_revision": st.Latest, "behind": st.Behind.Round(1e9).String(),
	})
	return true
}
