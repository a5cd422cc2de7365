package retrieval

import (
	"math"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// BM25 parameters and field weights. Headings are short and say what a
// section is about, so a word in the heading counts as much as several in the
// body (BM25F with one extra field).
const (
	bm25K1      = 1.2
	bm25B       = 0.75
	titleWeight = 2.5
	// bigramWeight scales matches on two consecutive words ("email designer"),
	// which reward phrasing without drowning single-word matches.
	bigramWeight = 0.5
	// fuzzyWeight scales a word matched through a one-letter typo.
	fuzzyWeight = 0.8
	// Typo correction applies to words of minFuzzyRunes to maxFuzzyRunes
	// letters. Shorter ones are other words after one edit; longer ones
	// are not words people type, and correcting them costs the square of
	// their length (every deletion is a new string).
	minFuzzyRunes = 5
	maxFuzzyRunes = 30
)

type posting struct {
	doc int32
	tf  float32
}

// lexical is a BM25F index over passages with typo-tolerant lookup.
type lexical struct {
	postings map[string][]posting
	docLen   []float32
	avgLen   float64
	words    map[string]string   // surface word -> term, for typo lookup
	deletes  map[string][]string // word with one letter deleted -> words
	// longest is the length in runes of the longest word correction can
	// reach: a question word more than one letter longer cannot be one
	// edit away from any.
	longest int
	scratch sync.Pool // *lexScratch
}

// lexScratch is one search's work space: a score per document, all zero
// between uses, and the documents touched.
type lexScratch struct {
	scores  []float64
	touched []int32
}

// lexDoc is what the lexical index sees of a passage.
type lexDoc struct {
	title, body string
}

// newLexical indexes docs, stemming through memo (which it fills).
func newLexical(docs []lexDoc, memo *stemMemo) *lexical {
	l := &lexical{
		postings: map[string][]posting{},
		docLen:   make([]float32, len(docs)),
		words:    map[string]string{},
		deletes:  map[string][]string{},
	}
	total := 0.0
	tf := map[string]float32{}
	for i, d := range docs {
		clear(tf)
		n := l.addField(tf, memo.tokens(d.title), titleWeight) + l.addField(tf, memo.tokens(d.body), 1)
		l.docLen[i] = float32(n)
		total += n
		for term, f := range tf {
			l.postings[term] = append(l.postings[term], posting{doc: int32(i), tf: f})
		}
	}
	if len(docs) > 0 {
		l.avgLen = total / float64(len(docs))
	}
	for w := range l.words {
		n := utf8.RuneCountInString(w)
		if n > maxFuzzyRunes {
			continue
		}
		l.longest = max(l.longest, n)
		for _, d := range deletions(w) {
			l.deletes[d] = append(l.deletes[d], w)
		}
	}
	n := len(docs)
	l.scratch.New = func() any { return &lexScratch{scores: make([]float64, n)} }
	return l
}

func (l *lexical) addField(tf map[string]float32, toks []token, weight float32) float64 {
	for i, t := range toks {
		tf[t.term] += weight
		if i > 0 {
			tf[bigram(toks[i-1].term, t.term)] += weight
		}
		if _, ok := l.words[t.word]; !ok {
			l.words[t.word] = t.term
		}
	}
	return float64(len(toks)) * float64(weight)
}

func bigram(a, b string) string { return a + " " + b }

// ceiling is about the best BM25 score a document could get for q: every
// word's term at full credit with a saturated frequency.
func (l *lexical) ceiling(q []queryTerm) float64 {
	best := make([]float64, wordCount(q)) // by question word, summed in order
	for _, t := range q {
		if t.pair || t.creditOnly {
			continue
		}
		best[t.word] = max(best[t.word], t.idf*t.weight*(bm25K1+1))
	}
	total := 0.0
	for _, s := range best {
		total += s
	}
	return total
}

// wordCount is one more than the highest question word position q's
// single-word terms come from: the length of a slice indexed by it.
func wordCount(q []queryTerm) int {
	n := 0
	for _, t := range q {
		if !t.pair {
			n = max(n, t.word+1)
		}
	}
	return n
}

// sectionShares returns, per term, the share of sections holding it, given
// each document's section.
func (l *lexical) sectionShares(sectionOf []int32, sections int) map[string]float64 {
	out := make(map[string]float64, len(l.postings))
	if sections == 0 {
		return out
	}
	for term, ps := range l.postings {
		if strings.Contains(term, " ") {
			continue // word pairs
		}
		n, last := 0, int32(-1)
		for _, p := range ps { // in document order, so a section's documents are together
			if s := sectionOf[p.doc]; s != last {
				n, last = n+1, s
			}
		}
		out[term] = float64(n) / float64(sections)
	}
	return out
}

// titleTerms returns the terms of a section title.
func titleTerms(title string, memo *stemMemo) map[string]bool {
	out := map[string]bool{}
	for _, t := range memo.tokens(title) {
		out[t.term] = true
	}
	return out
}

// queryTerm is a term to look up with the weight its match is worth. word
// is the position of the question word it came from; pairs have pair set.
type queryTerm struct {
	term   string
	weight float64
	word   int
	pair   bool
	// source is the term of the question word this one stands for ("" for
	// pairs and for synonyms of stop-word phrases).
	source string
	// creditOnly marks a term another question word already searches for:
	// it is not scored twice, but still tells that its own word is covered.
	creditOnly bool
	// ps are the term's postings in the index it was expanded for, and idf
	// its inverse document frequency there: looked up once per question
	// rather than once per step and section.
	ps  []posting
	idf float64
}

// expand turns a question into weighted query terms: its words (a word the
// index has never seen is replaced by its typo corrections, or kept so that
// it still counts against coverage) and consecutive pairs.
func (l *lexical) expand(q []token, syns []synonym) []queryTerm {
	out := make([]queryTerm, 0, 2*len(q)+len(syns))
	seen := make(map[string]string, cap(out)) // term -> the source it was added for
	add := func(qt queryTerm, ps []posting) {
		source, dup := seen[qt.term]
		switch {
		case !dup:
			seen[qt.term] = qt.source
		case qt.source != "" && qt.source != source:
			qt.creditOnly = true
		default:
			return
		}
		qt.ps, qt.idf = ps, l.idfOf(len(ps))
		out = append(out, qt)
	}
	for i, t := range q {
		if ps, ok := l.postings[t.term]; ok {
			add(queryTerm{term: t.term, weight: 1, word: i, source: t.term}, ps)
		} else if fixes := l.corrections(t.word); len(fixes) > 0 {
			for _, term := range fixes {
				add(queryTerm{term: term, weight: fuzzyWeight, word: i, source: t.term}, l.postings[term])
			}
		} else {
			add(queryTerm{term: t.term, weight: 1, word: i, source: t.term}, nil)
		}
		if i > 0 {
			pair := bigram(q[i-1].term, t.term)
			add(queryTerm{term: pair, weight: bigramWeight, word: i, pair: true}, l.postings[pair])
		}
	}
	// Synonyms only add what the index knows; they stand in for the question
	// word they came from, or for none when the phrase was all stop words.
	for _, syn := range syns {
		for j, term := range syn.terms {
			if ps, ok := l.postings[term]; ok {
				source := ""
				if syn.word >= 0 && syn.word < len(q) {
					source = q[syn.word].term
				}
				add(queryTerm{term: term, weight: synonymWeight / float64(len(syn.terms)), word: syn.word, pair: syn.word < 0, source: source}, ps)
			}
			if j > 0 {
				pair := bigram(syn.terms[j-1], term)
				if ps, ok := l.postings[pair]; ok {
					add(queryTerm{term: pair, weight: synonymWeight, word: syn.word, pair: true}, ps)
				}
			}
		}
	}
	return out
}

// corrections returns the terms of indexed words one edit away from word
// (insertion, deletion, substitution or transposition), for words long
// enough that one letter is a typo rather than another word.
func (l *lexical) corrections(word string) []string {
	if n := utf8.RuneCountInString(word); n < minFuzzyRunes || n > min(maxFuzzyRunes, l.longest+1) {
		return nil
	}
	found := map[string]bool{}
	check := func(cands []string) {
		for _, c := range cands {
			if withinOneEdit(word, c) {
				found[l.words[c]] = true
			}
		}
	}
	check(l.deletes[word]) // word lacks a letter
	for _, d := range deletions(word) {
		if _, ok := l.words[d]; ok { // word has an extra letter
			check([]string{d})
		}
		check(l.deletes[d]) // substitution or transposition
	}
	out := make([]string, 0, len(found))
	for t := range found {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// idfOf is the BM25 inverse document frequency of a term in df documents.
func (l *lexical) idfOf(df int) float64 {
	n := float64(len(l.docLen))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

// score adds the BM25F score of every passage that matches the query to
// scores and appends the indices it touched to touched.
func (l *lexical) score(q []queryTerm, scores []float64, touched []int32) []int32 {
	for _, qt := range q {
		ps := qt.ps
		if len(ps) == 0 || qt.creditOnly {
			continue
		}
		idf := qt.idf * qt.weight
		for _, p := range ps {
			tf := float64(p.tf)
			norm := bm25K1 * (1 - bm25B + bm25B*float64(l.docLen[p.doc])/l.avgLen)
			if scores[p.doc] == 0 {
				touched = append(touched, p.doc)
			}
			scores[p.doc] += idf * tf * (bm25K1 + 1) / (tf + norm)
		}
	}
	return touched
}

// occursIn reports whether a term with postings ps occurs in any document
// from first to last (inclusive). Postings are in document order, so a
// binary search does.
func occursIn(ps []posting, first, last int32) bool {
	i := sort.Search(len(ps), func(i int) bool { return ps[i].doc >= first })
	return i < len(ps) && ps[i].doc <= last
}

func deletions(w string) []string {
	r := []rune(w)
	if len(r) < 2 {
		return nil
	}
	out := make([]string, 0, len(r))
	for i := range r {
		out = append(out, string(r[:i])+string(r[i+1:]))
	}
	return out
}

// withinOneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or adjacent transposition.
func withinOneEdit(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	switch len(ra) - len(rb) {
	case 0:
		var diff []int
		for i := range ra {
			if ra[i] != rb[i] {
				diff = append(diff, i)
				if len(diff) > 2 {
					return false
				}
			}
		}
		switch len(diff) {
		case 0, 1:
			return true
		case 2:
			i, j := diff[0], diff[1]
			return j == i+1 && ra[i] == rb[j] && ra[j] == rb[i]
		}
		return false
	case 1:
		i := 0
		for i < len(rb) && ra[i] == rb[i] {
			i++
		}
		return string(ra[i+1:]) == string(rb[i:])
	}
	return false
}
