package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sashabaranov/go-openai"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/llm/llmtest"
)

const llmQuestion = "What will happen after June 30, 2025? Will outbound marketing stop working?"

// askWithEnv runs `faqbot ask --json QUESTION` with only the given
// environment and returns the answer and standard error.
func askWithEnv(t *testing.T, env map[string]string, question string) (bot.Answer, string) {
	t.Helper()
	env["FAQBOT_DATA_DIR"] = t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"ask", "--json", question}, strings.NewReader(""), &stdout, &stderr,
		func(k string) string { return env[k] })
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	var a bot.Answer
	if err := json.Unmarshal(stdout.Bytes(), &a); err != nil {
		t.Fatalf("output is not an answer: %v\n%s", err, stdout.String())
	}
	return a, stderr.String()
}

func inventedCitationReply(int, openai.ChatCompletionRequest) llmtest.Reply {
	return llmtest.Answer("Outbound marketing is phased out gradually [1]. It stays available forever [7].")
}

func TestAskWithOpenAICompatibleServer(t *testing.T) {
	for _, embeddings := range []string{"local", ""} { // "" uses the server's embeddings
		t.Run("embeddings="+embeddings, func(t *testing.T) {
			srv := llmtest.NewServer(t, inventedCitationReply)
			a, _ := askWithEnv(t, map[string]string{
				"OPENAI_BASE_URL":   srv.BaseURL(),
				"OPENAI_API_KEY":    "sk-test",
				"FAQBOT_EMBEDDINGS": embeddings,
			}, llmQuestion)
			if a.Mode != bot.ModeLLM || a.Text != "Outbound marketing is phased out gradually [1]." {
				t.Fatalf("mode %s text %q; want llm with [7] and the sentence it could not support removed", a.Mode, a.Text)
			}
			chats := srv.ChatCalls()
			if len(chats) != 1 || chats[0].Path != "/v1/chat/completions" || chats[0].Chat.Model != defaultChatModel {
				t.Fatalf("chat calls %+v", chats)
			}
			if chats[0].Header.Get("Authorization") != "Bearer sk-test" {
				t.Errorf("Authorization = %q", chats[0].Header.Get("Authorization"))
			}
			first, _, _ := strings.Cut(strings.TrimPrefix(chats[0].User(), "<sources>\n[1] "), "\n")
			if len(a.Citations) != 1 || a.Citations[0].Title != first {
				t.Errorf("citations = %+v, want only source 1 %q", a.Citations, first)
			}
			embedCalls := len(srv.Calls()) - len(chats)
			if embeddings == "local" && embedCalls != 0 {
				t.Errorf("%d embeddings calls with local embeddings", embedCalls)
			}
			if embeddings == "" {
				if embedCalls == 0 {
					t.Fatal("no embeddings calls with server embeddings")
				}
				for _, c := range srv.Calls() {
					if c.Embed > 0 && c.Path != "/v1/embeddings" {
						t.Errorf("embeddings went to %s", c.Path)
					}
				}
			}
		})
	}
}

func TestAskWithModelServerDown(t *testing.T) {
	down := httptest.NewServer(nil)
	url := down.URL + "/v1"
	down.Close() // a closed port: connections are refused at once
	a, stderr := askWithEnv(t, map[string]string{
		"OPENAI_BASE_URL":    url,
		"OPENAI_API_KEY":     "sk-do-not-log",
		"FAQBOT_EMBEDDINGS":  "local",
		"FAQBOT_LLM_TIMEOUT": "500ms",
	}, llmQuestion)
	if a.Mode != bot.ModeExtractive || !a.Answered || len(a.Citations) == 0 {
		t.Fatalf("mode %s answered %v citations %d; want an extractive answer", a.Mode, a.Answered, len(a.Citations))
	}
	if !strings.Contains(stderr, "level=WARN") {
		t.Errorf("the failure was not logged:\n%s", stderr)
	}
	if strings.Contains(stderr, "sk-do-not-log") || strings.Contains(stderr, "stop working") {
		t.Errorf("the log holds the key or the question:\n%s", stderr)
	}
}

func TestAskWithAzureOpenAI(t *testing.T) {
	srv := llmtest.NewServer(t, inventedCitationReply)
	a, _ := askWithEnv(t, map[string]string{
		"AZURE_OPENAI_ENDPOINT": srv.URL,
		"AZURE_OPENAI_API_KEY":  "azure-key",
	}, llmQuestion)
	if a.Mode != bot.ModeLLM || len(a.Citations) != 1 {
		t.Fatalf("mode %s, %d citations; want llm with 1", a.Mode, len(a.Citations))
	}
	wantPath := map[bool]string{
		false: "/openai/deployments/" + defaultChatModel + "/chat/completions",
		true:  "/openai/deployments/" + defaultEmbeddingModel + "/embeddings",
	}
	var embeds int
	for _, c := range srv.Calls() {
		embedding := c.Embed > 0
		if embedding {
			embeds++
		}
		if c.Path != wantPath[embedding] || c.RawQuery != "api-version="+defaultAzureVersion {
			t.Errorf("request went to %s?%s, want %s?api-version=%s", c.Path, c.RawQuery, wantPath[embedding], defaultAzureVersion)
		}
		if c.Header.Get("api-key") != "azure-key" || c.Header.Get("Authorization") != "" {
			t.Errorf("api-key %q, Authorization %q", c.Header.Get("api-key"), c.Header.Get("Authorization"))
		}
	}
	if embeds == 0 || len(srv.ChatCalls()) != 1 {
		t.Errorf("%d embeddings calls and %d chat calls, want both", embeds, len(srv.ChatCalls()))
	}
}
