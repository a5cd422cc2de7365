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

// Report is the outcome of an evaluation.
type Report struct {
	Questions  int               `json:"questions"`
	Rankings   []RankingMetrics  `json:"rankings"`
	Escalation EscalationMetrics `json:"escalation"`
	Abstention AbstentionMetrics `json:"abstention"`
	Latency    LatencyMetrics    `json:"latency"`
	Misses     []Miss            `json:"misses"`
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

// AbstentionMetrics score answered=false on unanswerable rows, and count
// answerable rows the bot wrongly declined.
type AbstentionMetrics struct {
	N                int     `json:"n"`
	Accuracy         float64 `json:"accuracy"`
	AnswerableN      int     `json:"answerable_n"`
	FalseAbstentions int     `json:"false_abstentions"`
}

// LatencyMetrics are per-question Ask latencies.
type LatencyMetrics struct {
	P50 time.Duration `json:"p50_ns"`
	P95 time.Duration `json:"p95_ns"`
	Max time.Duration `json:"max_ns"`
}

// Miss is a question the fused method or the policy got wrong.
type Miss struct {
	ID       string   `json:"id"`
	Question string   `json:"question"`
	Problem  string   `json:"problem"`
	Got      []string `json:"got,omitempty"`
}

// Methods are the rankings every evaluation compares, so each change shows
// what fusion adds over its parts.
var Methods = []retrieval.Mode{retrieval.Fused, retrieval.LexicalOnly, retrieval.DenseOnly}

// Run asks every question and scores the answers and rankings.
func Run(ctx context.Context, b Bot, cases []Case) (Report, error) {
	rep := Report{Questions: len(cases), Misses: []Miss{}}
	for _, m := range Methods {
		rm, misses, err := scoreRanking(ctx, b, cases, m)
		if err != nil {
			return rep, err
		}
		rep.Rankings = append(rep.Rankings, rm)
		if m == retrieval.Fused {
			rep.Misses = append(rep.Misses, misses...)
		}
	}
	var latencies []time.Duration
	for _, c := range cases {
		start := time.Now()
		a, err := b.Ask(ctx, bot.Question{Text: c.Question, Transport: "eval"})
		if err != nil {
			return rep, fmt.Errorf("ask %s: %w", c.ID, err)
		}
		latencies = append(latencies, time.Since(start))
		rep.score(c, a)
	}
	rep.Escalation.finish()
	if rep.Abstention.N > 0 {
		rep.Abstention.Accuracy /= float64(rep.Abstention.N)
	}
	rep.Latency = latency(latencies)
	return rep, nil
}

func (rep *Report) score(c Case, a bot.Answer) {
	if c.Escalate != Any {
		e := &rep.Escalation
		e.N++
		switch want := c.Escalate == Yes; {
		case want && a.Escalate:
			e.TP++
		case !want && a.Escalate:
			e.FP++
			rep.Misses = append(rep.Misses, Miss{ID: c.ID, Question: c.Question, Problem: "escalated (" + string(a.EscalationReason) + ") but should not be"})
		case want && !a.Escalate:
			e.FN++
			rep.Misses = append(rep.Misses, Miss{ID: c.ID, Question: c.Question, Problem: "not escalated"})
		}
	}
	switch c.Answerable {
	case No:
		rep.Abstention.N++
		if !a.Answered {
			rep.Abstention.Accuracy++
		} else {
			rep.Misses = append(rep.Misses, Miss{ID: c.ID, Question: c.Question, Problem: "answered but the FAQ cannot answer it"})
		}
	case Yes:
		rep.Abstention.AnswerableN++
		if !a.Answered {
			rep.Abstention.FalseAbstentions++
			rep.Misses = append(rep.Misses, Miss{ID: c.ID, Question: c.Question, Problem: "abstained on an answerable question"})
		}
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

func scoreRanking(ctx context.Context, b Bot, cases []Case, m retrieval.Mode) (RankingMetrics, []Miss, error) {
	rm := RankingMetrics{Method: m.String()}
	var misses []Miss
	for _, c := range cases {
		if c.Answerable != Yes || len(c.Expected) == 0 {
			continue
		}
		r, err := b.Retrieve(ctx, bot.Question{Text: c.Question, Transport: "eval"}, m)
		if err != nil {
			return rm, nil, fmt.Errorf("retrieve %s: %w", c.ID, err)
		}
		var got []string
		rank := 0
		for i, res := range r.Ranking.Results {
			got = append(got, res.Section.Anchor)
			if rank == 0 && slices.Contains(c.Expected, res.Section.Anchor) {
				rank = i + 1
			}
		}
		rm.N++
		if rank == 1 {
			rm.Recall1++
		}
		if rank >= 1 && rank <= 3 {
			rm.Recall3++
		}
		if rank > 0 {
			rm.MRR += 1 / float64(rank)
		}
		if rank != 1 {
			misses = append(misses, Miss{ID: c.ID, Question: c.Question, Problem: fmt.Sprintf("expected section at rank %d", rank), Got: got[:min(3, len(got))]})
		}
	}
	if rm.N > 0 {
		rm.Recall1 /= float64(rm.N)
		rm.Recall3 /= float64(rm.N)
		rm.MRR /= float64(rm.N)
	}
	return rm, misses, nil
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
