package retrieval

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
)

// QuestionCache keeps questions written for sections by a key their writer
// derives from what it was given (model, prompt, section title and text),
// so that a refresh asks only about sections it has not seen. A cache with
// a path persists to one JSON file: readable, and small next to the
// embeddings (a few kilobytes per section).
type QuestionCache struct {
	path string

	mu      sync.Mutex
	entries map[string]CachedQuestions
	used    map[string]bool
	dirty   bool // new entries since the last save
}

// CachedQuestions are one section's questions.
type CachedQuestions struct {
	Answered   []string `json:"answered"`
	Unanswered []string `json:"unanswered,omitempty"`
}

// questionCacheFile is the on-disk form. Version guards against reading a
// file written by an incompatible faqbot.
type questionCacheFile struct {
	Version  int                        `json:"version"`
	Sections map[string]CachedQuestions `json:"sections"`
}

const questionCacheVersion = 1

// NewMemoryQuestionCache returns a cache that lives only as long as the
// process.
func NewMemoryQuestionCache() *QuestionCache {
	return &QuestionCache{entries: map[string]CachedQuestions{}, used: map[string]bool{}}
}

// OpenQuestionCache loads the cache file at path, or starts an empty cache
// that Save will write there. A corrupt file is an error, not a silent
// reset: every entry in it cost a model call, so the operator decides.
func OpenQuestionCache(path string) (*QuestionCache, error) {
	c := NewMemoryQuestionCache()
	c.path = path
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open question cache %s: %w", path, err)
	}
	var f questionCacheFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("open question cache %s: %w (delete it to generate the questions again)", path, err)
	}
	if f.Version == questionCacheVersion && f.Sections != nil {
		c.entries = f.Sections
	}
	return c, nil
}

// Get returns the questions cached under key.
func (c *QuestionCache) Get(key string) (CachedQuestions, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	q, ok := c.entries[key]
	if ok {
		c.used[key] = true
	}
	return q, ok
}

// Put caches questions under key.
func (c *QuestionCache) Put(key string, q CachedQuestions) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = q
	c.used[key] = true
	c.dirty = true
}

// Len is the number of entries held.
func (c *QuestionCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Save writes the entries used since the cache was opened (so sections
// that changed or left the corpus do not accumulate) to the cache file,
// atomically, when anything new was put. A cache that only read writes
// nothing, so a command that reads it cannot prune what another corpus
// needs. A memory cache has nothing to save.
func (c *QuestionCache) Save() error {
	c.mu.Lock()
	if c.path == "" || !c.dirty {
		c.mu.Unlock()
		return nil
	}
	keep := make(map[string]CachedQuestions, len(c.used))
	for k := range c.used {
		keep[k] = c.entries[k]
	}
	c.dirty = false
	c.mu.Unlock()
	data, err := json.Marshal(questionCacheFile{Version: questionCacheVersion, Sections: keep})
	if err == nil {
		err = writeFileAtomic(c.path, data)
	}
	if err != nil {
		c.mu.Lock()
		c.dirty = true // try again on the next save
		c.mu.Unlock()
		return fmt.Errorf("save question cache: %w", err)
	}
	return nil
}
