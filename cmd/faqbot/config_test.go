package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/corpus"
)

// secrets are values that must never reach standard error, whatever fails.
var secrets = []string{"xoxb-SECRET-bot", "SIGNING-SECRET-9", "xapp-SECRET-app", "sk-SECRET-key", "AZURE-SECRET-key", "APP-PASSWORD-SECRET", "DB-SECRET-pw"}

// botEnv is a complete Bot Framework configuration, changed by the extra
// pairs (an empty value unsets).
func botEnv(extra ...string) map[string]string {
	env := map[string]string{
		"MICROSOFT_APP_ID":        "8b2f4c1e-5a6d-4e3f-9b7c-0d1e2f3a4b5c",
		"MICROSOFT_APP_PASSWORD":  "APP-PASSWORD-SECRET",
		"MICROSOFT_APP_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			delete(env, extra[i])
		} else {
			env[extra[i]] = extra[i+1]
		}
	}
	return env
}

func TestServeConfigErrors(t *testing.T) {
	notFAQ := filepath.Join(t.TempDir(), "notes.md")
	if err := os.WriteFile(notFAQ, []byte("just a line of prose, no question headings\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	notADir := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(notADir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string // the variable or flag the message must name
	}{
		{"bot token without a way to receive events", map[string]string{"SLACK_BOT_TOKEN": "xoxb-SECRET-bot"}, nil, "SLACK_SIGNING_SECRET"},
		{"replica name with a space", map[string]string{"FAQBOT_REPLICA": "replica one"}, nil, "FAQBOT_REPLICA"},
		{"replica name too long", map[string]string{"FAQBOT_REPLICA": strings.Repeat("r", 64)}, nil, "FAQBOT_REPLICA"},
		{"lag grace not a duration", map[string]string{"FAQBOT_CORPUS_LAG_GRACE": "30"}, nil, "FAQBOT_CORPUS_LAG_GRACE"},
		{"signing secret without bot token", map[string]string{"SLACK_SIGNING_SECRET": "SIGNING-SECRET-9"}, nil, "SLACK_BOT_TOKEN"},
		{"app token without bot token", map[string]string{"SLACK_APP_TOKEN": "xapp-SECRET-app"}, nil, "SLACK_BOT_TOKEN"},
		{"app token of the wrong kind", map[string]string{"SLACK_BOT_TOKEN": "xoxb-SECRET-bot", "SLACK_APP_TOKEN": "xoxb-SECRET-app"}, nil, "SLACK_APP_TOKEN"},
		{"Slack API URL without trailing slash", map[string]string{"SLACK_BOT_TOKEN": "xoxb-SECRET-bot", "SLACK_SIGNING_SECRET": "SIGNING-SECRET-9", "SLACK_API_URL": "http://127.0.0.1:9/api"}, nil, "SLACK_API_URL"},
		{"Slack API URL not http", map[string]string{"SLACK_BOT_TOKEN": "xoxb-SECRET-bot", "SLACK_SIGNING_SECRET": "SIGNING-SECRET-9", "SLACK_API_URL": "slack.com/api/"}, nil, "SLACK_API_URL"},
		{"Teams secret not base64", map[string]string{"TEAMS_WEBHOOK_SECRET": "not base64!"}, nil, "TEAMS_WEBHOOK_SECRET"},
		{"Teams escalation URL not a URL", map[string]string{"TEAMS_ESCALATION_WEBHOOK_URL": "teams-channel"}, nil, "TEAMS_ESCALATION_WEBHOOK_URL"},
		{"bot without password", botEnv("MICROSOFT_APP_PASSWORD", ""), nil, "MICROSOFT_APP_PASSWORD"},
		{"bot without tenant", botEnv("MICROSOFT_APP_TENANT_ID", ""), nil, "MICROSOFT_APP_TENANT_ID"},
		{"bot password without app id", botEnv("MICROSOFT_APP_ID", ""), nil, "MICROSOFT_APP_ID"},
		{"app id not a GUID", botEnv("MICROSOFT_APP_ID", "faq-bot"), nil, "MICROSOFT_APP_ID"},
		{"tenant not a GUID", botEnv("MICROSOFT_APP_TENANT_ID", "contoso.onmicrosoft.com"), nil, "MICROSOFT_APP_TENANT_ID"},
		{"multi-tenant bot", botEnv("MICROSOFT_APP_TYPE", "MultiTenant"), nil, "MICROSOFT_APP_TYPE"},
		{"managed identity", botEnv("MICROSOFT_APP_TYPE", "UserAssignedMSI"), nil, "MICROSOFT_APP_TYPE"},
		{"metadata URL not a URL", botEnv("BOTFRAMEWORK_OPENID_METADATA_URL", "login.botframework.com"), nil, "BOTFRAMEWORK_OPENID_METADATA_URL"},
		{"token URL not a URL", botEnv("BOTFRAMEWORK_TOKEN_URL", "/{tenant}/token"), nil, "BOTFRAMEWORK_TOKEN_URL"},
		{"escalation conversation not a channel", botEnv("TEAMS_ESCALATION_CONVERSATION", "General"), nil, "TEAMS_ESCALATION_CONVERSATION"},
		{"escalation conversation without the bot", map[string]string{"TEAMS_ESCALATION_CONVERSATION": "19:abc@thread.tacv2"}, nil, "TEAMS_ESCALATION_CONVERSATION"},
		{"unreadable corpus", map[string]string{"FAQBOT_CORPUS": filepath.Join(t.TempDir(), "missing.md")}, nil, "FAQBOT_CORPUS"},
		{"corpus without FAQ sections", map[string]string{"FAQBOT_CORPUS": notFAQ}, nil, "FAQBOT_CORPUS"},
		{"--corpus flag unreadable", nil, []string{"--corpus", filepath.Join(t.TempDir(), "missing.md")}, "--corpus"},
		{"unknown embeddings", map[string]string{"FAQBOT_EMBEDDINGS": "bert"}, nil, "FAQBOT_EMBEDDINGS"},
		{"openai embeddings without a server", map[string]string{"FAQBOT_EMBEDDINGS": "openai"}, nil, "FAQBOT_EMBEDDINGS"},
		{"base URL not http", map[string]string{"OPENAI_BASE_URL": "localhost:11434/v1", "OPENAI_API_KEY": "sk-SECRET-key"}, nil, "OPENAI_BASE_URL"},
		{"Azure endpoint without key", map[string]string{"AZURE_OPENAI_ENDPOINT": "https://x.openai.azure.com/"}, nil, "AZURE_OPENAI_API_KEY"},
		{"Azure key without endpoint", map[string]string{"AZURE_OPENAI_API_KEY": "AZURE-SECRET-key"}, nil, "AZURE_OPENAI_ENDPOINT"},
		{"LLM timeout not a duration", map[string]string{"FAQBOT_LLM_TIMEOUT": "soon"}, nil, "FAQBOT_LLM_TIMEOUT"},
		{"log level unknown", map[string]string{"FAQBOT_LOG_LEVEL": "loud"}, nil, "FAQBOT_LOG_LEVEL"},
		{"address without port", map[string]string{"FAQBOT_ADDR": "localhost"}, nil, "FAQBOT_ADDR"},
		{"address in use", map[string]string{"FAQBOT_ADDR": busy.Addr().String()}, nil, "FAQBOT_ADDR"},
		{"database URL not PostgreSQL", map[string]string{"FAQBOT_DATABASE_URL": "mysql://faqbot:DB-SECRET-pw@db/faqbot"}, nil, "FAQBOT_DATABASE_URL"},
		{"database unreachable", map[string]string{"FAQBOT_DATABASE_URL": "postgres://faqbot:DB-SECRET-pw@127.0.0.1:1/faqbot?connect_timeout=2"}, nil, "FAQBOT_DATABASE_URL"},
		{"records in a data dir that is a file", map[string]string{"FAQBOT_DATA_DIR": filepath.Join(notADir, "data")}, nil, "FAQBOT_DATA_DIR"},
		{"asker IDs unknown", map[string]string{"FAQBOT_ASKER_IDS": "md5"}, nil, "FAQBOT_ASKER_IDS"},
		{"retention not a span", map[string]string{"FAQBOT_RETENTION": "forever"}, nil, "FAQBOT_RETENTION"},
		{"retention too short", map[string]string{"FAQBOT_RETENTION": "10m"}, nil, "FAQBOT_RETENTION"},
		{"deflection window negative", map[string]string{"FAQBOT_DEFLECTION_WINDOW": "-1h"}, nil, "FAQBOT_DEFLECTION_WINDOW"},
		{"reminder too soon", map[string]string{"FAQBOT_ESCALATION_REMIND": "10s"}, nil, "FAQBOT_ESCALATION_REMIND"},
		{"reminder not a span", map[string]string{"FAQBOT_ESCALATION_REMIND": "daily"}, nil, "FAQBOT_ESCALATION_REMIND"},
		{"public URL not a URL", map[string]string{"FAQBOT_PUBLIC_URL": "faqbot.example.com"}, nil, "FAQBOT_PUBLIC_URL"},
		{"public URL with a query", map[string]string{"FAQBOT_PUBLIC_URL": "https://faqbot.example.com/?x=1"}, nil, "FAQBOT_PUBLIC_URL"},
		{"unknown flag", nil, []string{"--port", "80"}, "serve"},
		{"stray argument", nil, []string{"now"}, "serve"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := withDefaults(t, c.env)
			var stderr bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
			defer cancel()
			code := run(ctx, append([]string{"serve"}, c.args...), strings.NewReader(""), io.Discard, &stderr,
				func(k string) string { return env[k] })
			if code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitUsage, stderr.String())
			}
			msg := errorLine(stderr.String())
			if !strings.Contains(msg, c.want) {
				t.Errorf("error %q does not name %s", msg, c.want)
			}
			for _, s := range secrets {
				if strings.Contains(stderr.String(), s) {
					t.Errorf("stderr shows the secret %q:\n%s", s, stderr.String())
				}
			}
		})
	}
}

// errorLine is run's one-line error message ("faqbot: NAME: ..."), which
// follows any log lines.
func errorLine(stderr string) string {
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "faqbot: ") {
			return l
		}
	}
	return ""
}

func TestStartupLineSaysWhatIsOn(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{"offline", nil, map[string]string{
			"slack": "off", "teams": "off", "answers": "offline (extractive)", "embeddings": "local-hash-v1-1024", "escalations": "none",
		}},
		{"slack over HTTP, Teams, OpenAI", map[string]string{
			"SLACK_BOT_TOKEN": "xoxb-SECRET-bot", "SLACK_SIGNING_SECRET": "SIGNING-SECRET-9", "SLACK_ESCALATION_CHANNEL": "C0ESC",
			"TEAMS_WEBHOOK_SECRET": "c2VjcmV0IHRlYW1zIGtleQ==", "TEAMS_ESCALATION_WEBHOOK_URL": "https://prod.example/workflows/1?sig=SIG-SECRET",
			"OPENAI_API_KEY": "sk-SECRET-key", "FAQBOT_EMBEDDINGS": "local", "FAQBOT_ADMIN_TOKEN": "ADMIN-SECRET",
		}, map[string]string{
			"slack": "events over HTTP", "teams": "outgoing webhook", "answers": "model gpt-4o-mini at api.openai.com",
			"escalations": "slack channel C0ESC, teams workflow", "admin_refresh": "on",
		}},
		{"Teams bot and webhook, escalating to a channel", map[string]string{
			"MICROSOFT_APP_ID": "8b2f4c1e-5a6d-4e3f-9b7c-0d1e2f3a4b5c", "MICROSOFT_APP_PASSWORD": "APP-PASSWORD-SECRET",
			"MICROSOFT_APP_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47", "MICROSOFT_APP_TYPE": "SingleTenant",
			"TEAMS_ESCALATION_CONVERSATION": "19:esc@thread.tacv2", "TEAMS_WEBHOOK_SECRET": "c2VjcmV0IHRlYW1zIGtleQ==",
		}, map[string]string{
			"teams": "bot + outgoing webhook", "escalations": "teams channel 19:esc@thread.tacv2",
		}},
		{"Socket Mode, Ollama", map[string]string{
			"SLACK_BOT_TOKEN": "xoxb-SECRET-bot", "SLACK_APP_TOKEN": "xapp-SECRET-app",
			"OPENAI_BASE_URL": "http://user:pass@localhost:11434/v1?key=sk-SECRET-key", "OPENAI_CHAT_MODEL": "llama3.1",
			"FAQBOT_EMBEDDINGS": "local",
		}, map[string]string{
			"slack": "socket mode", "answers": "model llama3.1 at http://localhost:11434/v1?REDACTED",
		}},
		{"Azure", map[string]string{
			"AZURE_OPENAI_ENDPOINT": "https://contoso.openai.azure.com/", "AZURE_OPENAI_API_KEY": "AZURE-SECRET-key",
			"FAQBOT_EMBEDDINGS": "local",
		}, map[string]string{
			"answers": "model gpt-4o-mini at azure https://contoso.openai.azure.com/",
		}},
	}
	c0, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := withDefaults(t, c.env)
			cfg, err := loadConfig(func(k string) string { return env[k] }, "", "")
			if err != nil {
				t.Fatal(err)
			}
			a, err := newApp(cfg, serverLogger(io.Discard, cfg.LogLevel), appOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.store.Load(context.Background(), c0); err != nil {
				t.Fatal(err)
			}
			attrs := newServer(a, testStore(t, cfg)).parts(corpus.Changes{}, time.Second)
			got := map[string]string{}
			var all strings.Builder
			for i := 0; i+1 < len(attrs); i += 2 {
				got[attrs[i].(string)] = fmt.Sprint(attrs[i+1])
				fmt.Fprint(&all, attrs[i+1], " ")
			}
			for k, want := range c.want {
				if got[k] != want {
					t.Errorf("%s = %q, want %q", k, got[k], want)
				}
			}
			if got["corpus_version"] != c0.Version || got["sections"] == "" {
				t.Errorf("corpus parts missing: %v", got)
			}
			for _, s := range append(secrets, "SIG-SECRET", "ADMIN-SECRET", "user:pass", "c2VjcmV0") {
				if strings.Contains(all.String(), s) {
					t.Errorf("start-up line shows the secret %q: %v", s, got)
				}
			}
		})
	}
}
