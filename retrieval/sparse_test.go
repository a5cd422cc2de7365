package retrieval

import (
	"context"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The sparse scan finds what chromem-go finds, with the same similarities
// to the last bit, for the questions people ask.
func TestSparseScanIsChromem(t *testing.T) {
	ix := faqIndex(t)
	if ix.sparse == nil {
		t.Fatal("the FAQ's index has no sparse scan")
	}
	questions := append(benchQuestions, "when exactly does obm stop sending emails", "Können wir die Abschaltung verschieben?",
		"naïve question about e-mail and CI-J", "x", "segments segments segments")
	for _, path := range []string{"../eval/testdata/holdout.tsv", "../eval/testdata/calibration.tsv"} {
		questions = append(questions, tsvQuestions(t, path)...)
	}
	ctx := context.Background()
	scanned, tried := 0, 0
	for _, q := range questions {
		ws := words(q)
		toks := contentTokensOf(ws, stemAll(ws))
		if len(toks) == 0 {
			continue
		}
		v := unit(ix.embedder.(wordEmbedder).embedWords(toks))
		for _, k := range []int{1, 3, 10} {
			got := map[int32]float64{}
			ok, err := ix.sparse.nearest(ctx, v, depth(k, ix.Len()), func(d int32, sim float64) { got[d] = sim })
			if err != nil {
				t.Fatal(err)
			}
			tried++
			if !ok {
				continue
			}
			scanned++
			res, err := ix.collection.QueryEmbedding(ctx, v, depth(k, ix.Len()), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != len(got) {
				t.Errorf("%q: %d passages, chromem-go %d", q, len(got), len(res))
			}
			for _, r := range res {
				d, _ := strconv.Atoi(r.ID)
				if sim, ok := got[int32(d)]; !ok || sim != float64(r.Similarity) {
					t.Errorf("%q: passage %d: %v (found %v), chromem-go %v", q, d, sim, ok, r.Similarity)
				}
			}
		}
	}
	if scanned < tried {
		t.Errorf("the sparse scan took %d of %d searches; the local embedder's questions are what it is for", scanned, tried)
	}
}

// On a corpus larger than the passages asked for, the scan keeps the same
// nearest passages as chromem-go; vectors with every dimension in use
// (an API model's) stay with chromem-go.
func TestSparseScanKeepsChromemsNearest(t *testing.T) {
	ctx := context.Background()
	ix, err := Build(ctx, synthCorpus(1000), BuildOptions{Embedder: NewLocalEmbedder(0)})
	if err != nil {
		t.Fatal(err)
	}
	n := depth(3, ix.Len())
	for _, q := range benchQuestions {
		vecs, _ := ix.embedder.Embed(ctx, []string{q})
		got := map[int32]float64{}
		ok, err := ix.sparse.nearest(ctx, vecs[0], n, func(d int32, sim float64) { got[d] = sim })
		if err != nil || !ok {
			t.Fatalf("%q: scanned %v, %v", q, ok, err)
		}
		res, err := ix.collection.QueryEmbedding(ctx, vecs[0], n, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n || len(res) != n {
			t.Fatalf("%q: %d and %d passages, want %d", q, len(got), len(res), n)
		}
		for _, r := range res {
			d, _ := strconv.Atoi(r.ID)
			if sim, ok := got[int32(d)]; !ok || sim != float64(r.Similarity) {
				t.Errorf("%q: passage %d: %v (found %v), chromem-go %v", q, d, sim, ok, r.Similarity)
			}
		}
	}
	dense, err := Build(ctx, synthCorpus(1000), BuildOptions{Embedder: randomEmbedder{dim: 1536}})
	if err != nil {
		t.Fatal(err)
	}
	vecs, _ := dense.embedder.Embed(ctx, benchQuestions[:1])
	if ok, _ := dense.sparse.nearest(ctx, vecs[0], n, func(int32, float64) {}); ok {
		t.Error("the sparse scan took a vector with every dimension in use")
	}
}

// Vectors chromem-go would hold otherwise, and questions it would change,
// are left to it.
func TestSparseScanLeavesOtherVectorsToChromem(t *testing.T) {
	half := []float32{0.5, 0, 0, 0}
	unitVec := []float32{1, 0, 0, 0}
	if newSparseScan([][]float32{unitVec, half}) != nil {
		t.Error("a scan over a vector chromem-go normalises itself")
	}
	if newSparseScan([][]float32{unitVec, {float32(math.NaN()), 0, 0, 0}}) != nil {
		t.Error("a scan over a vector that is not finite")
	}
	s := newSparseScan([][]float32{unitVec, {0, 1, 0, 0}})
	if s == nil {
		t.Fatal("no scan over unit vectors")
	}
	for _, q := range [][]float32{half, {0.5, 0.5, 0.5, 0.5}} {
		if ok, _ := s.nearest(context.Background(), q, 1, func(int32, float64) {}); ok {
			t.Errorf("the scan took %v, which chromem-go would normalise or which uses most dimensions", q)
		}
	}
}

// tsvQuestions returns the questions (second column) of a labelled file.
func tsvQuestions(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, line := range strings.Split(string(data), "\n") {
		if f := strings.Split(line, "\t"); i > 0 && len(f) >= 2 {
			out = append(out, f[1])
		}
	}
	return out
}
