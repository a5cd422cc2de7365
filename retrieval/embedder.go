// Package retrieval finds the FAQ passages that answer a question: a dense
// index (chromem-go) and a lexical BM25F index over the same passages, fused
// and aggregated to sections.
package retrieval

import (
	"context"
	"math"
)

// Embedder turns texts into vectors. Implementations batch: one call may
// carry many texts.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	// Name identifies the model and its settings; vectors from embedders with
	// different names are never mixed (it keys the embedding cache).
	Name() string
}

// unit scales v to unit length in place. chromem-go compares by dot
// product and trusts that vectors are unit length.
func unit(v []float32) []float32 {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		return v
	}
	inv := float32(1 / math.Sqrt(sum))
	for i := range v {
		v[i] *= inv
	}
	return v
}
