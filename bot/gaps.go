package bot

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/faqbot/faqbot/retrieval"
)

// Coverage gaps: the questions the FAQ did not serve (the bot abstained,
// or someone marked the answer not helpful), grouped by meaning with the
// retrieval embedder, so that support leads see what the FAQ is missing.

// GapQuestion is one question the FAQ did not serve.
type GapQuestion struct {
	ExchangeID string
	Time       time.Time
	Question   string
	// Abstained: the bot said the FAQ does not cover it. NotHelpful:
	// someone marked the answer not helpful.
	Abstained  bool
	NotHelpful bool
	// Nearest is the first section the answer cited (the nearest one when
	// the bot abstained); empty when it cited none.
	Nearest SectionRef
	// HumanAnswer is what a person answered when it was escalated and
	// resolved.
	HumanAnswer string
}

// SectionRef names a section of a corpus document.
type SectionRef struct {
	Anchor   string `json:"anchor"`
	Title    string `json:"title"`
	Document string `json:"document"`
}

// GapSource lists the questions of a period the FAQ did not serve,
// newest first, at most limit.
type GapSource interface {
	GapQuestions(ctx context.Context, p Period, limit int) ([]GapQuestion, error)
}

// Gap is a kind of question the FAQ does not answer: a group of similar
// questions.
type Gap struct {
	// ID names the group for FAQ drafts: the exchange ID of its first
	// question.
	ID string `json:"id"`
	// Question is the group's most typical question.
	Question   string `json:"question"`
	Count      int    `json:"count"`
	Abstained  int    `json:"abstained"`
	NotHelpful int    `json:"not_helpful"`
	// Examples are different wordings from the group, newest first.
	Examples []string `json:"examples"`
	// Nearest is the section its questions were most often pointed to.
	Nearest *SectionRef `json:"nearest_section,omitempty"`
	// HumanAnswers are people's answers to questions of the group.
	HumanAnswers []string  `json:"human_answers,omitempty"`
	LastAsked    time.Time `json:"last_asked"`
}

// Bounds of the gap list.
const (
	// MaxGapQuestions bounds the questions grouped per report.
	MaxGapQuestions = 2000
	// MaxGaps bounds the groups listed, the largest first.
	MaxGaps = 25
	// maxGapExamples bounds a group's examples and human answers.
	maxGapExamples = 5
)

// GapThreshold is how similar (cosine) a question must be to a group's
// centre to join it. The local hashing embedder scores paraphrases
// lower than neural models do (0.4 to 0.9 against under 0.1 for unrelated
// questions); neural models score unrelated questions of one domain
// around 0.3 to 0.5.
func GapThreshold(embedder string) float64 {
	if strings.HasPrefix(embedder, "local-") {
		return 0.35
	}
	return 0.6
}

// GroupGaps groups questions by similarity of their embeddings: each
// joins the most similar group if its centre is close enough, else starts
// one. Questions are taken oldest first, so that groups are stable as new
// questions arrive. It returns at most MaxGaps groups, the largest first.
func GroupGaps(ctx context.Context, emb retrieval.Embedder, qs []GapQuestion, threshold float64) ([]Gap, error) {
	qs = append([]GapQuestion(nil), qs...)
	sort.SliceStable(qs, func(i, j int) bool {
		if !qs[i].Time.Equal(qs[j].Time) {
			return qs[i].Time.Before(qs[j].Time)
		}
		return qs[i].ExchangeID < qs[j].ExchangeID
	})
	texts := make([]string, len(qs))
	for i, q := range qs {
		texts[i] = strings.ToLower(strings.Join(strings.Fields(q.Question), " "))
	}
	vecs, err := emb.Embed(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("group gaps: embed: %w", err)
	}
	if len(vecs) != len(qs) {
		return nil, fmt.Errorf("group gaps: embedder returned %d vectors for %d questions", len(vecs), len(qs))
	}
	type group struct {
		sum     []float64
		members []int
	}
	var groups []*group
	for i, v := range vecs {
		best, bestSim := -1, threshold
		for g, gr := range groups {
			if s := cosine(gr.sum, v); s >= bestSim {
				best, bestSim = g, s
			}
		}
		if best < 0 {
			groups = append(groups, &group{sum: make([]float64, len(v))})
			best = len(groups) - 1
		}
		gr := groups[best]
		gr.members = append(gr.members, i)
		for k, x := range v {
			if k < len(gr.sum) {
				gr.sum[k] += float64(x)
			}
		}
	}
	out := make([]Gap, 0, len(groups))
	for _, gr := range groups {
		members := make([]GapQuestion, len(gr.members))
		centrality := make([]float64, len(gr.members))
		for k, i := range gr.members {
			members[k], centrality[k] = qs[i], cosine(gr.sum, vecs[i])
		}
		out = append(out, gapOf(members, centrality))
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].LastAsked.After(out[j].LastAsked)
	})
	if len(out) > MaxGaps {
		out = out[:MaxGaps]
	}
	return out, nil
}

// gapOf describes a group whose members are oldest first.
func gapOf(members []GapQuestion, centrality []float64) Gap {
	g := Gap{ID: members[0].ExchangeID, Count: len(members), Examples: []string{}}
	central := 0
	sections := map[SectionRef]int{}
	var nearest SectionRef
	seen := map[string]bool{}
	for k := len(members) - 1; k >= 0; k-- { // newest first
		m := members[k]
		if m.Abstained {
			g.Abstained++
		}
		if m.NotHelpful {
			g.NotHelpful++
		}
		if m.Time.After(g.LastAsked) {
			g.LastAsked = m.Time
		}
		if centrality[k] > centrality[central] {
			central = k
		}
		key := strings.ToLower(strings.TrimSpace(m.Question))
		if !seen[key] && len(g.Examples) < maxGapExamples {
			seen[key] = true
			g.Examples = append(g.Examples, m.Question)
		}
		if a := strings.TrimSpace(m.HumanAnswer); a != "" && len(g.HumanAnswers) < maxGapExamples {
			g.HumanAnswers = append(g.HumanAnswers, a)
		}
		if m.Nearest.Anchor != "" {
			sections[m.Nearest]++
			// The most cited wins; among equals, the most recent.
			if sections[m.Nearest] > sections[nearest] {
				nearest = m.Nearest
			}
		}
	}
	g.Question = members[central].Question
	if nearest.Anchor != "" {
		g.Nearest = &nearest
	}
	return g
}

// cosine is the cosine similarity of a sum of vectors and a vector.
func cosine(sum []float64, v []float32) float64 {
	var dot, ns, nv float64
	for k, x := range v {
		if k >= len(sum) {
			break
		}
		dot += sum[k] * float64(x)
		ns += sum[k] * sum[k]
		nv += float64(x) * float64(x)
	}
	if ns == 0 || nv == 0 {
		return 0
	}
	return dot / math.Sqrt(ns*nv)
}

// GapReports adds coverage gaps to the statistics of Reports: the one
// place both GET /admin/api/stats and `faqbot report` compute them.
// Embeddings are cached by text, so that a dashboard reloaded every
// minute does not embed the same questions through a paid API each time.
// When embedding fails the statistics come without gaps, and the error is
// logged by the caller's logger.
type GapReports struct {
	Reports
	Source   GapSource
	Embedder retrieval.Embedder
	// Threshold is the similarity a group needs (GapThreshold of the
	// embedder when zero).
	Threshold float64
	// OnError, when set, is told why gaps could not be computed.
	OnError func(error)

	cache *vectorCache
}

// NewGapReports returns r with gaps from src grouped with emb.
func NewGapReports(r Reports, src GapSource, emb retrieval.Embedder, onError func(error)) *GapReports {
	return &GapReports{Reports: r, Source: src, Embedder: emb, OnError: onError, cache: newVectorCache(emb)}
}

// Stats implements Reports.
func (g *GapReports) Stats(ctx context.Context, p Period) (Stats, error) {
	st, err := g.Reports.Stats(ctx, p)
	if err != nil {
		return st, err
	}
	gaps, err := g.Gaps(ctx, p)
	if err != nil {
		if g.OnError != nil {
			g.OnError(err)
		}
		return st, nil
	}
	st.Gaps = gaps
	return st, nil
}

// Gaps groups the gap questions of p.
func (g *GapReports) Gaps(ctx context.Context, p Period) ([]Gap, error) {
	qs, err := g.Source.GapQuestions(ctx, p, MaxGapQuestions)
	if err != nil {
		return nil, fmt.Errorf("gaps: %w", err)
	}
	if len(qs) == 0 {
		return []Gap{}, nil
	}
	th := g.Threshold
	if th == 0 {
		th = GapThreshold(g.Embedder.Name())
	}
	emb := retrieval.Embedder(g.cache)
	if g.cache == nil {
		emb = g.Embedder
	}
	return GroupGaps(ctx, emb, qs, th)
}

// vectorCache remembers an embedder's vectors by text, up to a bound,
// after which it starts afresh.
type vectorCache struct {
	next retrieval.Embedder
	mu   sync.Mutex
	vecs map[string][]float32
}

// maxCachedVectors bounds the cache: a few megabytes of vectors.
const maxCachedVectors = 4 * MaxGapQuestions

func newVectorCache(next retrieval.Embedder) *vectorCache {
	return &vectorCache{next: next, vecs: map[string][]float32{}}
}

func (c *vectorCache) Name() string { return c.next.Name() }

func (c *vectorCache) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var missing []string
	var at []int
	c.mu.Lock()
	for i, t := range texts {
		if v, ok := c.vecs[t]; ok {
			out[i] = v
		} else {
			missing = append(missing, t)
			at = append(at, i)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	vecs, err := c.next.Embed(ctx, missing)
	if err != nil {
		return nil, err
	}
	if len(vecs) != len(missing) {
		return nil, fmt.Errorf("embedder returned %d vectors for %d texts", len(vecs), len(missing))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.vecs)+len(missing) > maxCachedVectors {
		c.vecs = map[string][]float32{}
	}
	for k, i := range at {
		out[i] = vecs[k]
		c.vecs[missing[k]] = vecs[k]
	}
	return out, nil
}
