package httpserver

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
)

// Background runs work that outlives the request that started it, such as
// a Slack answer posted after the three-second acknowledgement, and lets a
// graceful shutdown wait for it. It is the one tracker of such work: the
// server's, the Slack app's and the Teams bot's.
type Background struct {
	ctx    context.Context
	cancel context.CancelFunc
	log    *slog.Logger

	mu      sync.Mutex
	wg      sync.WaitGroup
	closing bool
}

// NewBackground returns an empty tracker that logs panics to log.
func NewBackground(log *slog.Logger) *Background {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Background{ctx: ctx, cancel: cancel, log: log}
}

// Go runs fn in a goroutine. fn's context is not the request's, so it
// survives the reply, nor the signal's, so it survives the start of a
// shutdown; it is cancelled only when Wait gives up. Work started once Wait
// has begun runs in the caller's goroutine instead, so none is lost.
func (b *Background) Go(fn func(ctx context.Context)) {
	if !b.Start(fn) {
		b.run(fn)
	}
}

// Start runs fn in a goroutine as Go does, unless Wait has begun: then it
// runs nothing and returns false, for intake that can ask its sender to
// come back later (a 503 that Slack retries, "I'm restarting").
func (b *Background) Start(fn func(ctx context.Context)) bool {
	b.mu.Lock()
	if b.closing {
		b.mu.Unlock()
		return false
	}
	b.wg.Add(1)
	b.mu.Unlock()
	go func() {
		defer b.wg.Done()
		b.run(fn)
	}()
	return true
}

// Closing reports whether Wait has begun.
func (b *Background) Closing() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closing
}

// run calls fn; a panic in background work is logged, not fatal, as it is
// for handlers.
func (b *Background) run(fn func(ctx context.Context)) {
	defer func() {
		if v := recover(); v != nil {
			b.log.Error("background work panicked", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		}
	}()
	fn(b.ctx)
}

// Wait stops new work (Start refuses it) and waits for the work started.
// When ctx ends first it cancels that work's context, waits for the work to
// return (its last words, such as an apology, have timeouts of their own)
// and returns ctx's error: nothing runs on once Wait has returned.
func (b *Background) Wait(ctx context.Context) error {
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	done := make(chan struct{})
	go func() {
		b.wg.Wait()
		close(done)
	}()
	defer b.cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		b.cancel()
		<-done
		return ctx.Err()
	}
}

// Idle blocks until no work is in flight, without stopping new work: for
// callers that keep serving, and tests.
func (b *Background) Idle() { b.wg.Wait() }
