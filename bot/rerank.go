package bot

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/faqbot/faqbot/internal/logreg"
	"github.com/faqbot/faqbot/retrieval"
)

// Retrieval's fused score ranks sections by fixed shares of its signals.
// A small learned model reorders its first candidates by the same signals
// and the answerability ones (how much of the question each covers), which
// weigh differently for different wordings: trained on the tuning part of
// the labelled questions by `go generate ./bot`, like the answerability
// model.

// RankFeatures names the signals RankSignals returns, in order.
var RankFeatures = []string{
	"fused", "lexical", "dense", "question_lexical", "question_dense", "question_overlap",
	"coverage", "uncovered_share", "passage_uncovered_share", "named_uncovered", "time_match",
}

// RerankDepth is how many of retrieval's sections are reordered.
const RerankDepth = 6

//go:embed rerank.json
var rerankJSON []byte

func loadReranker() (*logreg.Model, error) {
	var m logreg.Model
	if err := json.Unmarshal(rerankJSON, &m); err != nil {
		return nil, fmt.Errorf("read rerank model: %w", err)
	}
	if err := m.Check(RankFeatures); err != nil {
		return nil, fmt.Errorf("rerank model out of date (run go generate ./bot): %w", err)
	}
	return &m, nil
}

// RankSignals returns the signals of the i-th result of a ranking, each
// relative to the ranking's best where raw scores are not comparable
// across questions.
func RankSignals(rank retrieval.Ranking, i int) []float64 {
	rs := rank.Results
	r := rs[i]
	var maxFused, maxLex, maxQLex float64
	for _, x := range rs {
		maxFused = max(maxFused, x.Score)
		maxLex = max(maxLex, x.Lexical)
		maxQLex = max(maxQLex, x.QLexical)
	}
	ratio := func(x, m float64) float64 {
		if m == 0 {
			return 0
		}
		return x / m
	}
	s := r.Support
	share, passageShare := 0.0, 0.0
	if s.Specific > 0 {
		share = s.Uncovered / s.Specific
		passageShare = s.PassageUncovered / s.Specific
	}
	return []float64{
		ratio(r.Score, maxFused), ratio(r.Lexical, maxLex), r.Dense, ratio(r.QLexical, maxQLex), r.QDense, r.QOverlap,
		r.Coverage, share, passageShare, float64(s.NamedUncovered), timeMatch(rank, r),
	}
}

// timeMatch is a result's TimeMatch for a question asking a time, and 1
// for other questions (all sections equal).
func timeMatch(rank retrieval.Ranking, r retrieval.Result) float64 {
	if !rank.Asks.Has(retrieval.TimeAnswer) {
		return 1
	}
	return r.TimeMatch
}

// rerank reorders the first RerankDepth results by the model's score.
func (b *Bot) rerank(rank *retrieval.Ranking) {
	n := min(RerankDepth, len(rank.Results))
	if n < 2 || b.ranker == nil {
		return
	}
	scores := make(map[string]float64, n)
	for i := range n {
		scores[rank.Results[i].Section.Key()] = b.ranker.Predict(RankSignals(*rank, i))
	}
	head := rank.Results[:n]
	sort.SliceStable(head, func(a, c int) bool {
		return scores[head[a].Section.Key()] > scores[head[c].Section.Key()]
	})
}
