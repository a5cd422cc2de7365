package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/llm"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/internal/metrics"
	"github.com/faqbot/faqbot/internal/retry"
	"github.com/faqbot/faqbot/retrieval"
)

// app is faqbot wired from its configuration.
type app struct {
	cfg       config
	log       *slog.Logger
	llm       *openai.Client // nil when no model is configured
	writer    *llm.Writer    // nil when no model is configured
	embedder  retrieval.Embedder
	cache     *retrieval.Cache
	store     *retrieval.Store
	questions *llm.QuestionWriter // writes what sections answer; nil offline
	bot       *bot.Bot
	refresher *bot.IndexRefresher

	metrics *metrics.Metrics
	// asker and refresh are the bot and the refresher, counted in metrics:
	// what transports and admin commands use.
	asker   bot.Asker
	refresh bot.Refresher
}

// appOptions say what a command needs persisted.
type appOptions struct {
	// manifest remembers the indexed corpus in the data dir so that the next
	// index or refresh can report what changed. Such commands (index,
	// serve) also have the model write the questions sections answer; the
	// others only read what those wrote.
	manifest bool
}

func newApp(cfg config, log *slog.Logger, opts appOptions) (*app, error) {
	a := &app{cfg: cfg, log: log, metrics: metrics.New()}
	if cfg.llmConfigured() {
		a.llm = newOpenAIClient(cfg, log, a.metrics)
	}
	cache := retrieval.NewMemoryCache()
	if cfg.Embeddings == "openai" {
		a.embedder = retrieval.NewOpenAIEmbedder(a.llm, cfg.EmbeddingModel, 0)
		// API embeddings cost money and time: keep them across runs.
		var err error
		cache, err = retrieval.OpenCache(filepath.Join(cfg.DataDir, "embeddings", fileSafe(a.embedder.Name())+".gob"))
		if err != nil {
			return nil, bad("FAQBOT_DATA_DIR", "%v", err)
		}
	} else {
		a.embedder = retrieval.NewLocalEmbedder(0)
	}
	doc, answered, unanswered := corpus.DefaultQuestions()
	shipped, err := retrieval.ParseShippedQuestions(doc, answered, unanswered)
	if err != nil {
		return nil, fmt.Errorf("read the embedded FAQ's questions: %w", err)
	}
	a.cache = cache
	var questions retrieval.QuestionSource = shipped
	if a.llm != nil {
		if a.questions, err = newQuestionWriter(cfg, log, a.metrics, !opts.manifest); err != nil {
			return nil, err
		}
		questions = retrieval.ChainQuestions(shipped, a.questions)
	}
	storeOpts := retrieval.StoreOptions{Cache: cache, Logger: log, Questions: questions}
	if opts.manifest {
		storeOpts.ManifestPath = filepath.Join(cfg.DataDir, "index.json")
	}
	a.store = retrieval.NewStore(a.embedder, storeOpts)
	botOpts := bot.Options{Contact: cfg.Contact, Logger: log, OnModelFallback: a.metrics.ModelFallback, OnUngroundedSentences: a.metrics.UngroundedSentences}
	if a.llm != nil {
		a.writer = llm.New(a.llm, llm.Options{Model: cfg.ChatModel, Timeout: cfg.LLMTimeout})
		botOpts.Writer = a.writer
	}
	if a.bot, err = bot.New(a.store, botOpts); err != nil {
		return nil, err
	}
	a.refresher = &bot.IndexRefresher{
		Corpus: corpus.Loader{HTTPClient: &http.Client{Timeout: corpusFetchTimeout}},
		Fetch:  corpus.Loader{HTTPClient: cfg.RefreshHosts.Client(corpusFetchTimeout)},
		Index:  a.store,
		Source: cfg.Corpus,
	}
	a.asker = meteredAsker{next: a.bot, m: a.metrics}
	if cfg.PublicURL != "" {
		a.asker = bot.SnapshotLinks{Next: a.asker, Base: cfg.PublicURL}
	}
	a.refresh = meteredRefresher{next: a.refresher, m: a.metrics}
	if err := a.metrics.TrackCorpus(corpusInfo(a.corpus)); err != nil {
		return nil, fmt.Errorf("register corpus metrics: %w", err)
	}
	return a, nil
}

// corpusFetchTimeout bounds fetching a corpus page.
const corpusFetchTimeout = 30 * time.Second

// load indexes the configured corpus. A corpus that cannot be read is a
// configuration error.
func (a *app) load(ctx context.Context) (corpus.Changes, error) {
	changes, err := a.refresh.Refresh(ctx, "")
	if err != nil {
		return changes, bad(a.cfg.CorpusFrom, "%v", err)
	}
	return changes, nil
}

// corpus is the serving corpus, nil before the first load.
func (a *app) corpus() *corpus.Corpus {
	if ix := a.store.Current(); ix != nil {
		return ix.Corpus()
	}
	return nil
}

// newOpenAIClient builds the one go-openai client that embeddings and
// answers share: OpenAI, an OpenAI-compatible server, or Azure OpenAI, with
// retries on 429 and 5xx.
func newOpenAIClient(cfg config, log *slog.Logger, m *metrics.Metrics) *openai.Client {
	return openai.NewClientWithConfig(openAIConfig(cfg, log, m, 0))
}

// openAIConfig is the configuration of newOpenAIClient; maxReply > 0
// bounds the size of each response.
func openAIConfig(cfg config, log *slog.Logger, m *metrics.Metrics, maxReply int64) openai.ClientConfig {
	var oc openai.ClientConfig
	if cfg.AzureEndpoint != "" {
		oc = openai.DefaultAzureConfig(cfg.AzureKey, cfg.AzureEndpoint)
		oc.APIVersion = cfg.AzureVersion
	} else {
		oc = openai.DefaultConfig(cfg.OpenAIKey)
		if cfg.OpenAIBaseURL != "" {
			oc.BaseURL = cfg.OpenAIBaseURL
		}
	}
	var rt http.RoundTripper = &retry.Transport{
		OnRetry: func(req *http.Request, attempt, status int, err error, wait time.Duration) {
			log.Warn("retrying model API call", "path", req.URL.Path, "attempt", attempt, "status", status, "err", err, "wait", wait)
		},
	}
	if maxReply > 0 {
		rt = llm.LimitReplies(rt, maxReply)
	}
	// Metrics sit outside the retries: one call, however many attempts.
	oc.HTTPClient = &http.Client{Transport: metrics.ModelTransport(rt, m)}
	return oc
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func fileSafe(s string) string { return unsafeChars.ReplaceAllString(s, "_") }
