package retrieval

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"unicode"

	"github.com/faqbot/faqbot/corpus"
	"github.com/philippgille/chromem-go"
)

// Mode selects the ranking: both fused (the default), or one alone for
// comparison in evaluations.
type Mode int

const (
	Fused Mode = iota
	LexicalOnly
	DenseOnly
)

func (m Mode) String() string {
	switch m {
	case LexicalOnly:
		return "lexical"
	case DenseOnly:
		return "dense"
	}
	return "fused"
}

// Fusion weights for the min-max normalised lexical and dense scores of
// passages and of the questions sections answer. The lexical side is exact
// and precise, the dense side tolerant of wording; questions meet people's
// wording where the FAQ's own text does not.
const (
	lexicalShare  = 0.6
	denseShare    = 0.4
	questionShare = 0.5 // of the whole, taken from both passage sides alike
	// denseRef is the cosine similarity at which the dense side counts as
	// fully confident: related passages score about this with the local
	// embedder and with OpenAI's text-embedding-3 models.
	denseRef = 0.4
	// denseDepth is how many passages the dense side ranks per result wanted.
	denseDepth = 8
	minDense   = 64
)

// temporalBoost raises passages that state a date or duration when the
// question asks when or how long: the expected answer type is a time.
const temporalBoost = 0.25

var (
	datePattern = regexp.MustCompile(`(?i)\b((january|february|march|april|may|june|july|august|september|october|november|december)( \d{1,2},)? \d{4}|\d+ (days?|weeks?|months?|years?)|(one|two|three|four|six) (days?|weeks?|months?|years?))\b`)
	whenWords   = map[string]bool{"when": true, "date": true, "deadline": true, "until": true, "wann": true, "cuándo": true, "quand": true, "quando": true}
)

// asksWhen reports a question whose answer is a time: "when …", "by what
// date …", "how long …".
func asksWhen(ws []string) bool {
	for i, w := range ws {
		if whenWords[w] || (w == "how" && i+1 < len(ws) && (ws[i+1] == "long" || ws[i+1] == "soon")) {
			return true
		}
	}
	return false
}

// Query is a search request.
type Query struct {
	Text string
	// K is the number of sections wanted (3 when zero).
	K    int
	Mode Mode
}

// Result is one section with the passages that matched, best first.
type Result struct {
	Section  *corpus.Section
	Passages []Hit
	// Score orders results; it is comparable only within one ranking.
	Score float64
	// Lexical is the best passage's BM25F score, Dense its cosine similarity.
	Lexical, Dense float64
	// QLexical and QDense are the same for the best of the questions the
	// section answers (zero without them).
	QLexical, QDense float64
	// Coverage is the IDF-weighted share of the question's words that occur in
	// the section (typo corrections and synonyms count a little less).
	Coverage float64
	// Confidence blends coverage with the dense similarity, in [0, 1]. Unlike
	// Score it is comparable across questions, so thresholds use it.
	Confidence float64
	// Support says how much of the question's specific content the section
	// covers: what decides whether it answers the question rather than
	// merely being the best there is.
	Support Support
}

// Support measures a section against the specific content of a question.
type Support struct {
	// Words counts the question's content words.
	Words int
	// Specific sums the words' specificity (0 for everyday words such as
	// "boss", 1 for words such as "webinar" or "api").
	Specific float64
	// Uncovered sums the specificity of the words the section does not
	// cover (in its text, its title or the questions it answers; typo
	// corrections and synonyms cover partly).
	Uncovered float64
	// MaxUncovered is the specificity of the most specific word the
	// section does not cover.
	MaxUncovered float64
	// PassageUncovered is Uncovered for the section's best single passage
	// (with the section's title), without the questions it answers.
	PassageUncovered float64
}

// Hit is a passage and its score within the ranking.
type Hit struct {
	Passage corpus.Passage
	Score   float64
}

// Ranking is the outcome of a search.
type Ranking struct {
	Results []Result
	// Version is the corpus version searched.
	Version string
	// Degraded says why the dense side did not take part, when it did not.
	Degraded error
}

type candidate struct {
	section        int32
	lexical, dense float64
	// qlexical and qdense are the best scores of the section's questions.
	qlexical, qdense float64
	hits             map[int32]*[2]float64 // passage -> lexical, dense
}

// Search ranks the index's sections for a question.
func (ix *Index) Search(ctx context.Context, q Query) (Ranking, error) {
	rank := Ranking{Version: ix.Version()}
	// A caller that has given up (a Teams reply past its deadline) must
	// not leave a search running: check before each costly step.
	if err := ctx.Err(); err != nil {
		return rank, fmt.Errorf("search: %w", err)
	}
	k := q.K
	if k <= 0 {
		k = 3
	}
	ws := words(q.Text)
	qtoks := contentTokens(ws)
	if len(qtoks) == 0 {
		return rank, nil
	}
	cands := map[int32]*candidate{}
	bySection := func(s int32) *candidate {
		c := cands[s]
		if c == nil {
			c = &candidate{section: s, hits: map[int32]*[2]float64{}}
			cands[s] = c
		}
		return c
	}
	get := func(p int32) *candidate {
		s := ix.sectionOf[p]
		c := cands[s]
		if c == nil {
			c = &candidate{section: s, hits: map[int32]*[2]float64{}}
			cands[s] = c
		}
		return c
	}
	hit := func(c *candidate, p int32) *[2]float64 {
		h := c.hits[p]
		if h == nil {
			h = new([2]float64)
			c.hits[p] = h
		}
		return h
	}

	syns := ix.thesaurus.expand(ws, qtoks)
	plan := queryPlan{words: qtoks, terms: ix.lex.expand(qtoks, syns)}
	if ix.qlex != nil {
		plan.questionTerms = ix.qlex.expand(qtoks, syns)
	}
	qterms := plan.terms
	temporal := asksWhen(ws)
	if q.Mode != DenseOnly {
		searchLexical(ix.lex, qterms, depth(k, len(ix.passages)), func(p int32, score float64) {
			c := get(p)
			hit(c, p)[0] = score
			c.lexical = math.Max(c.lexical, score)
		})
		if ix.qlex != nil {
			searchLexical(ix.qlex, plan.questionTerms, depth(k, len(ix.questions)), func(d int32, score float64) {
				c := bySection(ix.questionSection[d])
				c.qlexical = math.Max(c.qlexical, score)
			})
		}
	}
	if err := ctx.Err(); err != nil {
		return rank, fmt.Errorf("search: %w", err)
	}
	if q.Mode != LexicalOnly {
		err := ix.searchDense(ctx, q.Text, k,
			func(p int32, sim float64) {
				c := get(p)
				hit(c, p)[1] = sim
				c.dense = math.Max(c.dense, sim)
			},
			func(d int32, sim float64) {
				c := bySection(ix.questionSection[d])
				c.qdense = math.Max(c.qdense, sim)
			})
		if err != nil {
			if ctx.Err() != nil {
				return rank, fmt.Errorf("search: %w", ctx.Err())
			}
			rank.Degraded = err
		}
	}
	rank.Results = ix.fuse(cands, plan, k, temporal)
	return rank, nil
}

// searchLexical visits the best-scoring n documents of l. Only the best
// matter to fusion, and keeping a few hundred out of a hundred thousand
// touched passages is what keeps large corpora fast.
func searchLexical(l *lexical, q []queryTerm, n int, visit func(doc int32, score float64)) {
	buf := l.scratch.Get().(*[]float64)
	scores := *buf
	touched := l.score(q, scores)
	for _, p := range topN(touched, scores, n) {
		visit(p, scores[p])
	}
	for _, p := range touched {
		scores[p] = 0
	}
	l.scratch.Put(buf)
}

// depth is how many passages each side ranks for k sections.
func depth(k, size int) int {
	return min(max(k*denseDepth, minDense), size)
}

// searchDense embeds the question once and visits the nearest passages and
// the nearest of the sections' questions.
func (ix *Index) searchDense(ctx context.Context, text string, k int, passage, question func(doc int32, sim float64)) error {
	if ix.collection == nil {
		return ix.denseErr
	}
	vecs, err := ix.embedder.Embed(ctx, []string{text})
	if err != nil {
		return fmt.Errorf("embed question with %s: %w", ix.embedder.Name(), err)
	}
	if len(vecs) != 1 || len(vecs[0]) == 0 {
		return fmt.Errorf("embed question with %s: no vector returned", ix.embedder.Name())
	}
	v := unit(vecs[0])
	if err := nearest(ctx, ix.collection, v, k, passage); err != nil {
		return err
	}
	if ix.qcollection == nil {
		return nil
	}
	return nearest(ctx, ix.qcollection, v, k, question)
}

// nearest visits the documents of coll nearest to v.
func nearest(ctx context.Context, coll *chromem.Collection, v []float32, k int, visit func(doc int32, sim float64)) error {
	// chromem-go refuses nResults above the collection size.
	n := depth(k, coll.Count())
	res, err := coll.QueryEmbedding(ctx, v, n, nil, nil)
	if err != nil {
		return fmt.Errorf("dense query: %w", err)
	}
	for _, r := range res {
		d, err := strconv.Atoi(r.ID)
		if err != nil || d < 0 || d >= coll.Count() {
			return fmt.Errorf("dense query: unknown document id %q", r.ID)
		}
		visit(int32(d), float64(r.Similarity))
	}
	return nil
}

// fuse blends min-max normalised lexical and dense section scores and keeps
// the best k sections.
func (ix *Index) fuse(cands map[int32]*candidate, plan queryPlan, k int, temporal bool) []Result {
	lex, qlex := scale{fromZero: true}, scale{fromZero: true}
	var dense, qdense scale
	ranked := make([]*candidate, 0, len(cands))
	for _, c := range cands {
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
	score := make(map[*candidate]float64, len(ranked))
	for _, c := range ranked {
		score[c] = (1-qshare)*blend(c.lexical, c.dense) +
			qshare*(lexicalShare*qlex.norm(c.qlexical)+denseShare*qdense.norm(c.qdense))
		if temporal && ix.anyDated(c) {
			score[c] *= 1 + temporalBoost
		}
	}
	sort.Slice(ranked, func(i, j int) bool {
		a, b := ranked[i], ranked[j]
		if score[a] != score[b] {
			return score[a] > score[b]
		}
		return a.section < b.section
	})
	if len(ranked) > k {
		ranked = ranked[:k]
	}
	results := make([]Result, len(ranked))
	for i, c := range ranked {
		results[i] = ix.result(c, score[c], plan, blend)
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
// first.
func (ix *Index) result(c *candidate, score float64, plan queryPlan, blend func(lex, dense float64) float64) Result {
	r := Result{
		Section:  ix.sections[c.section],
		Score:    score,
		Lexical:  c.lexical,
		Dense:    c.dense,
		QLexical: c.qlexical,
		QDense:   c.qdense,
		Coverage: ix.coverage(plan.terms, c.section),
		Support:  ix.support(plan, c.section),
	}
	r.Confidence = confidence(r.Coverage, c.dense, ix.collection != nil)
	for p, h := range c.hits {
		r.Passages = append(r.Passages, Hit{Passage: ix.passages[p], Score: blend(h[0], h[1])})
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

func (ix *Index) anyDated(c *candidate) bool {
	for p := range c.hits {
		if ix.dated[p] {
			return true
		}
	}
	return false
}

// coverage is the IDF-weighted share of the question's words found in a
// section. Words the corpus has never seen weigh the most, which is what
// makes "What is the capital of France?" score near zero everywhere.
func (ix *Index) coverage(q []queryTerm, section int32) float64 {
	span := ix.sectionSpan[section]
	weight := map[int]float64{} // question word -> its IDF
	found := map[int]float64{}  // question word -> credit in this section
	for _, t := range q {
		if t.pair {
			continue
		}
		weight[t.word] = math.Max(weight[t.word], ix.lex.idf(t.term))
		if ix.lex.occursIn(t.term, span[0], span[1]) {
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

// queryPlan is a question analysed for both indexes: its content words and
// the weighted terms each index looks up for them.
type queryPlan struct {
	words         []token
	terms         []queryTerm // in the passage index
	questionTerms []queryTerm // in the questions index
}

// support measures how much of the question's specific content a section
// covers: a word is covered when one of its terms (itself, a typo
// correction, a synonym) occurs in the section's passages or in the
// questions it answers, with that term's weight. A word asked twice counts
// once. The best single passage is measured too (with the section's
// title): words scattered over a long section ("Power BI" in one bullet,
// "templates" in another) do not make an answer.
func (ix *Index) support(plan queryPlan, section int32) Support {
	words := uniqueWords(plan.words)
	span := ix.sectionSpan[section]
	inSection := ix.credit(plan.terms, func(term string) bool { return ix.lex.occursIn(term, span[0], span[1]) })
	if ix.qlex != nil && ix.questionSpan[section][0] >= 0 {
		qspan := ix.questionSpan[section]
		inQuestions := ix.credit(plan.questionTerms, func(term string) bool { return ix.qlex.occursIn(term, qspan[0], qspan[1]) })
		for w, c := range inQuestions {
			inSection[w] = max(inSection[w], c)
		}
	}
	s := Support{Words: len(words), PassageUncovered: math.Inf(1)}
	spec := make(map[string]float64, len(words))
	for term, word := range words {
		spec[term] = ix.specificity(word)
		s.Specific += spec[term]
		gap := spec[term] * (1 - min(1, inSection[term]))
		s.Uncovered += gap
		s.MaxUncovered = max(s.MaxUncovered, gap)
	}
	title := ix.lex.titleTerms(ix.sections[section].Title)
	for p := span[0]; p <= span[1] && p >= 0; p++ {
		inPassage := ix.credit(plan.terms, func(term string) bool { return title[term] || ix.lex.occursIn(term, p, p) })
		gap := 0.0
		for term := range words {
			gap += spec[term] * (1 - min(1, max(inPassage[term], 0)))
		}
		s.PassageUncovered = min(s.PassageUncovered, gap)
	}
	if math.IsInf(s.PassageUncovered, 1) {
		s.PassageUncovered = s.Uncovered
	}
	return s
}

// uniqueWords maps each distinct term of the question's words to its
// surface word.
func uniqueWords(toks []token) map[string]string {
	out := make(map[string]string, len(toks))
	for _, t := range toks {
		if _, ok := out[t.term]; !ok {
			out[t.term] = t.word
		}
	}
	return out
}

// credit is, per question word (by its term), the weight of its best
// query term that occurs where occurs says.
func (ix *Index) credit(terms []queryTerm, occurs func(term string) bool) map[string]float64 {
	out := map[string]float64{}
	for _, t := range terms {
		if t.pair || t.source == "" {
			continue
		}
		if t.weight > out[t.source] && occurs(t.term) {
			out[t.source] = t.weight
		}
	}
	return out
}

// specificity of a question word; numbers say something specific but
// often only set the scene ("our 40 journeys").
func (ix *Index) specificity(word string) float64 {
	if word != "" && unicode.IsDigit(rune(word[0])) {
		return numberSpecificity
	}
	return ix.everyday.specificity(word)
}

// numberSpecificity is the specificity of a word that starts with a digit.
const numberSpecificity = 0.3
