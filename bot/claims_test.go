package bot

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestMemoryClaimsExpireAndStayBounded(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(0, 0)
	s := NewMemoryClaims(10*time.Minute, 3, func() time.Time { return now })
	claim := func(k string) bool {
		ok, err := s.Claim(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim("a") || claim("a") {
		t.Fatal("a: claimed twice or never")
	}
	now = now.Add(9 * time.Minute)
	if claim("a") {
		t.Error("a freed before its TTL")
	}
	now = now.Add(2 * time.Minute)
	if !claim("a") {
		t.Error("a still held after its TTL")
	}
	if err := s.Release(ctx, "a"); err != nil || !claim("a") {
		t.Error("a released but not claimable")
	}
	for _, k := range []string{"b", "c", "d", "e"} {
		claim(k)
	}
	if s.Len() != 3 {
		t.Errorf("holds %d keys, bound is 3", s.Len())
	}
	for range 2 {
		if !claim("") {
			t.Error("empty keys must always be free")
		}
	}
}

// flakyClaims fail while down is set, else behave as MemoryClaims.
type flakyClaims struct {
	*MemoryClaims
	down bool
}

func (f *flakyClaims) Claim(ctx context.Context, key string) (bool, error) {
	if f.down {
		return false, errors.New("database is unreachable")
	}
	return f.MemoryClaims.Claim(ctx, key)
}

func TestFallbackClaimsDegradeInsteadOfSilencing(t *testing.T) {
	ctx := context.Background()
	primary := &flakyClaims{MemoryClaims: NewMemoryClaims(0, 0, nil)}
	var failures int
	c := FallbackClaims{Primary: primary, Fallback: NewMemoryClaims(0, 0, nil), OnError: func(error) { failures++ }}
	claim := func(k string) bool {
		ok, err := c.Claim(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim("ev1") || claim("ev1") {
		t.Fatal("ev1 claimed twice or never while the store works")
	}
	primary.down = true
	if claim("ev1") {
		t.Error("a key the store granted was granted again during its outage")
	}
	if !claim("ev2") || claim("ev2") {
		t.Error("during an outage, keys are not told apart in memory")
	}
	if failures != 3 {
		t.Errorf("OnError told of %d failures, want 3", failures)
	}
}
