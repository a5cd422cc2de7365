package retrieval

import (
	"context"
	"fmt"
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
	return e.embedWords(tokens(text))
}

// embedWords is the vector of a text given its content words, for a
// search that has them already.
func (e *LocalEmbedder) embedWords(toks []token) []float32 {
	v := make([]float32, e.dim)
	var grams []int // rune offsets of a word's trigrams
	for i, t := range toks {
		e.add(v, fnvString(fnvString(fnvOffset, "w:"), t.term), wordFeature)
		if i > 0 {
			e.add(v, fnvString(fnvString(fnvString(fnvString(fnvOffset, "p:"), toks[i-1].term), " "), t.term), pairFeature)
		}
		// Each trigram is hashed where it lies in "^word$" rather than
		// cut out as a string of its own: the same bytes, no allocation.
		framed := "^" + t.word + "$"
		grams = runeStarts(framed, grams[:0])
		n := max(1, len(grams)-3)
		w := trigramFeature / math.Sqrt(float64(n))
		for j := range n {
			end := len(framed)
			if j+3 < len(grams) {
				end = grams[j+3]
			}
			e.add(v, fnvString(fnvString(fnvOffset, "g:"), framed[grams[j]:end]), w)
		}
	}
	return unit(v)
}

// add puts a feature, by the FNV-1a hash of its name, into its bucket
// with a hash-derived sign, so that colliding features cancel out on
// average instead of piling up.
func (e *LocalEmbedder) add(v []float32, sum uint64, weight float64) {
	if sum>>63 == 1 {
		weight = -weight
	}
	v[sum%uint64(e.dim)] += float32(weight)
}

// FNV-1a, 64 bits (hash/fnv's New64a), fed string by string: a feature's
// hash is that of its parts written one after the other.
const (
	fnvOffset uint64 = 14695981039346656037
	fnvPrime  uint64 = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// runeStarts appends the byte offset of each rune of s to out, and the
// length of s after them.
func runeStarts(s string, out []int) []int {
	for i := range s {
		out = append(out, i)
	}
	return append(out, len(s))
}
