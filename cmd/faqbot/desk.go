package main

import (
	"log/slog"
	"net/http"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/web"
	"github.com/faqbot/faqbot/internal/metrics"
	"github.com/faqbot/faqbot/retrieval"
	"github.com/faqbot/faqbot/store"
)

// supportLoop is what support leads work with: the statistics with the
// coverage gaps (grouped by the retrieval embedder), and the desk that
// resolves escalations, tells askers and reminds the team. Transports
// register with the desk as they are mounted.
func supportLoop(a *app, st *store.Store) (*bot.GapReports, *bot.Desk) {
	reports := gapReports(st, a.embedder, a.log)
	desk := bot.NewDesk(st, bot.DeskOptions{RemindAfter: a.cfg.EscalationRemind, Logger: a.log})
	return reports, desk
}

// gapReports adds the coverage gaps to the store's statistics; when they
// cannot be grouped the rest still comes, and the log says why.
func gapReports(st *store.Store, emb retrieval.Embedder, log *slog.Logger) *bot.GapReports {
	return bot.NewGapReports(st, st, emb, func(err error) {
		log.Warn("coverage gaps left out of the statistics", "err", err)
	})
}

// reportEmbedder is the embedder the configuration names, for `faqbot
// report`, which groups gaps as the server does without building an index.
func reportEmbedder(cfg config, log *slog.Logger) retrieval.Embedder {
	if cfg.Embeddings == "openai" {
		return retrieval.NewOpenAIEmbedder(newOpenAIClient(cfg, log, metrics.New()), cfg.EmbeddingModel, 0)
	}
	return retrieval.NewLocalEmbedder(0)
}

// mountDashboard serves GET /admin and the JSON and CSV reports, when
// FAQBOT_ADMIN_TOKEN is set.
func (s *server) mountDashboard(mux *http.ServeMux) error {
	cfg := s.app.cfg
	opts := web.DashboardOptions{
		Token: cfg.AdminToken, Reports: s.reports, Escalations: s.store, Resolver: s.desk,
		DeflectionWindow: cfg.DeflectionWindow, Logger: s.log,
	}
	if s.app.writer != nil {
		opts.Writer = s.app.writer
	}
	dash, err := web.NewDashboard(opts)
	if err != nil {
		return err
	}
	dash.Register(mux)
	web.NewReports(cfg.AdminToken, s.reports, nil, s.log).AcceptSessions(dash).Register(mux)
	return nil
}
