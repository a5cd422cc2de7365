package retrieval

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/faqbot/faqbot/internal/atomicfile"
)

// Cache keeps embeddings by model and content hash so that a restart or a
// refresh embeds only passages it has not seen (with an API embedder every
// miss costs money). A Cache with a path persists to one file.
type Cache struct {
	path string

	mu    sync.Mutex
	vecs  map[string][]float32
	used  map[string]bool
	dirty bool // new vectors since the last save

	hits, misses atomic.Int64

	// shared, when set, is consulted before the embedder (Share).
	shared        SharedVectors
	onSharedError func(error)
	// sharedHits counts vectors found in shared; computed, texts the
	// embedder was asked for.
	sharedHits, computed atomic.Int64
}

// CacheStats counts lookups since the cache was opened. Misses were not
// in this process's cache; of them, SharedHits were in the shared cache
// and Computed went to the embedder.
type CacheStats struct {
	Hits, Misses         int64
	SharedHits, Computed int64
	Entries              int
}

// cacheFile is the on-disk form. Version guards against reading a file
// written by an incompatible faqbot.
type cacheFile struct {
	Version int
	Vectors map[string][]float32
}

const cacheVersion = 1

// NewMemoryCache returns a cache that lives only as long as the process.
func NewMemoryCache() *Cache {
	return &Cache{vecs: map[string][]float32{}, used: map[string]bool{}}
}

// OpenCache loads the cache file at path, or starts an empty cache that
// Save will write there. A corrupt file is an error, not a silent reset:
// re-embedding a large corpus is expensive, so the operator decides.
func OpenCache(path string) (*Cache, error) {
	c := NewMemoryCache()
	c.path = path
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open embedding cache %s: %w", path, err)
	}
	var f cacheFile
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&f); err != nil {
		return nil, fmt.Errorf("open embedding cache %s: %w (delete it to rebuild)", path, err)
	}
	if f.Version != cacheVersion {
		return c, nil
	}
	if f.Vectors != nil {
		c.vecs = f.Vectors
	}
	return c, nil
}

func cacheKey(model, text string) string {
	h := sha256.Sum256([]byte(model + "\x00" + text))
	return hex.EncodeToString(h[:16])
}

// Embed returns vectors for texts, asking e only for the ones not cached, in
// one batch.
func (c *Cache) Embed(ctx context.Context, e Embedder, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	keys := make([]string, len(texts))
	var missing []int
	c.mu.Lock()
	for i, t := range texts {
		keys[i] = cacheKey(e.Name(), t)
		if v, ok := c.vecs[keys[i]]; ok {
			out[i] = v
			c.used[keys[i]] = true
		} else {
			missing = append(missing, i)
		}
	}
	c.mu.Unlock()
	c.hits.Add(int64(len(texts) - len(missing)))
	c.misses.Add(int64(len(missing)))
	missing = c.fromShared(ctx, e.Name(), keys, missing, out)
	if len(missing) == 0 {
		return out, nil
	}
	c.computed.Add(int64(len(missing)))
	batch := make([]string, len(missing))
	for j, i := range missing {
		batch[j] = texts[i]
	}
	vecs, err := e.Embed(ctx, batch)
	if err != nil {
		return nil, err
	}
	if len(vecs) != len(batch) {
		return nil, fmt.Errorf("embedder %s returned %d vectors for %d texts", e.Name(), len(vecs), len(batch))
	}
	c.mu.Lock()
	for j, i := range missing {
		v := unit(vecs[j])
		out[i] = v
		c.vecs[keys[i]] = v
		c.used[keys[i]] = true
	}
	c.dirty = true
	c.mu.Unlock()
	c.toShared(ctx, e.Name(), keys, missing, out)
	return out, nil
}

// Stats reports hits and misses since the cache was opened.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	n := len(c.vecs)
	c.mu.Unlock()
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), SharedHits: c.sharedHits.Load(), Computed: c.computed.Load(), Entries: n}
}

// Save writes the entries used since the cache was opened (so passages that
// left the corpus do not accumulate) to the cache file, atomically, when
// anything new was embedded. A memory cache has nothing to save.
func (c *Cache) Save() error {
	c.mu.Lock()
	if c.path == "" || !c.dirty {
		c.mu.Unlock()
		return nil
	}
	keep := make(map[string][]float32, len(c.used))
	for k := range c.used {
		keep[k] = c.vecs[k]
	}
	c.dirty = false
	c.mu.Unlock()
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(cacheFile{Version: cacheVersion, Vectors: keep})
	if err == nil {
		err = writeFileAtomic(c.path, buf.Bytes())
	}
	if err != nil {
		c.mu.Lock()
		c.dirty = true // try again on the next save
		c.mu.Unlock()
		return fmt.Errorf("save embedding cache: %w", err)
	}
	return nil
}

// writeFileAtomic replaces path so that readers, and a restart after a
// crash, see the old or the new content, never a torn file.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return atomicfile.WriteFile(path, 0o600, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
