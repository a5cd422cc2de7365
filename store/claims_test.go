package store

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

func TestClaimsHoldForTheirTTLAcrossReplicas(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		clk := newClock(monday)
		a := db.open(t, Options{Clock: clk.now})
		b := db.open(t, Options{Clock: clk.now}) // another replica, or the next process
		claim := func(s *Store, key string) bool {
			t.Helper()
			ok, err := s.Claim(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !claim(a, "slack:event:Ev1") || claim(b, "slack:event:Ev1") || claim(a, "slack:event:Ev1") {
			t.Fatal("Ev1 claimed twice or never")
		}
		clk.add(bot.DefaultClaimTTL - time.Second)
		if claim(b, "slack:event:Ev1") {
			t.Error("freed before its TTL")
		}
		clk.add(2 * time.Second)
		if !claim(b, "slack:event:Ev1") {
			t.Error("still held after its TTL")
		}
		if err := b.Release(ctx, "slack:event:Ev1"); err != nil || !claim(a, "slack:event:Ev1") {
			t.Errorf("released but not claimable (%v)", err)
		}
		long := strings.Repeat("k", 5000)
		if !claim(a, long) || claim(b, long) {
			t.Error("a long key is not claimed exactly once")
		}
		if !claim(a, "") || !claim(a, "") {
			t.Error("an empty key must always be free")
		}

		var won atomic.Int64
		var wg sync.WaitGroup
		for i := range 16 {
			s := a
			if i%2 == 1 {
				s = b
			}
			wg.Go(func() {
				if claim(s, "slack:event:race") {
					won.Add(1)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 {
			t.Errorf("%d concurrent claims won, want 1", won.Load())
		}

		clk.add(2 * bot.DefaultClaimTTL)
		p, err := a.Prune(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p.Claims != 3 || count(t, a, `SELECT COUNT(*) FROM claims`) != 0 {
			t.Errorf("pruned %+v, %d left", p, count(t, a, `SELECT COUNT(*) FROM claims`))
		}
	})
}

func TestClaimTTLIsAtLeastAnHour(t *testing.T) {
	s := testDB{url: "sqlite:" + t.TempDir() + "/x.db"}.open(t, Options{ClaimTTL: time.Minute})
	if s.opts.ClaimTTL != bot.DefaultClaimTTL {
		t.Errorf("claim TTL %v", s.opts.ClaimTTL)
	}
}
