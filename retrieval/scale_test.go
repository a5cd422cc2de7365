package retrieval

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/faqbot/faqbot/corpus"
)

// synthCorpus builds a corpus of n passages in sections of four, worded from
// a Zipf-distributed vocabulary: the FAQ's own words mixed with invented
// ones, so postings lists are as skewed as in real documentation.
func synthCorpus(n int) *corpus.Corpus {
	faq, _ := corpus.Default()
	vocab := strings.Fields(strings.ToLower(faq.Sections()[5].Plain + " " + faq.Sections()[9].Plain))
	r := rand.New(rand.NewPCG(uint64(n), 7))
	for i := 0; i < 20000; i++ {
		vocab = append(vocab, fmt.Sprintf("w%dx%c", i, 'a'+rune(i%26)))
	}
	zipf := rand.NewZipf(rand.New(rand.NewPCG(1, 2)), 1.1, 2, uint64(len(vocab)-1))
	sentence := func(words int) string {
		ws := make([]string, words)
		for i := range ws {
			ws[i] = vocab[zipf.Uint64()]
		}
		return strings.Join(ws, " ") + "."
	}
	doc := &corpus.Document{Name: "synthetic.md", URL: corpus.LearnBaseURL + "synthetic"}
	for len(doc.Sections)*4 < n {
		i := len(doc.Sections)
		s := &corpus.Section{Document: doc.Name, Title: sentence(8), Anchor: fmt.Sprintf("s%d", i), Level: 2}
		s.URL = doc.URL + "#" + s.Anchor
		for j := 0; j < 4 && len(doc.Sections)*4+j < n; j++ {
			text := sentence(20+r.IntN(40)) + " " + sentence(20+r.IntN(40))
			s.Passages = append(s.Passages, corpus.Passage{ID: fmt.Sprintf("%s/%d", s.Anchor, j), Section: s, Index: j, Text: text, Plain: text})
		}
		doc.Sections = append(doc.Sections, s)
	}
	return &corpus.Corpus{Documents: []*corpus.Document{doc}, Version: fmt.Sprintf("synthetic-%d", n)}
}

// randomEmbedder stands in for an API model: 1536 dimensions, one
// deterministic pseudo-random vector per text.
type randomEmbedder struct{ dim int }

func (e randomEmbedder) Name() string { return fmt.Sprintf("random-%d", e.dim) }

func (e randomEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		h := fnv.New64a()
		h.Write([]byte(t))
		r := rand.New(rand.NewPCG(h.Sum64(), 1))
		v := make([]float32, e.dim)
		for j := range v {
			v[j] = float32(r.NormFloat64())
		}
		out[i] = unit(v)
	}
	return out, nil
}

var (
	scaleMu      sync.Mutex
	scaleIndexes = map[string]*Index{}
)

// scaleIndex builds (once per process) the index for n passages.
func scaleIndex(b *testing.B, n int, e Embedder) *Index {
	scaleMu.Lock()
	defer scaleMu.Unlock()
	key := fmt.Sprintf("%d/%s", n, e.Name())
	if ix, ok := scaleIndexes[key]; ok {
		return ix
	}
	ix, err := Build(context.Background(), synthCorpus(n), e, nil)
	if err != nil {
		b.Fatal(err)
	}
	scaleIndexes[key] = ix
	return ix
}

// BenchmarkScale compares faqbot's full search (question embedding, lexical
// ranking, fusion, aggregation) with chromem-go's QueryEmbedding alone on the
// same vectors, asking both for the same number of nearest passages.
func BenchmarkScale(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		for _, e := range []Embedder{NewLocalEmbedder(0), randomEmbedder{dim: 1536}} {
			name := fmt.Sprintf("passages=%d/%s", n, e.Name())
			b.Run(name+"/faqbot", func(b *testing.B) {
				ix := scaleIndex(b, n, e)
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					if _, err := ix.Search(context.Background(), Query{Text: benchQuestions[i%len(benchQuestions)], K: 3}); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
			b.Run(name+"/chromem", func(b *testing.B) {
				ix := scaleIndex(b, n, e)
				vecs, _ := e.Embed(context.Background(), benchQuestions)
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					if _, err := ix.collection.QueryEmbedding(context.Background(), vecs[i%len(vecs)], depth(3, n), nil, nil); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
	}
}

// BenchmarkBuild measures indexing n passages with the local embedder, with
// an empty and a warm embedding cache (a refresh where nothing changed).
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		c := synthCorpus(n)
		b.Run(fmt.Sprintf("passages=%d/cold", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Build(context.Background(), c, NewLocalEmbedder(0), NewMemoryCache()); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("passages=%d/warm", n), func(b *testing.B) {
			cache := NewMemoryCache()
			Build(context.Background(), c, NewLocalEmbedder(0), cache)
			for b.Loop() {
				if _, err := Build(context.Background(), c, NewLocalEmbedder(0), cache); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLexical measures the lexical index alone.
func BenchmarkLexical(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("passages=%d", n), func(b *testing.B) {
			ix := scaleIndex(b, n, NewLocalEmbedder(0))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				q := benchQuestions[i%len(benchQuestions)]
				ws := words(q)
				toks := contentTokens(ws)
				ix.searchLexical(ix.lex.expand(toks, ix.thesaurus.expand(ws, toks)), depth(3, n), func(int32, float64) {})
				i++
			}
		})
	}
}
