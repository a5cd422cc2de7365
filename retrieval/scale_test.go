package retrieval

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

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
	ix, err := Build(context.Background(), synthCorpus(n), BuildOptions{Embedder: e})
	if err != nil {
		b.Fatal(err)
	}
	scaleIndexes[key] = ix
	return ix
}

// BenchmarkScale compares faqbot's full search (question embedding, lexical
// ranking, fusion, aggregation) with chromem-go's QueryEmbedding alone on the
// same vectors, asking both for the same number of nearest passages
// (compare them with benchstat -col /impl). flat is
// a plain exhaustive scan over the same vectors held as one matrix: what the
// dense side could cost without chromem-go's per-document overhead.
func BenchmarkScale(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		for _, e := range []Embedder{NewLocalEmbedder(0), randomEmbedder{dim: 1536}} {
			name := fmt.Sprintf("passages=%d/embedder=%s", n, e.Name())
			b.Run(name+"/impl=faqbot", func(b *testing.B) {
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
			b.Run(name+"/impl=chromem", func(b *testing.B) {
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
			b.Run(name+"/impl=flat", func(b *testing.B) {
				f := flatVectors(b, scaleIndex(b, n, e))
				vecs, _ := e.Embed(context.Background(), benchQuestions)
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					if got := f.nearest(vecs[i%len(vecs)], depth(3, n)); len(got) != depth(3, n) {
						b.Fatalf("flat scan found %d passages", len(got))
					}
					i++
				}
			})
		}
	}
}

// flatIndex holds an index's vectors as one row-major matrix.
type flatIndex struct {
	dim  int
	rows []float32
}

var flatIndexes sync.Map // *Index -> *flatIndex

func flatVectors(b *testing.B, ix *Index) *flatIndex {
	if f, ok := flatIndexes.Load(ix); ok {
		return f.(*flatIndex)
	}
	f := &flatIndex{}
	for i := range ix.Len() {
		doc, err := ix.collection.GetByID(context.Background(), strconv.Itoa(i))
		if err != nil {
			b.Fatal(err)
		}
		f.dim = len(doc.Embedding)
		f.rows = append(f.rows, doc.Embedding...)
	}
	flatIndexes.Store(ix, f)
	return f
}

// nearest returns the k rows most similar to q, scanning every row on all
// CPUs as chromem-go does.
func (f *flatIndex) nearest(q []float32, k int) []int32 {
	n := len(f.rows) / f.dim
	scores := make([]float64, n)
	workers := runtime.NumCPU()
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				scores[i] = float64(dot(q, f.rows[i*f.dim:(i+1)*f.dim]))
			}
		})
	}
	wg.Wait()
	items := make([]int32, n)
	for i := range items {
		items[i] = int32(i)
	}
	return topN(items, scores, k)
}

// dot keeps four partial sums: one sum would chain every addition to the
// one before it and leave the CPU waiting on each.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}

// BenchmarkMemory reports what a process holding a whole index costs, built
// as `faqbot serve` builds it (a Store with an in-memory embedding cache):
// the corpus text, then the index on top, per passage, on the Go heap and
// in resident memory. Run it on its own, once, so that nothing else lives
// in the process:
//
//	go test -run '^$' -bench Memory -benchtime 1x ./retrieval
func BenchmarkMemory(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		for _, e := range []Embedder{NewLocalEmbedder(0), randomEmbedder{dim: 1536}} {
			b.Run(fmt.Sprintf("passages=%d/embedder=%s", n, e.Name()), func(b *testing.B) {
				for b.Loop() {
					base := memNow(b)
					c := synthCorpus(n)
					withCorpus := memNow(b)
					st := NewStore(e, StoreOptions{})
					start := time.Now()
					if _, err := st.Load(context.Background(), c); err != nil {
						b.Fatal(err)
					}
					took := time.Since(start)
					held := memNow(b)
					runtime.KeepAlive(st)
					per := func(a, b uint64) float64 { return float64(int64(b)-int64(a)) / float64(n) }
					b.ReportMetric(per(base.heap, withCorpus.heap), "corpus-heap-B/passage")
					b.ReportMetric(per(withCorpus.heap, held.heap), "index-heap-B/passage")
					b.ReportMetric(per(base.rss, held.rss), "rss-B/passage")
					b.ReportMetric(float64(held.rss)/(1<<20), "rss-MiB")
					b.ReportMetric(took.Seconds(), "load-s")
				}
			})
		}
	}
}

type memSample struct{ heap, rss uint64 }

// memNow collects garbage, returns freed memory to the OS and reads the
// live heap and the process's resident set.
func memNow(b *testing.B) memSample {
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memSample{heap: ms.HeapAlloc, rss: vmRSS(b)}
}

// vmRSS reads VmRSS from /proc/self/status (Linux), in bytes.
func vmRSS(b *testing.B) uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skip("no /proc/self/status to read resident memory from:", err)
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				b.Fatalf("VmRSS line %q: %v", line, err)
			}
			return kb << 10
		}
	}
	b.Skip("no VmRSS in /proc/self/status")
	return 0
}

// BenchmarkBuild measures indexing n passages with the local embedder, with
// an empty and a warm embedding cache (a refresh where nothing changed).
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		c := synthCorpus(n)
		b.Run(fmt.Sprintf("passages=%d/cache=cold", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Build(context.Background(), c, BuildOptions{Embedder: NewLocalEmbedder(0), Cache: NewMemoryCache()}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("passages=%d/cache=warm", n), func(b *testing.B) {
			cache := NewMemoryCache()
			Build(context.Background(), c, BuildOptions{Embedder: NewLocalEmbedder(0), Cache: cache})
			for b.Loop() {
				if _, err := Build(context.Background(), c, BuildOptions{Embedder: NewLocalEmbedder(0), Cache: cache}); err != nil {
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
				searchLexical(ix.lex, ix.lex.expand(toks, ix.thesaurus.expand(stemAll(ws), toks, false)), depth(3, n), func(int32, float64) {})
				i++
			}
		})
	}
}
