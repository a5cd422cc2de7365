package slack

import (
	"sync"
	"time"
)

// seenSet remembers keys (event IDs, channel+ts) for a while so that Slack's
// redeliveries are answered once. It is bounded: past max keys the oldest
// are forgotten early.
type seenSet struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	now   func() time.Time
	at    map[string]time.Time
	order []seenKey // insertion order, which is also expiry order
}

type seenKey struct {
	key string
	at  time.Time
}

func newSeenSet(ttl time.Duration, max int, now func() time.Time) *seenSet {
	return &seenSet{ttl: ttl, max: max, now: now, at: map[string]time.Time{}}
}

// first records key and reports whether it was new. An empty key is always
// new: there is nothing to tell deliveries apart by.
func (s *seenSet) first(key string) bool {
	if key == "" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	if _, ok := s.at[key]; ok {
		return false
	}
	for len(s.order) >= s.max {
		s.drop()
	}
	s.at[key] = now
	s.order = append(s.order, seenKey{key: key, at: now})
	return true
}

// forget removes key, so that a later delivery counts as new.
func (s *seenSet) forget(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.at, key)
}

func (s *seenSet) expire(now time.Time) {
	for len(s.order) > 0 && now.Sub(s.order[0].at) >= s.ttl {
		s.drop()
	}
}

func (s *seenSet) drop() {
	k := s.order[0]
	s.order[0] = seenKey{}
	s.order = s.order[1:]
	if s.at[k.key] == k.at {
		delete(s.at, k.key)
	}
}

// len reports how many keys are remembered.
func (s *seenSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.at)
}
