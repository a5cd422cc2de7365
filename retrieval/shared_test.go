package retrieval

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// mapVectors is a SharedVectors in memory; the store's tests run the real
// one against SQLite and PostgreSQL.
type mapVectors struct {
	mu   sync.Mutex
	vecs map[string][]float32
	fail error
}

func (m *mapVectors) Vectors(_ context.Context, model string, keys []string) (map[string][]float32, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	out := map[string][]float32{}
	for _, k := range keys {
		if v, ok := m.vecs[model+"/"+k]; ok {
			out[k] = v
		}
	}
	return out, nil
}

func (m *mapVectors) PutVectors(_ context.Context, model string, vecs map[string][]float32) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	for k, v := range vecs {
		m.vecs[model+"/"+k] = v
	}
	return nil
}

func TestSharedCacheEmbedsEachTextOnceBetweenProcesses(t *testing.T) {
	ctx := context.Background()
	shared := &mapVectors{vecs: map[string][]float32{}}
	first, second := &countingEmbedder{LocalEmbedder: NewLocalEmbedder(32)}, &countingEmbedder{LocalEmbedder: NewLocalEmbedder(32)}
	a, b := NewMemoryCache(), NewMemoryCache()
	a.Share(shared, func(err error) { t.Error(err) })
	b.Share(shared, func(err error) { t.Error(err) })

	want, err := a.Embed(ctx, first, []string{"alpha", "beta"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Embed(ctx, second, []string{"beta", "alpha", "gamma"})
	if err != nil {
		t.Fatal(err)
	}
	if n := second.texts.Load(); n != 1 {
		t.Errorf("the second process embedded %d texts, want only the new one", n)
	}
	if got[0][0] != want[1][0] || got[1][0] != want[0][0] {
		t.Error("vectors from the shared cache differ from the ones computed")
	}
	if st := b.Stats(); st.SharedHits != 2 || st.Computed != 1 || st.Misses != 3 {
		t.Errorf("stats %+v", st)
	}
	// Now in b's own cache: nothing asked of the shared one or the embedder.
	shared.fail = errors.New("must not be asked")
	if _, err := b.Embed(ctx, second, []string{"gamma"}); err != nil || second.texts.Load() != 1 {
		t.Errorf("a cached text: %v, %d embedded", err, second.texts.Load())
	}
}

func TestSharedCacheFailureCostsEmbeddingsNotTheBuild(t *testing.T) {
	shared := &mapVectors{vecs: map[string][]float32{}, fail: errors.New("database down")}
	var errs int
	c := NewMemoryCache()
	c.Share(shared, func(error) { errs++ })
	emb := &countingEmbedder{LocalEmbedder: NewLocalEmbedder(32)}
	vecs, err := c.Embed(context.Background(), emb, []string{"alpha", "beta"})
	if err != nil || len(vecs) != 2 || vecs[1] == nil {
		t.Fatalf("embed with the shared cache down: %v", err)
	}
	if emb.texts.Load() != 2 || errs != 2 {
		t.Errorf("embedded %d, %d errors reported; want 2 and 2 (read and write)", emb.texts.Load(), errs)
	}
}
