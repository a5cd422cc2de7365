package retrieval

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"
)

// QuestionCache keeps questions written for sections by a key their writer
// derives from what it was given (model, prompt, section title and text),
// so that a refresh asks only about sections it has not seen. A cache with
// a path persists to one JSON file: readable, and small next to the
// embeddings (a few kilobytes per section).
//
// Entries are dropped once unused for maxQuestionCacheAge rather than when
// one run did not use them: `faqbot index --corpus X` and a server on
// corpus Y may share a data dir, and each entry cost a model call.
type QuestionCache struct {
	path string
	now  func() time.Time

	mu      sync.Mutex
	entries map[string]questionCacheEntry
	dirty   bool // changed since the last save
}

// CachedQuestions are one section's questions.
type CachedQuestions struct {
	Answered   []string `json:"answered"`
	Unanswered []string `json:"unanswered,omitempty"`
}

type questionCacheEntry struct {
	CachedQuestions
	// Used is the UTC day the entry was last used, as 2006-01-02.
	Used string `json:"used"`
}

// questionCacheFile is the on-disk form. Version guards against reading a
// file written by an incompatible faqbot.
type questionCacheFile struct {
	Version  int                           `json:"version"`
	Sections map[string]questionCacheEntry `json:"sections"`
}

const (
	questionCacheVersion = 1
	maxQuestionCacheAge  = 30 * 24 * time.Hour
)

// NewMemoryQuestionCache returns a cache that lives only as long as the
// process.
func NewMemoryQuestionCache() *QuestionCache {
	return &QuestionCache{entries: map[string]questionCacheEntry{}, now: time.Now}
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

func (c *QuestionCache) today() string { return c.now().UTC().Format(time.DateOnly) }

// Get returns the questions cached under key.
func (c *QuestionCache) Get(key string) (CachedQuestions, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return CachedQuestions{}, false
	}
	if today := c.today(); e.Used != today {
		e.Used = today
		c.entries[key] = e
		c.dirty = true
	}
	return e.CachedQuestions, true
}

// Put caches questions under key.
func (c *QuestionCache) Put(key string, q CachedQuestions) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = questionCacheEntry{CachedQuestions: q, Used: c.today()}
	c.dirty = true
}

// Len is the number of entries held.
func (c *QuestionCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Save writes the entries used within maxQuestionCacheAge to the cache
// file, atomically, when anything changed. A memory cache has nothing to
// save.
func (c *QuestionCache) Save() error {
	c.mu.Lock()
	if c.path == "" || !c.dirty {
		c.mu.Unlock()
		return nil
	}
	oldest := c.now().Add(-maxQuestionCacheAge).UTC().Format(time.DateOnly)
	for k, e := range c.entries {
		if e.Used < oldest {
			delete(c.entries, k)
		}
	}
	data, err := json.Marshal(questionCacheFile{Version: questionCacheVersion, Sections: c.entries})
	c.dirty = false
	c.mu.Unlock()
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
