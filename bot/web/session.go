package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The dashboard's sign-in: the admin token, typed once into a form,
// buys a session cookie (random, HttpOnly, SameSite=Strict, Secure over
// HTTPS). Sessions live in memory: a restart, or another replica, asks
// to sign in again.

// Session settings.
const (
	sessionCookie = "faqbot_admin"
	// SessionTTL is how long a session lasts after sign-in.
	SessionTTL = 12 * time.Hour
	// maxSessions bounds the sessions kept; the oldest go first.
	maxSessions = 1000
	// Failed sign-ins allowed per client address and in all per window;
	// past them the form answers 429 until the window has passed.
	loginFailuresPerClient = 10
	loginFailuresInAll     = 100
	loginWindow            = 10 * time.Minute
	maxLoginClients        = 10_000
)

// tokenMatches compares a presented token with the admin token in
// constant time; hashing first makes it independent of the lengths too.
func tokenMatches(got, want string) bool {
	if want == "" {
		return false
	}
	g := sha256.Sum256([]byte(strings.TrimSpace(got)))
	w := sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// session is one signed-in browser.
type session struct {
	// csrf is the token every POST of the session carries.
	csrf    string
	expires time.Time
}

// sessions are the signed-in browsers, by the SHA-256 of their cookie: a
// look at memory shows no usable cookie.
type sessions struct {
	mu  sync.Mutex
	m   map[[32]byte]session
	now func() time.Time

	failures *loginLimiter
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{m: map[[32]byte]session{}, now: now, failures: newLoginLimiter(now)}
}

func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails
	return hex.EncodeToString(b[:])
}

// start makes a session and returns its cookie value.
func (s *sessions) start() (string, session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if len(s.m) >= maxSessions {
		var oldest [32]byte
		first := true
		for k, v := range s.m {
			if v.expires.Before(now) {
				delete(s.m, k)
				continue
			}
			if first || v.expires.Before(s.m[oldest].expires) {
				oldest, first = k, false
			}
		}
		if len(s.m) >= maxSessions {
			delete(s.m, oldest)
		}
	}
	value := randomToken()
	sess := session{csrf: randomToken(), expires: now.Add(SessionTTL)}
	s.m[sha256.Sum256([]byte(value))] = sess
	return value, sess
}

// get returns the request's live session.
func (s *sessions) get(r *http.Request) (session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || len(c.Value) != 64 {
		return session{}, false
	}
	key := sha256.Sum256([]byte(c.Value))
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.m[key]
	if !ok {
		return session{}, false
	}
	if !sess.expires.After(s.now()) {
		delete(s.m, key)
		return session{}, false
	}
	return sess, true
}

// end forgets the request's session.
func (s *sessions) end(r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.mu.Lock()
		delete(s.m, sha256.Sum256([]byte(c.Value)))
		s.mu.Unlock()
	}
}

// setCookie sends the session cookie for ttl; ttl 0 clears it. The
// browser's copy ends by its own clock; the session itself by the
// server's.
func setCookie(w http.ResponseWriter, r *http.Request, value string, ttl time.Duration) {
	c := &http.Cookie{
		Name: sessionCookie, Value: value, Path: "/admin", MaxAge: int(ttl.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: isHTTPS(r),
	}
	if ttl <= 0 {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// isHTTPS tells whether the browser reached us over HTTPS: directly, or
// through a proxy that says so. Believing the header can only add Secure
// to the cookie, never take it away.
func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// validCSRF checks a POST's token against the session's, in constant time.
func validCSRF(sess session, got string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(sess.csrf)) == 1
}

// sameOrigin refuses POSTs a browser sent from another site (SameSite
// already keeps the cookie from them; this also covers the sign-in form,
// which has no session yet).
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || origin == "null" && r.Header.Get("Sec-Fetch-Site") == "same-origin" {
		return true
	}
	scheme := "http://"
	if isHTTPS(r) {
		scheme = "https://"
	}
	return strings.EqualFold(origin, scheme+r.Host)
}

// loginLimiter counts failed sign-ins per client address and in all.
type loginLimiter struct {
	mu      sync.Mutex
	now     func() time.Time
	clients map[string][]time.Time
	all     []time.Time
}

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, clients: map[string][]time.Time{}}
}

// clientOf is the address a request came from, without its port. Behind
// a proxy that is the proxy's: the overall limit still holds.
func clientOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func recent(ts []time.Time, since time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(since) {
		i++
	}
	return ts[i:]
}

// blocked reports how long client must wait before trying again; 0 when
// it may try now.
func (l *loginLimiter) blocked(client string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	since := now.Add(-loginWindow)
	l.all = recent(l.all, since)
	c := recent(l.clients[client], since)
	l.clients[client] = c
	if len(c) == 0 {
		delete(l.clients, client)
	}
	var wait time.Duration
	if len(c) >= loginFailuresPerClient {
		wait = c[0].Sub(since)
	}
	if len(l.all) >= loginFailuresInAll {
		wait = max(wait, l.all[0].Sub(since))
	}
	return wait
}

// fail counts a failed sign-in from client.
func (l *loginLimiter) fail(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if _, ok := l.clients[client]; !ok && len(l.clients) >= maxLoginClients {
		since := now.Add(-loginWindow)
		for k, v := range l.clients {
			if len(recent(v, since)) == 0 {
				delete(l.clients, k)
			}
		}
	}
	l.clients[client] = append(l.clients[client], now)
	l.all = append(l.all, now)
}
