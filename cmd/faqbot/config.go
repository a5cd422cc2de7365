package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/teams"
	"github.com/faqbot/faqbot/internal/egress"
	"github.com/faqbot/faqbot/internal/redact"
	"github.com/faqbot/faqbot/store"
)

// config is every setting faqbot reads, parsed and validated once at start.
type config struct {
	Corpus string
	// CorpusFrom names where Corpus was set ("--corpus" or FAQBOT_CORPUS),
	// for errors about it.
	CorpusFrom string
	DataDir    string
	Addr       string
	AdminToken string
	// RefreshHosts is FAQBOT_REFRESH_HOSTS: the hosts a refresh may name
	// besides the configured corpus.
	RefreshHosts *egress.Policy
	Contact      string
	// PublicURL is FAQBOT_PUBLIC_URL: this server's public base URL, where
	// citations link to its snapshots of the FAQ; "" for none.
	PublicURL string
	LogLevel  slog.Level

	Embeddings     string // "local" or "openai"
	OpenAIKey      string
	OpenAIBaseURL  string
	ChatModel      string
	EmbeddingModel string
	AzureEndpoint  string
	AzureKey       string
	AzureVersion   string
	LLMTimeout     time.Duration

	SlackBotToken          string
	SlackSigningSecret     string
	SlackAppToken          string
	SlackAPIURL            string
	SlackEscalationChannel string
	SlackAdminUsers        []string

	TeamsWebhookSecret []byte
	TeamsEscalationURL string

	// The Bot Framework bot (single-tenant Azure Bot).
	MicrosoftAppID              string
	MicrosoftAppPassword        string
	MicrosoftTenantID           string
	BotOpenIDMetadataURL        string
	BotTokenURL                 string
	TeamsEscalationConversation string
	// DatabaseURL is FAQBOT_DATABASE_URL: PostgreSQL, or "" for SQLite in
	// the data dir.
	DatabaseURL      string
	AskerIDs         store.AskerPolicy
	Retention        time.Duration
	DeflectionWindow time.Duration
	// Replica is FAQBOT_REPLICA: this process's name in logs, metrics and
	// what it shares with other replicas (the hostname by default).
	Replica string
	// CorpusLagGrace is FAQBOT_CORPUS_LAG_GRACE: how long a replica may
	// serve an older corpus than the database's and still be ready.
	CorpusLagGrace time.Duration
	// EscalationRemind is how long an escalation stays open before it is
	// posted again; negative when reminders are off.
	EscalationRemind time.Duration
}

// Defaults that docs/INTERFACE.md promises.
const (
	defaultDataDir        = "./data"
	defaultAddr           = ":8080"
	defaultChatModel      = "gpt-4o-mini"
	defaultEmbeddingModel = "text-embedding-3-small"
	// defaultAzureVersion is a current GA Azure OpenAI API version; go-openai's
	// own default dates from 2023.
	defaultAzureVersion = "2024-10-21"
	defaultLLMTimeout   = 20 * time.Second
	defaultRetention    = store.DefaultRetention
	// databaseFile is the SQLite file in the data dir.
	databaseFile = "faqbot.db"
)

// configError names the variable or flag at fault; it exits with status 2.
type configError struct {
	name string
	msg  string
}

func (e *configError) Error() string { return e.name + ": " + e.msg }

func bad(name, format string, args ...any) error {
	return &configError{name: name, msg: fmt.Sprintf(format, args...)}
}

// environment looks variables up in the real environment first, then in a
// .env file in the working directory.
func environment(getenv func(string) string) (func(string) string, error) {
	file, err := godotenv.Read(".env")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, bad(".env", "%v", err)
	}
	return func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return file[k]
	}, nil
}

// loadConfig reads the configuration; corpus and dataDir are the flag
// overrides ("" when not given).
func loadConfig(env func(string) string, corpus, dataDir string) (config, error) {
	c := config{
		Corpus:                 first(corpus, env("FAQBOT_CORPUS")),
		DataDir:                first(dataDir, env("FAQBOT_DATA_DIR"), defaultDataDir),
		Addr:                   first(env("FAQBOT_ADDR"), defaultAddr),
		AdminToken:             env("FAQBOT_ADMIN_TOKEN"),
		PublicURL:              strings.TrimRight(strings.TrimSpace(env("FAQBOT_PUBLIC_URL")), "/"),
		Contact:                first(env("FAQBOT_CONTACT"), bot.DefaultContact),
		OpenAIKey:              env("OPENAI_API_KEY"),
		OpenAIBaseURL:          env("OPENAI_BASE_URL"),
		ChatModel:              first(env("OPENAI_CHAT_MODEL"), defaultChatModel),
		EmbeddingModel:         first(env("OPENAI_EMBEDDING_MODEL"), defaultEmbeddingModel),
		AzureEndpoint:          env("AZURE_OPENAI_ENDPOINT"),
		AzureKey:               env("AZURE_OPENAI_API_KEY"),
		AzureVersion:           first(env("AZURE_OPENAI_API_VERSION"), defaultAzureVersion),
		SlackBotToken:          env("SLACK_BOT_TOKEN"),
		SlackSigningSecret:     env("SLACK_SIGNING_SECRET"),
		SlackAppToken:          env("SLACK_APP_TOKEN"),
		SlackAPIURL:            env("SLACK_API_URL"),
		SlackEscalationChannel: env("SLACK_ESCALATION_CHANNEL"),
		TeamsEscalationURL:     env("TEAMS_ESCALATION_WEBHOOK_URL"),

		MicrosoftAppID:              strings.TrimSpace(env("MICROSOFT_APP_ID")),
		MicrosoftAppPassword:        env("MICROSOFT_APP_PASSWORD"),
		MicrosoftTenantID:           strings.TrimSpace(env("MICROSOFT_APP_TENANT_ID")),
		BotOpenIDMetadataURL:        first(env("BOTFRAMEWORK_OPENID_METADATA_URL"), teams.DefaultOpenIDMetadataURL),
		BotTokenURL:                 first(env("BOTFRAMEWORK_TOKEN_URL"), teams.DefaultTokenURL),
		TeamsEscalationConversation: strings.TrimSpace(env("TEAMS_ESCALATION_CONVERSATION")),
		DatabaseURL:                 env("FAQBOT_DATABASE_URL"),
	}
	c.CorpusFrom = "FAQBOT_CORPUS"
	if corpus != "" {
		c.CorpusFrom = "--corpus"
	}
	for _, u := range strings.Split(env("SLACK_ADMIN_USERS"), ",") {
		if u = strings.TrimSpace(u); u != "" {
			c.SlackAdminUsers = append(c.SlackAdminUsers, u)
		}
	}
	checks := []func(env func(string) string) error{c.checkServer, c.checkModels, c.checkSlack, c.checkTeams, c.checkTeamsBot, c.checkStore, c.checkReplica, c.checkDesk}
	for _, check := range checks {
		if err := check(env); err != nil {
			return c, err
		}
	}
	return c, nil
}

func (c *config) checkServer(env func(string) string) error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return bad("FAQBOT_ADDR", "want host:port such as :8080 (%v)", err)
	}
	hosts, err := egress.Parse(first(env("FAQBOT_REFRESH_HOSTS"), egress.DefaultHosts))
	if err != nil {
		return bad("FAQBOT_REFRESH_HOSTS", "%v; want host names, IP addresses or CIDR prefixes separated by commas", err)
	}
	c.RefreshHosts = hosts
	switch lvl := strings.ToLower(env("FAQBOT_LOG_LEVEL")); lvl {
	case "", "info":
		c.LogLevel = slog.LevelInfo
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "warn", "warning":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		return bad("FAQBOT_LOG_LEVEL", "%q is not debug, info, warn or error", lvl)
	}
	return c.checkPublicURL()
}

func (c *config) checkModels(env func(string) string) error {
	if c.OpenAIBaseURL != "" {
		if err := httpURL(c.OpenAIBaseURL); err != nil {
			return bad("OPENAI_BASE_URL", "%v", err)
		}
	}
	if c.AzureEndpoint != "" {
		if err := httpURL(c.AzureEndpoint); err != nil {
			return bad("AZURE_OPENAI_ENDPOINT", "%v", err)
		}
		if c.AzureKey == "" {
			return bad("AZURE_OPENAI_API_KEY", "required with AZURE_OPENAI_ENDPOINT")
		}
	} else if c.AzureKey != "" {
		return bad("AZURE_OPENAI_ENDPOINT", "required with AZURE_OPENAI_API_KEY")
	}
	c.LLMTimeout = defaultLLMTimeout
	if v := env("FAQBOT_LLM_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return bad("FAQBOT_LLM_TIMEOUT", "%q is not a positive duration such as 4s", v)
		}
		c.LLMTimeout = d
	}
	switch e := env("FAQBOT_EMBEDDINGS"); e {
	case "":
		c.Embeddings = "local"
		if c.llmConfigured() {
			c.Embeddings = "openai"
		}
	case "local":
		c.Embeddings = e
	case "openai":
		if !c.llmConfigured() {
			return bad("FAQBOT_EMBEDDINGS", "openai needs OPENAI_API_KEY, OPENAI_BASE_URL or AZURE_OPENAI_ENDPOINT")
		}
		c.Embeddings = e
	default:
		return bad("FAQBOT_EMBEDDINGS", "%q is not local or openai", e)
	}
	return nil
}

// llmConfigured reports whether any OpenAI-compatible server is set up. A
// base URL alone is enough: Ollama and vLLM need no key.
func (c *config) llmConfigured() bool {
	return c.OpenAIKey != "" || c.OpenAIBaseURL != "" || c.AzureEndpoint != ""
}

func (c *config) checkSlack(func(string) string) error {
	if c.SlackBotToken == "" {
		if c.SlackSigningSecret != "" || c.SlackAppToken != "" {
			return bad("SLACK_BOT_TOKEN", "required with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN")
		}
		return nil
	}
	if c.SlackSigningSecret == "" && c.SlackAppToken == "" {
		return bad("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN needs SLACK_SIGNING_SECRET (Events API over HTTP) or SLACK_APP_TOKEN (Socket Mode)")
	}
	if c.SlackAppToken != "" && !strings.HasPrefix(c.SlackAppToken, "xapp-") {
		return bad("SLACK_APP_TOKEN", "must be an app-level token starting with xapp-")
	}
	if c.SlackAPIURL != "" {
		if err := httpURL(c.SlackAPIURL); err != nil {
			return bad("SLACK_API_URL", "%v", err)
		}
		if !strings.HasSuffix(c.SlackAPIURL, "/") {
			return bad("SLACK_API_URL", "must end with / (e.g. https://slack.com/api/)")
		}
	}
	return nil
}

func (c *config) checkTeams(env func(string) string) error {
	if s := env("TEAMS_WEBHOOK_SECRET"); s != "" {
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
		if err != nil || len(key) == 0 {
			return bad("TEAMS_WEBHOOK_SECRET", "must be the base64 security token Teams shows for the outgoing webhook")
		}
		c.TeamsWebhookSecret = key
	}
	if c.TeamsEscalationURL != "" {
		if err := httpURL(c.TeamsEscalationURL); err != nil {
			return bad("TEAMS_ESCALATION_WEBHOOK_URL", "%v", err)
		}
	}
	return nil
}

// checkTeamsBot validates the Bot Framework bot's settings: all three
// credentials or none, single-tenant only.
func (c *config) checkTeamsBot(env func(string) string) error {
	creds := []struct{ name, value string }{
		{"MICROSOFT_APP_ID", c.MicrosoftAppID},
		{"MICROSOFT_APP_PASSWORD", c.MicrosoftAppPassword},
		{"MICROSOFT_APP_TENANT_ID", c.MicrosoftTenantID},
	}
	var set []string
	for _, cr := range creds {
		if cr.value != "" {
			set = append(set, cr.name)
		}
	}
	if len(set) == 0 {
		if c.TeamsEscalationConversation != "" {
			return bad("TEAMS_ESCALATION_CONVERSATION", "needs the Bot Framework bot (MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TENANT_ID)")
		}
		return nil
	}
	for _, cr := range creds {
		if cr.value == "" {
			return bad(cr.name, "required with %s", strings.Join(set, " and "))
		}
	}
	if !teams.IsGUID(c.MicrosoftAppID) {
		return bad("MICROSOFT_APP_ID", "must be the Azure Bot's Microsoft App ID, a GUID such as 8b2f4c1e-5a6d-4e3f-9b7c-0d1e2f3a4b5c")
	}
	if !teams.IsGUID(c.MicrosoftTenantID) {
		return bad("MICROSOFT_APP_TENANT_ID", "must be the Entra ID tenant ID, a GUID")
	}
	switch t := env("MICROSOFT_APP_TYPE"); strings.ToLower(t) {
	case "", "singletenant":
	case "multitenant":
		return bad("MICROSOFT_APP_TYPE", "MultiTenant bots can no longer be created (since July 2025); register a SingleTenant Azure Bot")
	case "userassignedmsi":
		return bad("MICROSOFT_APP_TYPE", "UserAssignedMSI is not supported yet; use SingleTenant with a client secret")
	default:
		return bad("MICROSOFT_APP_TYPE", "%q is not SingleTenant", t)
	}
	if err := httpURL(c.BotOpenIDMetadataURL); err != nil {
		return bad("BOTFRAMEWORK_OPENID_METADATA_URL", "%v", err)
	}
	if err := httpURL(strings.ReplaceAll(c.BotTokenURL, "{tenant}", c.MicrosoftTenantID)); err != nil {
		return bad("BOTFRAMEWORK_TOKEN_URL", "%v", err)
	}
	if v := c.TeamsEscalationConversation; v != "" && (!strings.HasPrefix(v, "19:") || strings.ContainsAny(v, " \t\n/")) {
		return bad("TEAMS_ESCALATION_CONVERSATION", "must be a Teams channel conversation id such as 19:…@thread.tacv2")
	}
	return nil
}

func (c *config) checkStore(env func(string) string) error {
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return bad("FAQBOT_DATABASE_URL", "want a postgres:// URL, or leave it unset for SQLite in the data directory")
	}
	p, err := store.ParseAskerPolicy(env("FAQBOT_ASKER_IDS"))
	if err != nil {
		return bad("FAQBOT_ASKER_IDS", "%v", err)
	}
	c.AskerIDs = p
	c.Retention = defaultRetention
	if v := env("FAQBOT_RETENTION"); v != "" {
		d, err := parseSpan(v)
		if err != nil || d < time.Hour {
			return bad("FAQBOT_RETENTION", "%q is not a span of at least an hour such as 90d or 720h", v)
		}
		c.Retention = d
	}
	c.DeflectionWindow = bot.DefaultDeflectionWindow
	if v := env("FAQBOT_DEFLECTION_WINDOW"); v != "" {
		d, err := parseSpan(v)
		if err != nil || d <= 0 {
			return bad("FAQBOT_DEFLECTION_WINDOW", "%q is not a positive span such as 24h or 2d", v)
		}
		c.DeflectionWindow = d
	}
	return nil
}

// storeURL is where the records are: FAQBOT_DATABASE_URL, else a SQLite
// file in the data dir.
func (c *config) storeURL() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return "sqlite:" + filepath.Join(c.DataDir, databaseFile)
}

// parseSpan reads a span of time: days ("90d") or a Go duration ("36h").
func parseSpan(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 || days > 100*365 {
			return 0, fmt.Errorf("%q is not a number of days", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// httpURL checks an http(s) URL setting. Its errors show the URL
// redacted: some of these URLs carry their credentials.
func httpURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s is not an http(s) URL", redact.URL(s))
	}
	return nil
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
