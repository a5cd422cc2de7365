package main

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/internal/metrics"
)

type fixedAsker struct {
	ans bot.Answer
	err error
}

func (f fixedAsker) Ask(context.Context, bot.Question) (bot.Answer, error) { return f.ans, f.err }

type fixedRefresher struct{ err error }

func (f fixedRefresher) Refresh(context.Context, string) (corpus.Changes, error) {
	return corpus.Changes{NewVersion: "v2"}, f.err
}

type fixedEscalator struct{ err error }

func (f fixedEscalator) Escalate(context.Context, bot.Escalation) error { return f.err }

func scrapeMetrics(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return rec.Body.String()
}

func TestMeteredDecoratorsCountOutcomes(t *testing.T) {
	m := metrics.New()
	ctx := context.Background()
	asks := []struct {
		transport string
		ans       bot.Answer
		err       error
	}{
		{"api", bot.Answer{Answered: true}, nil},
		{"api", bot.Answer{Answered: true}, nil},
		{"slack", bot.Answer{Answered: false}, nil},
		{"slack", bot.Answer{Answered: true, Escalate: true, EscalationReason: bot.ExtensionRequest}, nil},
		{"teams", bot.Answer{Escalate: true, EscalationReason: bot.UnsupportedOutbound}, nil},
		{"api", bot.Answer{}, bot.ErrNotReady},
	}
	for _, c := range asks {
		_, err := meteredAsker{next: fixedAsker{c.ans, c.err}, m: m}.Ask(ctx, bot.Question{Text: "q", Transport: c.transport})
		if !errors.Is(err, c.err) {
			t.Fatalf("Ask error = %v, want %v", err, c.err)
		}
	}
	meteredRefresher{next: fixedRefresher{}, m: m}.Refresh(ctx, "")
	meteredRefresher{next: fixedRefresher{errors.New("bad source")}, m: m}.Refresh(ctx, "x")
	meteredEscalator{next: fixedEscalator{}, destination: "slack", m: m}.Escalate(ctx, bot.Escalation{Reason: bot.ExtensionRequest})
	meteredEscalator{next: fixedEscalator{errors.New("down")}, destination: "teams", m: m}.Escalate(ctx, bot.Escalation{Reason: bot.UserRequest})

	text := scrapeMetrics(t, m)
	for _, l := range []string{
		`faqbot_questions_total{outcome="answered",reason="",transport="api"} 2`,
		`faqbot_questions_total{outcome="abstained",reason="",transport="slack"} 1`,
		`faqbot_questions_total{outcome="escalated",reason="extension_request",transport="slack"} 1`,
		`faqbot_questions_total{outcome="escalated",reason="unsupported_outbound",transport="teams"} 1`,
		`faqbot_questions_total{outcome="error",reason="",transport="api"} 1`,
		`faqbot_answer_duration_seconds_count{transport="api"} 3`,
		`faqbot_refreshes_total{result="ok"} 1`,
		`faqbot_refreshes_total{result="error"} 1`,
		`faqbot_escalations_total{destination="slack",reason="extension_request",result="ok"} 1`,
		`faqbot_escalations_total{destination="teams",reason="user_request",result="error"} 1`,
	} {
		if !strings.Contains(text, "\n"+l+"\n") {
			t.Errorf("metrics lack %q", l)
		}
	}
}
