// Package llm writes faqbot's answers with a chat model through go-openai:
// OpenAI, Azure OpenAI, or any OpenAI-compatible server (Ollama, vLLM, LM
// Studio). It implements bot.Writer; the bot verifies what it writes. It
// also writes the questions sections answer, for retrieval
// (QuestionWriter, a retrieval.QuestionSource).
package llm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/faqbot/faqbot/bot"
)

// DefaultTimeout bounds one model call when Options.Timeout is zero.
const DefaultTimeout = 20 * time.Second

// maxStandaloneChars bounds a condensed question; anything longer is the
// model answering instead of rewriting.
const maxStandaloneChars = 500

// Options configure a Writer.
type Options struct {
	// Model is the chat model (on Azure, the deployment name).
	Model string
	// Timeout bounds each call, retries included (DefaultTimeout when zero).
	// A caller's earlier deadline wins.
	Timeout time.Duration
}

// Writer answers through a chat model. It is safe for concurrent use.
type Writer struct {
	client  *openai.Client
	model   string
	timeout time.Duration
	// textOnly is set once the server has refused structured output; the
	// text protocol serves from then on.
	textOnly atomic.Bool
}

var _ bot.Writer = (*Writer)(nil)

// New returns a Writer that calls model through client. The client's HTTP
// transport is where retries belong (internal/retry).
func New(client *openai.Client, opts Options) *Writer {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	return &Writer{client: client, model: opts.Model, timeout: opts.Timeout}
}

// Write implements bot.Writer: one chat completion over the numbered
// sources, with the question passed as delimited data. It asks for
// structured output (a JSON schema) and falls back to the text protocol,
// for good, on a server that refuses it.
func (w *Writer) Write(ctx context.Context, req bot.WriteRequest) (bot.Draft, error) {
	if len(req.Sources) == 0 {
		return bot.Draft{}, errors.New("write answer: no sources")
	}
	structured := !w.textOnly.Load()
	content, err := w.write(ctx, req, structured)
	if err != nil && structured && unsupportedFormat(err) {
		w.textOnly.Store(true)
		content, err = w.write(ctx, req, false)
	}
	if err != nil {
		return bot.Draft{}, fmt.Errorf("write answer: %w", err)
	}
	d := parseReply(content)
	if leaksPrompt(d.Text) {
		return bot.Draft{}, errors.New("write answer: the reply repeats the instructions")
	}
	return d, nil
}

func (w *Writer) write(ctx context.Context, req bot.WriteRequest, structured bool) (string, error) {
	var format *openai.ChatCompletionResponseFormat
	if structured {
		format = structuredFormat()
	}
	return w.complete(ctx, format, []openai.ChatCompletionMessage{
		{Role: openai.ChatMessageRoleSystem, Content: systemPrompt(req.Now, structured)},
		{Role: openai.ChatMessageRoleUser, Content: userMessage(req)},
	})
}

// Condense implements bot.Writer: it rewrites a follow-up as a standalone
// question in English, the FAQ's language, for retrieval.
func (w *Writer) Condense(ctx context.Context, history []bot.Turn, question string) (string, error) {
	content, err := w.complete(ctx, nil, []openai.ChatCompletionMessage{
		{Role: openai.ChatMessageRoleSystem, Content: condensePrompt},
		{Role: openai.ChatMessageRoleUser, Content: condenseMessage(history, question)},
	})
	if err != nil {
		return "", fmt.Errorf("condense follow-up: %w", err)
	}
	s := strings.TrimSpace(strings.SplitN(strings.TrimSpace(content), "\n", 2)[0])
	s = strings.Trim(s, "\"'“”")
	if s == "" || len(s) > maxStandaloneChars {
		return "", fmt.Errorf("condense follow-up: unusable rewrite (%d chars)", len(s))
	}
	return s, nil
}

// complete runs one chat completion within the per-call timeout and returns
// the first choice's text.
func (w *Writer) complete(ctx context.Context, format *openai.ChatCompletionResponseFormat, msgs []openai.ChatCompletionMessage) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	// Temperature and token limits are left to the server: reasoning models
	// reject them, and the prompt asks for brevity.
	resp, err := w.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model:          w.model,
		Messages:       msgs,
		ResponseFormat: format,
	})
	if err != nil {
		return "", fmt.Errorf("chat completion with %s: %w", w.model, err)
	}
	if len(resp.Choices) == 0 {
		return "", fmt.Errorf("chat completion with %s: no choices", w.model)
	}
	content := strings.TrimSpace(resp.Choices[0].Message.Content)
	if content == "" {
		return "", fmt.Errorf("chat completion with %s: empty reply (finish reason %q)", w.model, resp.Choices[0].FinishReason)
	}
	return content, nil
}
