package bot

import (
	"context"
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
