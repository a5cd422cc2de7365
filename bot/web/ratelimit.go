package web

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// limiter allows each client a number of requests per window, and all
// clients together a multiple of that: enough for people, not for a
// script flooding the escalation channel. Clients are told apart by
// address; the table of them is bounded.
type limiter struct {
	per    int
	total  int
	window time.Duration
	now    func() time.Time

	mu      sync.Mutex
	start   time.Time
	counts  map[string]int
	counted int
}

// maxClients bounds the addresses a window remembers; past it, new
// addresses share one count.
const maxClients = 10000

func newLimiter(per, total int, window time.Duration) *limiter {
	return &limiter{per: per, total: total, window: window, now: time.Now, counts: map[string]int{}}
}

// allow reports whether r may go ahead, counting it if so.
func (l *limiter) allow(r *http.Request) bool {
	key := clientKey(r)
	l.mu.Lock()
	defer l.mu.Unlock()
	if now := l.now(); now.Sub(l.start) >= l.window {
		l.start, l.counts, l.counted = now, map[string]int{}, 0
	}
	if _, seen := l.counts[key]; !seen && len(l.counts) >= maxClients {
		key = "(others)"
	}
	if l.counts[key] >= l.per || l.counted >= l.total {
		return false
	}
	l.counts[key]++
	l.counted++
	return true
}

func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
