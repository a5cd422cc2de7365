package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fakeSlack is the Slack Web API as faqbot uses it: form-encoded requests,
// {"ok": true, ...} replies. It counts every call and every message posted
// in each thread, which is how duplicate and lost replies are found. It
// does as little as it can per call: at 200 events/s it takes about three
// calls per event.
type fakeSlack struct {
	// latency delays every reply, as a distant Slack would: answers then
	// stay in flight longer, which shows how faqbot's background work grows.
	latency time.Duration
	// limited methods are answered 429 with Retry-After: 1, as Slack does
	// past a method's rate limit (reactions.add allows some 50 a minute).
	limited map[string]bool
	seq     atomic.Int64 // message timestamps
	conns   atomic.Int64 // connections faqbot opened

	mu    sync.Mutex
	calls map[string]int
	// posts counts the messages posted under each thread (channel/ts); first
	// is when the first of them arrived.
	posts map[string]int
	first map[string]time.Time
	// unthreaded counts messages outside any thread, e.g. escalations.
	unthreaded int
}

func newFakeSlack(latency time.Duration, limited []string) *fakeSlack {
	f := &fakeSlack{latency: latency, limited: map[string]bool{}, calls: map[string]int{}, posts: map[string]int{}, first: map[string]time.Time{}}
	for _, m := range limited {
		f.limited[m] = true
	}
	return f
}

func (f *fakeSlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// GET methods (chat.getPermalink) carry their arguments in the query.
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	method := path.Base(r.URL.Path)
	now := time.Now()
	f.mu.Lock()
	f.calls[method]++
	if f.limited[method] {
		f.calls[method+" (429)"]++
		f.mu.Unlock()
		w.Header().Set("Retry-After", "1")
		http.Error(w, "ratelimited", http.StatusTooManyRequests)
		return
	}
	if method == "chat.postMessage" {
		f.posted(r.PostForm.Get("channel"), r.PostForm.Get("thread_ts"), now)
	}
	f.mu.Unlock()
	if f.latency > 0 {
		t := time.NewTimer(f.latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, f.reply(method, r.Form))
}

// connState counts the connections faqbot opens: far more connections
// than calls' worth of concurrency means its client does not reuse them.
func (f *fakeSlack) connState(_ net.Conn, s http.ConnState) {
	if s == http.StateNew {
		f.conns.Add(1)
	}
}

// posted records a message; f.mu is held.
func (f *fakeSlack) posted(channel, thread string, now time.Time) {
	if thread == "" {
		f.unthreaded++
		return
	}
	k := channel + "/" + thread
	if f.posts[k] == 0 {
		f.first[k] = now
	}
	f.posts[k]++
}

// reply is the JSON answer to a Web API method.
func (f *fakeSlack) reply(method string, form map[string][]string) string {
	get := func(k string) string {
		if v := form[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	switch method {
	case "auth.test":
		return `{"ok":true,"url":"https://load.slack.com/","team":"Load","user":"faqbot","team_id":"` + teamID +
			`","user_id":"` + botUserID + `","bot_id":"` + botID + `"}`
	case "chat.postMessage", "chat.update":
		ts := get("ts")
		if ts == "" {
			ts = fmt.Sprintf("1800000000.%06d", f.seq.Add(1)%1_000_000)
		}
		return `{"ok":true,"channel":` + quote(get("channel")) + `,"ts":"` + ts + `"}`
	case "chat.getPermalink":
		return `{"ok":true,"channel":` + quote(get("channel")) + `,"permalink":` +
			quote("https://load.slack.com/archives/"+get("channel")+"/p"+strings.ReplaceAll(get("message_ts"), ".", "")) + `}`
	case "conversations.replies":
		return `{"ok":true,"messages":[],"has_more":false,"response_metadata":{"next_cursor":""}}`
	case "reactions.add", "reactions.remove":
		return `{"ok":true}`
	}
	return `{"ok":false,"error":"unknown_method"}`
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// answered reports how many messages were posted under each of keys and
// when the first one arrived.
func (f *fakeSlack) answered(keys []string) (counts []int, first []time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	counts = make([]int, len(keys))
	first = make([]time.Time, len(keys))
	for i, k := range keys {
		counts[i], first[i] = f.posts[k], f.first[k]
	}
	return counts, first
}

// allAnswered reports whether every key has at least one message.
func (f *fakeSlack) allAnswered(keys []string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, k := range keys {
		if f.posts[k] == 0 {
			return false
		}
	}
	return true
}

// stats returns the calls per method and the messages posted under threads
// nobody asked in, and outside threads.
func (f *fakeSlack) stats(expected map[string]bool) (calls map[string]int, strays, unthreaded int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	calls = make(map[string]int, len(f.calls))
	for m, n := range f.calls {
		calls[m] = n
	}
	for k, n := range f.posts {
		if !expected[k] {
			strays += n
		}
	}
	return calls, strays, f.unthreaded
}
