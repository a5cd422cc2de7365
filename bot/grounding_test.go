package bot_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/llm/llmtest"
)

// A model that finds the sources do not answer must be believed: the bot
// abstains and names the nearest sections as such, whatever words (or
// language, or format) the model says it in. Its escalation still counts.
func TestModelSayingNotCoveredAbstains(t *testing.T) {
	tests := []struct {
		name, reply string
		escalate    bool
	}{
		{"text protocol marker", "NOT COVERED", false},
		{"the prompt's own words", "The FAQ doesn't cover this.", false},
		{"other words", "I'm sorry, the provided sources don't mention anything about that.", false},
		{"another language", "Die FAQ behandelt das nicht. Bitte wenden Sie sich an eine Person.", false},
		{"structured", `{"answered": false, "answer": "", "escalation": "none"}`, false},
		{"structured with escalation", `{"answered": false, "answer": "", "escalation": "user_request"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, time.Minute, answer(tt.reply))
			a := h.ask(t, context.Background(), bot.Question{Text: afterQuestion})
			if a.Answered {
				t.Fatalf("answered %v text %q: the model's judgement that the sources do not answer must win", a.Answered, a.Text)
			}
			if !strings.Contains(a.Text, "The FAQ doesn't cover this") || !strings.Contains(a.Text, "nearest sections") {
				t.Errorf("text %q does not say so plainly and name the nearest sections", a.Text)
			}
			if len(a.Citations) == 0 {
				t.Error("no nearest sections cited")
			}
			if a.Escalate != tt.escalate {
				t.Errorf("escalate = %v, want %v", a.Escalate, tt.escalate)
			}
		})
	}
}

// Markers that point at real sources do not make a sentence true: a model
// that invents a date, a number and a policy, each with a valid marker,
// has none of them shown. The sentences the sources bear out stay.
func TestInventedFactsNeverReachTheUser(t *testing.T) {
	const reply = "Outbound marketing is phased out gradually [1]. " +
		"Microsoft has moved the outbound marketing removal date to June 30, 2027 for all customers [1]. " +
		"Every customer gets 90 extra days of outbound marketing at no cost [1]. " +
		"Extension requests are granted automatically [2]."
	h := newHarness(t, time.Minute, answer(reply))
	a := h.ask(t, context.Background(), bot.Question{Text: "When will outbound marketing be removed, and can we get more time?"})
	for _, invented := range []string{"2027", "90", "automatically", "all customers"} {
		if strings.Contains(a.Text, invented) {
			t.Errorf("the answer shows the invented %q:\n%s", invented, a.Text)
		}
	}
	if a.Mode == bot.ModeLLM && !strings.Contains(a.Text, "phased out gradually") {
		t.Errorf("the grounded sentence was lost:\n%s", a.Text)
	}
	h.mu.Lock()
	dropped := h.dropped
	h.mu.Unlock()
	if dropped != 3 {
		t.Errorf("%d sentences counted as dropped, want 3", dropped)
	}
}

// When nothing the model wrote is borne out, the extractive answer is
// given instead.
func TestWhollyInventedAnswerFallsBackToQuotes(t *testing.T) {
	h := newHarness(t, time.Minute, answer("The removal was cancelled in 2026 [1]. Outbound marketing stays available at 50% off [1]."))
	a := h.ask(t, context.Background(), bot.Question{Text: afterQuestion})
	if a.Mode != bot.ModeExtractive || strings.Contains(a.Text, "cancelled") || strings.Contains(a.Text, "50%") {
		t.Fatalf("mode %s text %q, want the extractive answer", a.Mode, a.Text)
	}
	if got := h.fallbackReasons(); len(got) != 1 || got[0] != bot.FallbackUngrounded {
		t.Errorf("fallbacks %v, want [%s]", got, bot.FallbackUngrounded)
	}
}

// A server that refuses structured output gets the text protocol, from
// then on without asking again.
func TestStructuredOutputFallsBackToTextProtocol(t *testing.T) {
	h := newHarness(t, time.Minute, func(n int, req openai.ChatCompletionRequest) llmtest.Reply {
		if req.ResponseFormat != nil {
			return llmtest.Reply{Status: http.StatusBadRequest, Body: `{"error":{"message":"response_format json_schema is not supported by this model","type":"invalid_request_error","param":"response_format","code":null}}`}
		}
		return llmtest.Answer("Outbound marketing is phased out gradually [1].")
	})
	for range 2 {
		a := h.ask(t, context.Background(), bot.Question{Text: afterQuestion})
		if a.Mode != bot.ModeLLM || !strings.Contains(a.Text, "phased out gradually [1]") {
			t.Fatalf("mode %s text %q", a.Mode, a.Text)
		}
	}
	calls := h.srv.ChatCalls()
	if len(calls) != 3 {
		t.Fatalf("%d chat calls, want 3 (structured refused, text, text)", len(calls))
	}
	if calls[0].Chat.ResponseFormat == nil || calls[1].Chat.ResponseFormat != nil || calls[2].Chat.ResponseFormat != nil {
		t.Errorf("response formats: %v, %v, %v", calls[0].Chat.ResponseFormat, calls[1].Chat.ResponseFormat, calls[2].Chat.ResponseFormat)
	}
	if !strings.Contains(calls[1].System(), "NOT COVERED") || strings.Contains(calls[0].System(), "NOT COVERED") {
		t.Error("each protocol should get its own instructions")
	}
}

// The structured reply is read as such: answer, escalation.
func TestStructuredReplyIsRead(t *testing.T) {
	h := newHarness(t, time.Minute, answer(`{"answered": true, "answer": "Outbound marketing is phased out gradually [1].", "escalation": "user_request"}`))
	a := h.ask(t, context.Background(), bot.Question{Text: afterQuestion})
	if a.Mode != bot.ModeLLM || !strings.HasPrefix(a.Text, "Outbound marketing is phased out gradually [1].") || a.EscalationReason != bot.UserRequest {
		t.Fatalf("mode %s reason %q text %q", a.Mode, a.EscalationReason, a.Text)
	}
}
