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
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/internal/retry"
	"github.com/faqbot/faqbot/retrieval"
)

// app is faqbot wired from its configuration.
type app struct {
	cfg       config
	log       *slog.Logger
	llm       *openai.Client // nil when no model is configured
	embedder  retrieval.Embedder
	store     *retrieval.Store
	bot       *bot.Bot
	refresher *bot.Refresher
}

// appOptions say what a command needs persisted.
type appOptions struct {
	// manifest remembers the indexed corpus in the data dir so that the next
	// index or refresh can report what changed.
	manifest bool
}

func newApp(cfg config, log *slog.Logger, opts appOptions) (*app, error) {
	a := &app{cfg: cfg, log: log}
	if cfg.llmConfigured() {
		a.llm = newOpenAIClient(cfg, log)
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
	storeOpts := retrieval.StoreOptions{Cache: cache, Logger: log}
	if opts.manifest {
		storeOpts.ManifestPath = filepath.Join(cfg.DataDir, "index.json")
	}
	a.store = retrieval.NewStore(a.embedder, storeOpts)
	a.bot = bot.New(a.store, bot.Options{Contact: cfg.Contact, Logger: log})
	a.refresher = &bot.Refresher{
		Corpus: corpus.Loader{HTTPClient: &http.Client{Timeout: 30 * time.Second}},
		Index:  a.store,
		Source: cfg.Corpus,
	}
	return a, nil
}

// load indexes the configured corpus. A corpus that cannot be read is a
// configuration error.
func (a *app) load(ctx context.Context) (corpus.Changes, error) {
	changes, err := a.refresher.Refresh(ctx, "")
	if err != nil {
		return changes, bad("FAQBOT_CORPUS", "%v", err)
	}
	return changes, nil
}

// newOpenAIClient builds the one go-openai client that embeddings and
// answers share: OpenAI, an OpenAI-compatible server, or Azure OpenAI, with
// retries on 429 and 5xx.
func newOpenAIClient(cfg config, log *slog.Logger) *openai.Client {
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
	oc.HTTPClient = &http.Client{Transport: &retry.Transport{
		OnRetry: func(req *http.Request, attempt, status int, err error, wait time.Duration) {
			log.Warn("retrying model API call", "path", req.URL.Path, "attempt", attempt, "status", status, "err", err, "wait", wait)
		},
	}}
	return openai.NewClientWithConfig(oc)
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func fileSafe(s string) string { return unsafeChars.ReplaceAllString(s, "_") }

// describe is the one line that says which parts are on; it never includes
// a secret.
func (a *app) describe() string {
	llm := "offline (extractive answers)"
	if a.llm != nil {
		llm = "model " + a.cfg.ChatModel
	}
	return fmt.Sprintf("answers: %s; embeddings: %s", llm, a.embedder.Name())
}
