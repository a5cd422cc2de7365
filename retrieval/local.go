package retrieval

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
)

// LocalEmbedder embeds text without a network or a model file: words,
// word pairs and character trigrams are hashed into a fixed number of
// dimensions (the "hashing trick"). Trigrams let typos and word forms
// ("migrate", "migration") land near each other. It is deterministic, so
// vectors never need to be cached on disk.
type LocalEmbedder struct {
	dim int
}

// DefaultLocalDim balances hash collisions against query cost.
const DefaultLocalDim = 1024

// NewLocalEmbedder returns a local embedder with dim dimensions
// (DefaultLocalDim when dim <= 0).
func NewLocalEmbedder(dim int) *LocalEmbedder {
	if dim <= 0 {
		dim = DefaultLocalDim
	}
	return &LocalEmbedder{dim: dim}
}

// Feature weights: whole words carry the meaning, pairs carry phrasing,
// trigrams are spread thin so they rescue near misses without dominating.
const (
	wordFeature    = 1.0
	pairFeature    = 0.6
	trigramFeature = 0.9 // shared among a word's trigrams
)

// Name implements Embedder.
func (e *LocalEmbedder) Name() string { return fmt.Sprintf("local-hash-v1-%d", e.dim) }

// Embed implements Embedder.
func (e *LocalEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = e.vector(t)
	}
	return out, nil
}

func (e *LocalEmbedder) vector(text string) []float32 {
	v := make([]float32, e.dim)
	toks := tokens(text)
	for i, t := range toks {
		e.add(v, "w:"+t.term, wordFeature)
		if i > 0 {
			e.add(v, "p:"+toks[i-1].term+" "+t.term, pairFeature)
		}
		grams := trigrams(t.word)
		w := trigramFeature / math.Sqrt(float64(len(grams)))
		for _, g := range grams {
			e.add(v, "g:"+g, w)
		}
	}
	return unit(v)
}

// add puts a feature into its bucket with a hash-derived sign, so that
// colliding features cancel out on average instead of piling up.
func (e *LocalEmbedder) add(v []float32, feature string, weight float64) {
	h := fnv.New64a()
	h.Write([]byte(feature))
	sum := h.Sum64()
	if sum>>63 == 1 {
		weight = -weight
	}
	v[sum%uint64(e.dim)] += float32(weight)
}

func trigrams(word string) []string {
	r := []rune("^" + word + "$")
	if len(r) <= 3 {
		return []string{string(r)}
	}
	out := make([]string, 0, len(r)-2)
	for i := 0; i+3 <= len(r); i++ {
		out = append(out, string(r[i:i+3]))
	}
	return out
}
