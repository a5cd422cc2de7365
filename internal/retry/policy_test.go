package retry

import (
	"context"
	"errors"
	"testing"
	"time"
)

var errPasses = errors.New("passes")

func TestPolicyBackoffStaysWithinBounds(t *testing.T) {
	p := Policy{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}
	for attempt := range 40 {
		if d := p.Backoff(attempt); d < 50*time.Millisecond || d > time.Second {
			t.Fatalf("Backoff(%d) = %v, outside [50ms, 1s]", attempt, d)
		}
	}
}

func TestPolicyDo(t *testing.T) {
	fast := Policy{Retries: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}
	passes := func(error) (bool, time.Duration) { return true, NotAsked }
	tests := []struct {
		name     string
		policy   Policy
		fails    int // attempts that fail before one succeeds
		classify Classify
		attempts int
		ok       bool
	}{
		{"succeeds after retries", fast, 2, passes, 3, true},
		{"gives up when retries are spent", fast, 5, passes, 3, false},
		{"final errors are not retried", fast, 5, func(error) (bool, time.Duration) { return false, NotAsked }, 1, false},
		{"a wait asked for beyond MaxWait gives up", Policy{MaxWait: time.Second}, 5, func(error) (bool, time.Duration) { return true, time.Minute }, 1, false},
		{"a wait of 0 asked for is honoured", Policy{MinBackoff: time.Hour, MaxBackoff: time.Hour}, 1, func(error) (bool, time.Duration) { return true, 0 }, 2, true},
		{"no retries", Policy{Retries: -1}, 5, passes, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, retries := 0, 0
			err := tt.policy.Do(context.Background(), func(context.Context) error {
				n++
				if n <= tt.fails {
					return errPasses
				}
				return nil
			}, tt.classify, func(int, error, time.Duration) { retries++ })
			if (err == nil) != tt.ok || n != tt.attempts || retries != n-1 {
				t.Errorf("err %v after %d attempts (%d retries told); want ok %v after %d", err, n, retries, tt.ok, tt.attempts)
			}
		})
	}
}

func TestPolicyDoStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := Policy{MinBackoff: time.Hour, MaxBackoff: time.Hour}
	err := p.Do(ctx, func(context.Context) error { return errPasses },
		func(error) (bool, time.Duration) { return true, NotAsked },
		func(int, error, time.Duration) { cancel() })
	if !errors.Is(err, errPasses) || !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want the attempt's error and the cancellation", err)
	}
}
