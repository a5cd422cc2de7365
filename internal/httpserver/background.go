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
// graceful shutdown wait for it.
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
	b.mu.Lock()
	if b.closing {
		b.mu.Unlock()
		b.run(fn)
		return
	}
	b.wg.Add(1)
	b.mu.Unlock()
	go func() {
		defer b.wg.Done()
		b.run(fn)
	}()
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

// Wait waits for the work started with Go. When ctx ends first it cancels
// that work's context and returns ctx's error.
func (b *Background) Wait(ctx context.Context) error {
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	done := make(chan struct{})
	go func() {
		b.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		b.cancel()
		return nil
	case <-ctx.Done():
		b.cancel()
		return ctx.Err()
	}
}
