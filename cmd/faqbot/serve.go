package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/web"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/internal/httpserver"
	"github.com/faqbot/faqbot/internal/linkcheck"
	"github.com/faqbot/faqbot/internal/redact"
	"github.com/faqbot/faqbot/store"
)

// shutdownTimeout bounds a graceful shutdown: in-flight answers, background
// work and shutdown hooks together. It stays under the 30 s that Kubernetes
// waits before SIGKILL (raise Docker's 10 s with --stop-timeout 30).
const shutdownTimeout = 25 * time.Second

// maxRequestBytes caps every request body; handlers set tighter limits.
const maxRequestBytes = 1 << 20

func runServe(ctx context.Context, args []string, std streams, getenv func(string) string) error {
	var common commonFlags
	fs := newFlagSet("serve", &common)
	cfg, pos, err := configure(fs, &common, args, getenv)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return &usageError{"serve: takes no arguments (configure it with environment variables)"}
	}
	log := serverLogger(std.err, cfg.LogLevel)
	a, err := newApp(cfg, log, appOptions{manifest: true})
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		st.Close()
		return bad("FAQBOT_ADDR", "%v", err)
	}
	return newServer(a, st).serve(ctx, ln)
}

// server is `faqbot serve`: the app behind HTTP, plus what a graceful
// shutdown must wait for.
type server struct {
	app *app
	log *slog.Logger
	// store keeps the records: answers, feedback, escalations, claims.
	store *store.Store
	// asker is the app's, recording every answer in the store.
	asker bot.Asker
	// reports are the store's statistics with the coverage gaps; desk
	// resolves escalations and does what is owed after (desk.go).
	reports *bot.GapReports
	desk    *bot.Desk
	// bg runs work that outlives a request or runs beside the server
	// (Socket Mode); shutdown waits for it.
	bg *httpserver.Background
	// closers run at shutdown once requests and background work are done,
	// the last registered first: flush records, close clients.
	closers []func(context.Context) error
	grace   time.Duration
	// stopping makes /readyz fail while the server drains.
	stopping atomic.Bool
	// sharedCorpus keeps replicas on one corpus (PostgreSQL only; nil on
	// SQLite).
	sharedCorpus *bot.SharedRefresher
	// slackEscalations is the Slack escalation channel, recorded and
	// counted, when one is configured: where the web chat's "Ask a
	// person" goes first.
	slackEscalations bot.Escalator
}

// newServer serves a with its records in st, which the server closes
// when it stops.
func newServer(a *app, st *store.Store) *server {
	s := &server{
		app:   a,
		log:   a.log,
		store: st,
		asker: recordingAsker{next: a.asker, rec: st, log: a.log},
		bg:    httpserver.NewBackground(a.log),
		grace: shutdownTimeout,
	}
	s.reports, s.desk = supportLoop(a, st)
	// Registered first, so it runs last: everything else may still write.
	s.onShutdown(func(context.Context) error {
		if err := st.Close(); err != nil {
			return fmt.Errorf("close store: %w", err)
		}
		return nil
	})
	return s
}

// onShutdown registers fn to run during a graceful shutdown, after in-flight
// requests and background work have finished. fn gets the rest of the
// shutdown budget.
func (s *server) onShutdown(fn func(context.Context) error) {
	s.closers = append(s.closers, fn)
}

// serve answers on ln until ctx ends, then shuts down gracefully. The
// listener serves from the start, /readyz says 503 until the first index
// is built, so orchestrators see a live process during a slow first build.
func (s *server) serve(ctx context.Context, ln net.Listener) error {
	err := s.replicate()
	var h http.Handler
	if err == nil {
		h, err = s.routes(ctx)
	}
	if err != nil {
		ln.Close()
		s.store.Close()
		return err
	}
	// Requests do not inherit ctx's cancellation: a signal must let
	// in-flight answers finish. base is cancelled only once draining ends,
	// and with it the server's own background work.
	base, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	work, stopWork := context.WithCancel(ctx)
	defer stopWork()
	cancelRequests := func() { cancelBase(); stopWork() }
	srv := httpserver.New(h, httpserver.Config{
		WriteTimeout: max(httpserver.DefaultWriteTimeout, 2*s.app.cfg.LLMTimeout+15*time.Second),
		BaseContext:  base,
		Logger:       s.log,
	})
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	s.log.Info("listening", "addr", ln.Addr().String())
	// Retention: prune now, then every few minutes, until shutdown.
	s.bg.Go(func(context.Context) { s.store.RunPruner(work, store.DefaultPruneEvery) })
	// Escalations: tell askers what failed to reach them, remind of open ones.
	s.bg.Go(func(context.Context) { s.desk.Run(work, bot.DefaultFollowupEvery) })

	if err := s.loadFirst(ctx); err != nil {
		s.shutdown(srv, cancelRequests)
		return err
	}
	if s.sharedCorpus != nil {
		s.bg.Go(func(context.Context) { s.sharedCorpus.Follow(work) })
	}
	select {
	case <-ctx.Done():
		s.log.Info("shutting down", "grace", s.grace.String())
	case err := <-served:
		s.shutdown(srv, cancelRequests)
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	return s.shutdown(srv, cancelRequests)
}

// loadFirst builds the first index and logs what is on. A corpus that
// cannot be loaded is a configuration error; a signal during the build is
// a normal stop.
func (s *server) loadFirst(ctx context.Context) error {
	start := time.Now()
	var changes corpus.Changes
	var err error
	if s.sharedCorpus != nil {
		changes, err = s.sharedCorpus.Start(ctx)
		s.app.metrics.Refresh(err)
		if err != nil {
			err = bad(s.app.cfg.CorpusFrom, "%v", err)
		}
	} else {
		changes, err = s.app.load(ctx)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	s.log.Info("faqbot ready", s.parts(changes, time.Since(start))...)
	return nil
}

// shutdown stops accepting, lets in-flight requests finish, waits for
// background work and runs the closers, all within s.grace.
func (s *server) shutdown(srv *http.Server, cancelRequests context.CancelFunc) error {
	s.stopping.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), s.grace)
	defer cancel()
	var errs []error
	if err := srv.Shutdown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("drain requests: %w", err))
		srv.Close()
	}
	cancelRequests()
	if err := s.bg.Wait(ctx); err != nil {
		errs = append(errs, fmt.Errorf("drain background work: %w", err))
	}
	for i := len(s.closers) - 1; i >= 0; i-- {
		if err := s.closers[i](ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		s.log.Error("shutdown was not clean", "err", err)
		return fmt.Errorf("shutdown: %w", err)
	}
	s.log.Info("stopped")
	return nil
}

// routes mounts every endpoint the configuration enables.
func (s *server) routes(ctx context.Context) (http.Handler, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.app.metrics.Handler())
	web.NewSnapshots(s.app.corpus, s.log).Register(mux)
	web.NewAdmin(s.app.cfg.AdminToken, s.app.refresh, s.servingVersion, s.log).Register(mux)
	if err := s.mountDashboard(mux); err != nil {
		return nil, err
	}
	web.NewLinkReport(s.app.cfg.AdminToken, filepath.Join(s.app.cfg.DataDir, linkcheck.FileName), s.log).Register(mux)
	if err := s.mountAdapters(ctx, mux); err != nil {
		return nil, err
	}
	// After the adapters: the chat hands questions to their escalation
	// channels.
	chatOpts, err := s.chatOptions()
	if err != nil {
		return nil, err
	}
	web.NewChat(s.asker, chatOpts).Register(mux)
	return httpserver.Chain(mux,
		httpserver.LogRequests(s.log, httpserver.LogOptions{Quiet: isProbe, Observe: s.app.metrics.HTTPRequest}),
		httpserver.Recover(s.log),
		httpserver.LimitBody(maxRequestBytes),
	), nil
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	httpserver.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	switch v := s.servingVersion(); {
	case s.stopping.Load():
		httpserver.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "shutting down"})
	case v == "":
		httpserver.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "loading the index"})
	case s.corpusLag(w): // it answered: this replica serves an older corpus than the others
	default:
		httpserver.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready", "corpus_version": v})
	}
}

// servingVersion is the corpus version answers come from, "" before the
// first index.
func (s *server) servingVersion() string {
	if c := s.app.corpus(); c != nil {
		return c.Version
	}
	return ""
}

// isProbe marks requests that orchestrators and scrapers repeat all day;
// their request logs go to debug level.
func isProbe(r *http.Request) bool {
	switch r.URL.Path {
	case "/healthz", "/readyz", "/metrics":
		return true
	}
	return false
}

// parts says which parts of faqbot are on, for the start-up log line. It
// names features and models, never tokens, secrets or webhook URLs.
func (s *server) parts(changes corpus.Changes, took time.Duration) []any {
	cfg := s.app.cfg
	slackMode := "off"
	switch {
	case cfg.SlackBotToken != "" && cfg.SlackAppToken != "":
		slackMode = "socket mode"
	case cfg.SlackBotToken != "":
		slackMode = "events over HTTP"
	}
	var teamsParts []string
	if cfg.MicrosoftAppID != "" {
		teamsParts = append(teamsParts, "bot")
	}
	if len(cfg.TeamsWebhookSecret) > 0 {
		teamsParts = append(teamsParts, "outgoing webhook")
	}
	teams := "off"
	if len(teamsParts) > 0 {
		teams = strings.Join(teamsParts, " + ")
	}
	var escalations []string
	if cfg.SlackBotToken != "" && cfg.SlackEscalationChannel != "" {
		escalations = append(escalations, "slack channel "+cfg.SlackEscalationChannel)
	}
	if cfg.MicrosoftAppID != "" && cfg.TeamsEscalationConversation != "" {
		escalations = append(escalations, "teams channel "+cfg.TeamsEscalationConversation)
	}
	if cfg.TeamsEscalationURL != "" {
		escalations = append(escalations, "teams workflow")
	}
	answers := "offline (extractive)"
	if s.app.llm != nil {
		answers = "model " + cfg.ChatModel + " at " + endpointHost(cfg)
	}
	admin := "off"
	if cfg.AdminToken != "" {
		admin = "on"
	}
	records := s.store.Backend()
	if cfg.DatabaseURL == "" {
		records += " " + filepath.Join(cfg.DataDir, databaseFile)
	}
	attrs := []any{
		"replica", cfg.Replica,
		"slack", slackMode,
		"teams", teams,
		"escalations", orNone(strings.Join(escalations, ", ")),
		"answers", answers,
		"embeddings", s.app.embedder.Name(),
		"admin_refresh", admin,
		"records", records,
		"asker_ids", string(cfg.AskerIDs),
		"retention", cfg.Retention.String(),
	}
	if c := s.app.corpus(); c != nil {
		attrs = append(attrs,
			"corpus_version", c.Version,
			"corpus_source", redact.URL(c.Source),
			"sections", len(c.Sections()),
		)
	}
	if s.sharedCorpus != nil {
		attrs = append(attrs, "corpus_revision", s.sharedCorpus.Status().Loaded)
	}
	return append(attrs, "changes", changes.Summary(), "index_build", took.Round(time.Millisecond).String())
}

// endpointHost names the model server without its path or credentials.
func endpointHost(cfg config) string {
	switch {
	case cfg.AzureEndpoint != "":
		return "azure " + redact.URL(cfg.AzureEndpoint)
	case cfg.OpenAIBaseURL != "":
		return redact.URL(cfg.OpenAIBaseURL)
	}
	return "api.openai.com"
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// serverLogger writes JSON lines for log collectors, or text when a person
// watches a terminal.
func serverLogger(w io.Writer, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if isTerminal(w) {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
