package retry

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// Policy is faqbot's one way of retrying what failed for a reason that
// passes: how many times, how long to wait between attempts (exponential
// backoff with full jitter, so that clients that failed together spread
// out) and how long a server may ask it to wait. Each wire protocol says
// which of its failures pass (Retryable for HTTP, the Slack app for
// slack-go's errors); the policy is the same. The zero Policy retries 3
// times, waits 250 ms to 8 s, and honours waits asked for of up to 30 s.
type Policy struct {
	// Retries is the number of retries after the first attempt (3 when 0;
	// negative for none).
	Retries int
	// MinBackoff and MaxBackoff bound the wait between attempts. A wait
	// asked for (Retry-After) longer than MaxWait gives up instead.
	MinBackoff, MaxBackoff, MaxWait time.Duration
}

func (p Policy) retries() int {
	switch {
	case p.Retries < 0:
		return 0
	case p.Retries == 0:
		return 3
	}
	return p.Retries
}

func (p Policy) maxWait() time.Duration {
	if p.MaxWait > 0 {
		return p.MaxWait
	}
	return 30 * time.Second
}

// Backoff is the wait before retry attempt+1 (attempt counts from 0).
func (p Policy) Backoff(attempt int) time.Duration {
	lo, hi := p.MinBackoff, p.MaxBackoff
	if lo <= 0 {
		lo = 250 * time.Millisecond
	}
	if hi <= 0 {
		hi = 8 * time.Second
	}
	if hi < lo {
		hi = lo
	}
	ceil := lo << min(attempt, 20)
	if ceil > hi || ceil <= 0 {
		ceil = hi
	}
	return lo/2 + rand.N(ceil-lo/2+1)
}

// Classify says whether a failed attempt's error passes and how long the
// other side asked to wait before the next attempt: NotAsked when it did
// not say, and the policy's backoff applies.
type Classify func(err error) (retry bool, after time.Duration)

// NotAsked is the wait of a failure whose other side named none.
const NotAsked time.Duration = -1

// Do calls attempt until it succeeds or the policy gives up: classify says
// the error is final, the retries are spent, the wait asked for is beyond
// MaxWait, or ctx would end before the next attempt. onRetry, when set, is
// told before each wait (retry counts from 1). Do returns the last
// attempt's error; when ctx ends during a wait, that error together with
// ctx's.
func (p Policy) Do(ctx context.Context, attempt func(ctx context.Context) error, classify Classify, onRetry func(retry int, err error, wait time.Duration)) error {
	for n := 0; ; n++ {
		err := attempt(ctx)
		if err == nil {
			return nil
		}
		if _, ok := err.(final); ok || n >= p.retries() || ctx.Err() != nil {
			return unwrapFinal(err)
		}
		retry, after := classify(err)
		if !retry || after > p.maxWait() {
			return err
		}
		wait := after
		if wait < 0 {
			wait = p.Backoff(n)
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return err // the caller would be gone before the retry
		}
		if onRetry != nil {
			onRetry(n+1, err, wait)
		}
		if serr := sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%w (gave up waiting to retry: %w)", err, serr)
		}
	}
}

// final marks an error no retry can help, whatever classify would say.
type final struct{ err error }

func (f final) Error() string { return f.err.Error() }

func unwrapFinal(err error) error {
	if f, ok := err.(final); ok {
		return f.err
	}
	return err
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
