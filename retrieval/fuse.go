package retrieval

import (
	"math"
	"sort"
)

// fuse blends min-max normalised lexical and dense section scores and keeps
// the best k sections.
func (ix *Index) fuse(cands *candidates, plan *queryPlan, k int, asks AnswerTypes) []Result {
	lex, qlex := scale{fromZero: true}, scale{fromZero: true}
	var dense, qdense scale
	ranked := make([]*candidate, 0, len(cands.list))
	for i := range cands.list {
		c := &cands.list[i]
		ranked = append(ranked, c)
		lex.see(c.lexical)
		dense.see(c.dense)
		qlex.see(c.qlexical)
		qdense.see(c.qdense)
	}
	blend := func(l, d float64) float64 {
		return lexicalShare*lex.norm(l) + denseShare*dense.norm(d)
	}
	qshare := 0.0
	if qlex.max > 0 || qdense.max > 0 {
		qshare = questionShare
	}
	for _, c := range ranked {
		c.score = (1-qshare)*blend(c.lexical, c.dense) +
			qshare*(lexicalShare*qlex.norm(c.qlexical)+denseShare*qdense.norm(c.qdense))
		if asks.Has(TimeAnswer) {
			c.timeMatch = ix.timeMatch(c, asks)
			c.score *= 1 + temporalBoost*c.timeMatch
		}
	}
	// Score, then section: a total order, whatever order the candidates
	// were found in.
	sort.Slice(ranked, func(i, j int) bool {
		a, b := ranked[i], ranked[j]
		if a.score != b.score {
			return a.score > b.score
		}
		return a.section < b.section
	})
	if len(ranked) > k {
		ranked = ranked[:k]
	}
	results := make([]Result, len(ranked))
	for i, c := range ranked {
		results[i] = ix.result(c, plan, &cands.noneTop, blend)
	}
	return results
}

// scale normalises one side's scores within a ranking; zero means the side
// did not find the candidate. Lexical scores are BM25 sums that start at
// zero (fromZero: divided by the best); dense ones are cosines where the
// weakest candidate is the floor (min-max).
type scale struct {
	min, max float64
	fromZero bool
}

func (s *scale) see(x float64) {
	if x == 0 {
		return
	}
	if s.max == 0 || x > s.max {
		s.max = x
	}
	if s.min == 0 || x < s.min {
		s.min = x
	}
}

func (s scale) norm(x float64) float64 {
	switch {
	case x == 0 || s.max == 0:
		return 0
	case s.fromZero:
		return x / s.max
	case s.max > s.min:
		return (x - s.min) / (s.max - s.min)
	}
	return 1
}

// result describes one ranked section with its matching passages, best
// first. noneTop are the overlaps of the unanswered questions that
// resemble no section, for its vote.
func (ix *Index) result(c *candidate, plan *queryPlan, noneTop *topShares, blend func(lex, dense float64) float64) Result {
	r := Result{
		Section:   ix.sections[c.section],
		Score:     c.score,
		Lexical:   c.lexical,
		Dense:     c.dense,
		QLexical:  c.qlexical,
		QDense:    c.qdense,
		QOverlap:  c.qoverlap,
		TimeMatch: c.timeMatch,
		Vote:      vote(c.answeredTop.values(), c.unansweredTop.values(), noneTop.values()),
		Coverage:  ix.coverage(plan.terms, c.section),
		Support:   ix.support(plan, c.section),
	}
	r.Confidence = confidence(r.Coverage, c.dense, ix.collection != nil)
	if len(c.hits) > 0 {
		r.Passages = make([]Hit, 0, len(c.hits))
	}
	for _, h := range c.hits {
		r.Passages = append(r.Passages, Hit{Passage: ix.passages[h.passage], Score: blend(h.lexical, h.dense)})
	}
	sort.Slice(r.Passages, func(a, b int) bool {
		pa, pb := r.Passages[a], r.Passages[b]
		if pa.Score != pb.Score {
			return pa.Score > pb.Score
		}
		return pa.Passage.Index < pb.Passage.Index
	})
	return r
}

// timeMatch is how well a candidate's matching passages answer a time
// question: 1 for an absolute date, or a span when a span is asked; half
// for a span when a date is asked ("a few months after" answers "when?"
// only relative to something); 0 for no time at all.
func (ix *Index) timeMatch(c *candidate, asks AnswerTypes) float64 {
	best := 0.0
	for _, h := range c.hits {
		p := h.passage
		switch {
		case ix.absolute[p], ix.dated[p] && asks.Has(DurationAnswer):
			return 1
		case ix.dated[p]:
			best = 0.5
		}
	}
	return best
}

// coverage is the IDF-weighted share of the question's words found in a
// section. Words the corpus has never seen weigh the most, which is what
// makes "What is the capital of France?" score near zero everywhere.
func (ix *Index) coverage(q []queryTerm, section int32) float64 {
	span := ix.sectionSpan[section]
	// By question word, summed in the question's order: its IDF, and its
	// credit in this section.
	weight, found := make([]float64, wordCount(q)), make([]float64, wordCount(q))
	for _, t := range q {
		if t.pair {
			continue
		}
		weight[t.word] = math.Max(weight[t.word], t.idf)
		if occursIn(t.ps, span[0], span[1]) {
			found[t.word] = math.Max(found[t.word], t.weight)
		}
	}
	var have, total float64
	for w, idf := range weight {
		total += idf
		have += idf * found[w]
	}
	if total == 0 {
		return 0
	}
	return have / total
}

// confidence blends lexical coverage and dense similarity: coverage alone is
// fooled by one shared rare stem ("capital" in "capitalize"), similarity alone
// by shared boilerplate. Without vectors coverage stands alone.
func confidence(coverage, dense float64, haveDense bool) float64 {
	if !haveDense {
		return coverage
	}
	return 0.5*coverage + 0.5*min(1, max(0, dense)/denseRef)
}
