package retrieval

import "context"

// SharedVectors is an embedding cache that several processes share (the
// records database when replicas run on PostgreSQL), so that a passage is
// embedded once between them. Keys are the Cache's: model and text hash.
type SharedVectors interface {
	// Vectors returns the vectors it has for keys; missing keys are
	// absent from the map.
	Vectors(ctx context.Context, model string, keys []string) (map[string][]float32, error)
	// PutVectors adds vectors; keys already there keep theirs.
	PutVectors(ctx context.Context, model string, vecs map[string][]float32) error
}

// Share makes c consult shared for the vectors it lacks before asking the
// embedder, and add what the embedder computes. A failing shared cache
// costs embeddings, never a build: onError is told, and c goes on alone.
// Call it before the first build.
func (c *Cache) Share(shared SharedVectors, onError func(error)) {
	if onError == nil {
		onError = func(error) {}
	}
	c.shared, c.onSharedError = shared, onError
}

// fromShared fills out[i] for the missing indexes the shared cache has
// and returns those still missing.
func (c *Cache) fromShared(ctx context.Context, model string, keys []string, missing []int, out [][]float32) []int {
	if c.shared == nil || len(missing) == 0 {
		return missing
	}
	want := make([]string, len(missing))
	for j, i := range missing {
		want[j] = keys[i]
	}
	got, err := c.shared.Vectors(ctx, model, want)
	if err != nil {
		c.onSharedError(err)
		return missing
	}
	var still []int
	c.mu.Lock()
	for _, i := range missing {
		if v, ok := got[keys[i]]; ok {
			out[i] = v
			c.vecs[keys[i]] = v
			c.used[keys[i]] = true
		} else {
			still = append(still, i)
		}
	}
	if len(still) < len(missing) {
		c.dirty = true
	}
	c.mu.Unlock()
	c.sharedHits.Add(int64(len(missing) - len(still)))
	return still
}

// toShared adds vectors the embedder computed to the shared cache.
func (c *Cache) toShared(ctx context.Context, model string, keys []string, computed []int, out [][]float32) {
	if c.shared == nil || len(computed) == 0 {
		return
	}
	vecs := make(map[string][]float32, len(computed))
	for _, i := range computed {
		vecs[keys[i]] = out[i]
	}
	if err := c.shared.PutVectors(ctx, model, vecs); err != nil {
		c.onSharedError(err)
	}
}
