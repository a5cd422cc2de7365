package eval

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/retrieval"
)

// Bot is what an evaluation drives (bot.Bot in production).
type Bot interface {
	bot.Asker
	Retrieve(ctx context.Context, q bot.Question, mode retrieval.Mode) (bot.Retrieval, error)
}

// Report is the outcome of evaluating one question file.
type Report struct {
	// Name is the file's name, as the report shows it.
	Name      string `json:"name"`
	Questions int    `json:"questions"`
	// Cited scores the sections the answers cite, in citation order: what
	// a reader sees, and what held-out sets are scored on.
	Cited CitedMetrics `json:"cited"`
	// Rankings score the retrieval rankings behind the answers, fused and
	// each side alone, so that every change shows what fusion adds.
	Rankings   []RankingMetrics  `json:"rankings"`
	Escalation EscalationMetrics `json:"escalation"`
	Abstention AbstentionMetrics `json:"abstention"`
	// Tradeoff is the abstention trade-off over the answers' confidence:
	// what each threshold would answer and decline.
	Tradeoff []TradeoffPoint `json:"tradeoff"`
	Latency  LatencyMetrics  `json:"latency"`
	Misses   []Miss          `json:"misses"`
}

// CitedMetrics score answers' citations over answerable rows.
type CitedMetrics struct {
	N       int     `json:"n"`
	Recall1 float64 `json:"recall_at_1"`
	Recall3 float64 `json:"recall_at_3"`
	MRR     float64 `json:"mrr"`
}

// RankingMetrics score one ranking method over answerable questions.
type RankingMetrics struct {
	Method  string  `json:"method"`
	N       int     `json:"n"`
	Recall1 float64 `json:"recall_at_1"`
	Recall3 float64 `json:"recall_at_3"`
	MRR     float64 `json:"mrr"`
}

// EscalationMetrics score the escalation decision over rows not marked any.
type EscalationMetrics struct {
	N         int     `json:"n"`
	TP        int     `json:"true_positives"`
	FP        int     `json:"false_positives"`
	FN        int     `json:"false_negatives"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
}

// AbstentionMetrics put the two sides of abstaining next to each other:
// declining what the FAQ cannot answer (Accuracy, over rows answerable=no)
// and answering what it can (AnswerRate, over rows answerable=yes).
type AbstentionMetrics struct {
	N                int     `json:"n"`
	Accuracy         float64 `json:"accuracy"`
	AnswerableN      int     `json:"answerable_n"`
	AnswerRate       float64 `json:"answer_rate"`
	FalseAbstentions int     `json:"false_abstentions"`
}

// TradeoffPoint is what answering only at Confidence >= Threshold would
// give: the answer rate on answerable rows and the abstention accuracy on
// unanswerable ones.
type TradeoffPoint struct {
	Threshold  float64 `json:"threshold"`
	AnswerRate float64 `json:"answer_rate"`
	Accuracy   float64 `json:"abstention_accuracy"`
}

// LatencyMetrics are per-question Ask latencies.
type LatencyMetrics struct {
	P50 time.Duration `json:"p50_ns"`
	P95 time.Duration `json:"p95_ns"`
	Max time.Duration `json:"max_ns"`
}

// Miss is a question the bot got wrong, and how.
type Miss struct {
	ID       string   `json:"id"`
	Question string   `json:"question"`
	Problem  string   `json:"problem"`
	Got      []string `json:"got,omitempty"`
}

// Methods are the rankings every evaluation compares.
var Methods = []retrieval.Mode{retrieval.Fused, retrieval.LexicalOnly, retrieval.DenseOnly}

// tradeoffThresholds are the confidence thresholds the trade-off shows.
var tradeoffThresholds = []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}

// Run asks every question and scores the answers and rankings.
func Run(ctx context.Context, b Bot, name string, cases []Case) (Report, error) {
	rep := Report{Name: name, Questions: len(cases), Misses: []Miss{}}
	for _, m := range Methods {
		rm, err := scoreRanking(ctx, b, cases, m)
		if err != nil {
			return rep, err
		}
		rep.Rankings = append(rep.Rankings, rm)
	}
	var latencies []time.Duration
	var scored []scoredAnswer
	for _, c := range cases {
		start := time.Now()
		a, err := b.Ask(ctx, bot.Question{Text: c.Question, Transport: "eval"})
		if err != nil {
			return rep, fmt.Errorf("ask %s: %w", c.ID, err)
		}
		latencies = append(latencies, time.Since(start))
		rep.score(c, a)
		scored = append(scored, scoredAnswer{c.Answerable, a.Confidence})
	}
	rep.Cited.finish()
	rep.Escalation.finish()
	rep.Abstention.finish()
	rep.Tradeoff = tradeoff(scored)
	rep.Latency = latency(latencies)
	return rep, nil
}

type scoredAnswer struct {
	answerable Label
	confidence float64
}

func (rep *Report) score(c Case, a bot.Answer) {
	cited := make([]string, len(a.Citations))
	for i, ct := range a.Citations {
		cited[i] = ct.Anchor
	}
	if c.Answerable == Yes && len(c.Expected) > 0 {
		rank := rankOf(cited, c.Expected)
		rep.Cited.add(rank)
		if rank != 1 {
			rep.miss(c, fmt.Sprintf("cited the expected section at rank %d", rank), cited)
		}
	}
	if c.Escalate != Any {
		e := &rep.Escalation
		e.N++
		switch want := c.Escalate == Yes; {
		case want && a.Escalate:
			e.TP++
		case !want && a.Escalate:
			e.FP++
			rep.miss(c, "escalated ("+string(a.EscalationReason)+") but should not be", nil)
		case want && !a.Escalate:
			e.FN++
			rep.miss(c, "not escalated", nil)
		}
	}
	switch c.Answerable {
	case No:
		rep.Abstention.N++
		if !a.Answered {
			rep.Abstention.Accuracy++
		} else {
			rep.miss(c, fmt.Sprintf("answered (confidence %.2f) but the FAQ cannot answer it", a.Confidence), cited)
		}
	case Yes:
		rep.Abstention.AnswerableN++
		if a.Answered {
			rep.Abstention.AnswerRate++
		} else {
			rep.Abstention.FalseAbstentions++
			rep.miss(c, fmt.Sprintf("declined (confidence %.2f) although the FAQ answers it", a.Confidence), cited)
		}
	}
}

func (rep *Report) miss(c Case, problem string, got []string) {
	rep.Misses = append(rep.Misses, Miss{ID: c.ID, Question: c.Question, Problem: problem, Got: got[:min(3, len(got))]})
}

// rankOf is the 1-based position of the first expected anchor in got, or 0.
func rankOf(got, expected []string) int {
	for i, a := range got {
		if slices.Contains(expected, a) {
			return i + 1
		}
	}
	return 0
}

func (m *CitedMetrics) add(rank int) {
	m.N++
	if rank == 1 {
		m.Recall1++
	}
	if rank >= 1 && rank <= 3 {
		m.Recall3++
	}
	if rank > 0 {
		m.MRR += 1 / float64(rank)
	}
}

func (m *CitedMetrics) finish() {
	if m.N > 0 {
		m.Recall1 /= float64(m.N)
		m.Recall3 /= float64(m.N)
		m.MRR /= float64(m.N)
	}
}

func (e *EscalationMetrics) finish() {
	if e.TP+e.FP > 0 {
		e.Precision = float64(e.TP) / float64(e.TP+e.FP)
	} else {
		e.Precision = 1 // nothing escalated, nothing escalated wrongly
	}
	if e.TP+e.FN > 0 {
		e.Recall = float64(e.TP) / float64(e.TP+e.FN)
	} else {
		e.Recall = 1
	}
}

func (a *AbstentionMetrics) finish() {
	if a.N > 0 {
		a.Accuracy /= float64(a.N)
	}
	if a.AnswerableN > 0 {
		a.AnswerRate /= float64(a.AnswerableN)
	}
}

// tradeoff shows, per threshold, the answer rate and abstention accuracy
// the answers' confidence would give.
func tradeoff(answers []scoredAnswer) []TradeoffPoint {
	var out []TradeoffPoint
	for _, t := range tradeoffThresholds {
		p := TradeoffPoint{Threshold: t}
		var yes, no int
		for _, a := range answers {
			switch a.answerable {
			case Yes:
				yes++
				if a.confidence >= t {
					p.AnswerRate++
				}
			case No:
				no++
				if a.confidence < t {
					p.Accuracy++
				}
			}
		}
		if yes > 0 {
			p.AnswerRate /= float64(yes)
		}
		if no > 0 {
			p.Accuracy /= float64(no)
		}
		out = append(out, p)
	}
	return out
}

func scoreRanking(ctx context.Context, b Bot, cases []Case, m retrieval.Mode) (RankingMetrics, error) {
	var cm CitedMetrics
	for _, c := range cases {
		if c.Answerable != Yes || len(c.Expected) == 0 {
			continue
		}
		r, err := b.Retrieve(ctx, bot.Question{Text: c.Question, Transport: "eval"}, m)
		if err != nil {
			return RankingMetrics{}, fmt.Errorf("retrieve %s: %w", c.ID, err)
		}
		got := make([]string, len(r.Ranking.Results))
		for i, res := range r.Ranking.Results {
			got[i] = res.Section.Anchor
		}
		cm.add(rankOf(got, c.Expected))
	}
	cm.finish()
	return RankingMetrics{Method: m.String(), N: cm.N, Recall1: cm.Recall1, Recall3: cm.Recall3, MRR: cm.MRR}, nil
}

func latency(ds []time.Duration) LatencyMetrics {
	if len(ds) == 0 {
		return LatencyMetrics{}
	}
	sorted := slices.Clone(ds)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	at := func(p float64) time.Duration {
		return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
	}
	return LatencyMetrics{P50: at(0.5), P95: at(0.95), Max: sorted[len(sorted)-1]}
}
