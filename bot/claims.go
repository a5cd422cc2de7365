package bot

import (
	"context"
	"sync"
	"time"
)

// Claims make each delivery of a platform event count once: a Slack event
// id, a slash command, a Teams activity id. Platforms retry and attackers
// replay; whoever claims a key first does the work, later claims within the
// TTL do nothing. A store shared by replicas implements it for all of them;
// MemoryClaims serves one process.
type Claims interface {
	// Claim reports whether key was free and is now taken. An error means
	// the claim could not be checked: callers skip the work (fail closed),
	// since a reply missed is better than a reply doubled.
	Claim(ctx context.Context, key string) (bool, error)
	// Release frees a key whose work was refused (the bot was busy), so
	// that the platform's next delivery is handled.
	Release(ctx context.Context, key string) error
}

// DefaultClaimTTL is how long a claim holds. Slack retries an
// unacknowledged event three times within about five minutes, Socket Mode
// redelivers sooner, and a replay after an hour is stale by every
// platform's signature rules.
const DefaultClaimTTL = time.Hour

// MemoryClaims are Claims kept in one process. They are bounded: past max
// keys the oldest are forgotten early.
type MemoryClaims struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	now   func() time.Time
	at    map[string]time.Time
	order []claimedKey // insertion order, which is also expiry order
}

type claimedKey struct {
	key string
	at  time.Time
}

// DefaultMaxMemoryClaims bounds MemoryClaims: far more keys than a process
// receives in a TTL, and a few megabytes at most.
const DefaultMaxMemoryClaims = 100_000

// NewMemoryClaims returns claims held for ttl (DefaultClaimTTL when zero),
// at most max keys (DefaultMaxMemoryClaims when zero), on the clock now
// (time.Now when nil).
func NewMemoryClaims(ttl time.Duration, max int, now func() time.Time) *MemoryClaims {
	if ttl <= 0 {
		ttl = DefaultClaimTTL
	}
	if max <= 0 {
		max = DefaultMaxMemoryClaims
	}
	if now == nil {
		now = time.Now
	}
	return &MemoryClaims{ttl: ttl, max: max, now: now, at: map[string]time.Time{}}
}

// Claim implements Claims. An empty key is always free: there is nothing to
// tell deliveries apart by.
func (s *MemoryClaims) Claim(_ context.Context, key string) (bool, error) {
	if key == "" {
		return true, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	if _, ok := s.at[key]; ok {
		return false, nil
	}
	for len(s.order) >= s.max {
		s.drop()
	}
	s.at[key] = now
	s.order = append(s.order, claimedKey{key: key, at: now})
	return true, nil
}

// Release implements Claims.
func (s *MemoryClaims) Release(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.at, key)
	return nil
}

func (s *MemoryClaims) expire(now time.Time) {
	for len(s.order) > 0 && now.Sub(s.order[0].at) >= s.ttl {
		s.drop()
	}
}

func (s *MemoryClaims) drop() {
	k := s.order[0]
	s.order[0] = claimedKey{}
	s.order = s.order[1:]
	if s.at[k.key] == k.at {
		delete(s.at, k.key)
	}
}

// Len reports how many keys are held.
func (s *MemoryClaims) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.at)
}

// FallbackClaims are Primary's claims (a shared store) that degrade to
// Fallback's (in memory) while Primary fails, so that an outage of the
// store does not silence the bot: deliveries are then told apart within
// this process only. Keys Primary grants are kept in Fallback too, so a
// redelivery during a later outage is still recognised.
type FallbackClaims struct {
	Primary, Fallback Claims
	// OnError, when set, is told of each failure of Primary.
	OnError func(err error)
}

// Claim implements Claims.
func (c FallbackClaims) Claim(ctx context.Context, key string) (bool, error) {
	ok, err := c.Primary.Claim(ctx, key)
	if err != nil {
		if c.OnError != nil {
			c.OnError(err)
		}
		return c.Fallback.Claim(ctx, key)
	}
	if ok {
		_, _ = c.Fallback.Claim(ctx, key)
	}
	return ok, nil
}

// Release implements Claims.
func (c FallbackClaims) Release(ctx context.Context, key string) error {
	err := c.Primary.Release(ctx, key)
	if ferr := c.Fallback.Release(ctx, key); err == nil {
		err = ferr
	}
	return err
}
