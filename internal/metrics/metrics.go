// Package metrics exposes faqbot's Prometheus metrics: typed collectors on
// a registry of their own, and a transport that counts model API calls. It
// knows nothing of the bot; cmd/faqbot's wiring feeds it.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds every faqbot collector. Its methods are safe for concurrent
// use; a nil *Metrics records nothing, so optional wiring needs no checks.
type Metrics struct {
	reg *prometheus.Registry

	questions     *prometheus.CounterVec
	answerSeconds *prometheus.HistogramVec
	llmCalls      prometheus.Counter
	llmFailures   prometheus.Counter
	llmFallbacks  *prometheus.CounterVec
	llmDropped    prometheus.Counter
	embedCalls    prometheus.Counter
	embedFailures prometheus.Counter
	platformErrs  *prometheus.CounterVec
	escalations   *prometheus.CounterVec
	refreshes     *prometheus.CounterVec
	httpRequests  *prometheus.CounterVec
	httpSeconds   *prometheus.HistogramVec
}

// answerBuckets span an extractive answer (milliseconds) to a slow model
// call with retries (tens of seconds).
var answerBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40}

// New returns metrics registered on a fresh registry, with the Go runtime
// and process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "faqbot_questions_total",
			Help: "Questions asked, by transport and outcome (answered, abstained, escalated, error); reason is the escalation reason.",
		}, []string{"transport", "outcome", "reason"}),
		answerSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "faqbot_answer_duration_seconds",
			Help:    "Time to answer a question, by transport.",
			Buckets: answerBuckets,
		}, []string{"transport"}),
		llmCalls: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "faqbot_llm_calls_total",
			Help: "Chat completion requests to the language model (after retries).",
		}),
		llmFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "faqbot_llm_failures_total",
			Help: "Chat completion requests that failed (after retries).",
		}),
		llmFallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "faqbot_llm_fallbacks_total",
			Help: "Model answers (or follow-up rewrites) not used, by reason (error, timeout, no_time, unverified, ungrounded, condense); the extractive answer was given instead.",
		}, []string{"reason"}),
		llmDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "faqbot_llm_sentences_dropped_total",
			Help: "Sentences of model answers not shown because the sources they cite do not bear them out (a date, number or name they lack, too little of their content, or a claim they deny).",
		}),
		embedCalls: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "faqbot_embedding_calls_total",
			Help: "Embedding requests to the model API (after retries).",
		}),
		embedFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "faqbot_embedding_failures_total",
			Help: "Embedding requests that failed (after retries).",
		}),
		platformErrs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "faqbot_platform_api_errors_total",
			Help: "Failed calls to chat platform APIs, by platform (slack, teams) and call.",
		}, []string{"platform", "call"}),
		escalations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "faqbot_escalations_total",
			Help: "Escalations handed to people, by destination, reason and result (ok, error).",
		}, []string{"destination", "reason", "result"}),
		refreshes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "faqbot_refreshes_total",
			Help: "Corpus loads and refreshes, by result (ok, error).",
		}, []string{"result"}),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "faqbot_http_requests_total",
			Help: "HTTP requests served, by route pattern and status code.",
		}, []string{"route", "code"}),
		httpSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "faqbot_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, by route pattern.",
			Buckets: answerBuckets,
		}, []string{"route"}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.questions, m.answerSeconds,
		m.llmCalls, m.llmFailures, m.llmFallbacks, m.llmDropped, m.embedCalls, m.embedFailures,
		m.platformErrs, m.escalations, m.refreshes,
		m.httpRequests, m.httpSeconds,
	)
	return m
}

// ModelFallback counts a model answer the bot did not use
// (bot.Options.OnModelFallback).
func (m *Metrics) ModelFallback(reason string) {
	if m == nil {
		return
	}
	m.llmFallbacks.WithLabelValues(reason).Inc()
}

// UngroundedSentences counts sentences of a model's answer that were
// dropped (bot.Options.OnUngroundedSentences).
func (m *Metrics) UngroundedSentences(n int) {
	if m == nil {
		return
	}
	m.llmDropped.Add(float64(n))
}

// Handler serves the metrics in the Prometheus exposition format; nil
// metrics serve an empty page.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return promhttp.HandlerFor(prometheus.NewRegistry(), promhttp.HandlerOpts{})
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Question records one answered (or failed) question.
func (m *Metrics) Question(transport, outcome, reason string, took time.Duration) {
	if m == nil {
		return
	}
	if transport == "" {
		transport = "unknown"
	}
	m.questions.WithLabelValues(transport, outcome, reason).Inc()
	m.answerSeconds.WithLabelValues(transport).Observe(took.Seconds())
}

// LLMCall records one chat completion request; err is its final error.
func (m *Metrics) LLMCall(err error) {
	if m == nil {
		return
	}
	m.llmCalls.Inc()
	if err != nil {
		m.llmFailures.Inc()
	}
}

// EmbeddingCall records one embeddings request; err is its final error.
func (m *Metrics) EmbeddingCall(err error) {
	if m == nil {
		return
	}
	m.embedCalls.Inc()
	if err != nil {
		m.embedFailures.Inc()
	}
}

// PlatformAPIError records a failed chat platform call, such as
// ("slack", "chat.postMessage") or ("teams", "workflow webhook").
func (m *Metrics) PlatformAPIError(platform, call string) {
	if m == nil {
		return
	}
	m.platformErrs.WithLabelValues(platform, call).Inc()
}

// Escalation records an escalation handed to destination ("slack",
// "teams"); err is whether posting it failed.
func (m *Metrics) Escalation(destination, reason string, err error) {
	if m == nil {
		return
	}
	m.escalations.WithLabelValues(destination, reason, result(err)).Inc()
}

// Refresh records a corpus load or refresh.
func (m *Metrics) Refresh(err error) {
	if m == nil {
		return
	}
	m.refreshes.WithLabelValues(result(err)).Inc()
}

// HTTPRequest records a served request. route is the mux pattern that
// matched ("" for none), which keeps the label's values few.
func (m *Metrics) HTTPRequest(route string, status int, took time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	m.httpRequests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.httpSeconds.WithLabelValues(route).Observe(took.Seconds())
}

func result(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}
