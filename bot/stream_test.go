package bot_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/llm/llmtest"
)

type collected struct {
	mu sync.Mutex
	s  strings.Builder
}

func (c *collected) add(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.WriteString(s)
}

func (c *collected) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.s.String()
}

// Asked for drafts, the bot streams the model's words as they come, and
// what Ask returns is still the verified answer: a streamed draft that
// fails verification is not the answer.
func TestAskStreamsDraftsAndVerifiesTheFinalText(t *testing.T) {
	for _, tc := range []struct {
		name, reply string
		wantMode    bot.Mode
	}{
		{"verified", "Outbound marketing is removed on June 30, 2025 [1].", bot.ModeLLM},
		{"unknown marker", "It keeps working forever [7].", bot.ModeExtractive},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, 5*time.Second, func(int, openai.ChatCompletionRequest) llmtest.Reply { return llmtest.Answer(tc.reply) })
			var drafts collected
			a := h.ask(t, bot.WithDrafts(context.Background(), drafts.add), bot.Question{Text: afterQuestion})
			if drafts.String() != tc.reply {
				t.Errorf("streamed %q, want the model's words %q", drafts.String(), tc.reply)
			}
			if a.Mode != tc.wantMode {
				t.Errorf("mode %s, want %s: %q", a.Mode, tc.wantMode, a.Text)
			}
			if strings.Contains(a.Text, "[7]") || strings.Contains(a.Text, "forever") {
				t.Errorf("the unverified draft became the answer: %q", a.Text)
			}
			if calls := h.srv.ChatCalls(); len(calls) != 1 || !calls[0].Chat.Stream {
				t.Errorf("want one streamed completion, got %d", len(calls))
			}
		})
	}

	// Without a request for drafts, nothing streams.
	h := newHarness(t, 5*time.Second, answer("Outbound marketing is removed on June 30, 2025 [1]."))
	h.ask(t, context.Background(), bot.Question{Text: afterQuestion})
	if calls := h.srv.ChatCalls(); len(calls) != 1 || calls[0].Chat.Stream {
		t.Errorf("a plain Ask streamed")
	}
}
