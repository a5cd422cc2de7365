package web

import (
	"net/http/httptest"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter(2, 3, time.Minute)
	l.now = func() time.Time { return now }
	from := func(addr string) bool {
		r := httptest.NewRequest("POST", "/", nil)
		r.RemoteAddr = addr
		return l.allow(r)
	}
	got := []bool{from("1.1.1.1:1"), from("1.1.1.1:2"), from("1.1.1.1:3"), from("2.2.2.2:1"), from("3.3.3.3:1")}
	want := []bool{true, true, false, true, false} // per client 2, all together 3
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d allowed %v, want %v", i, got[i], want[i])
		}
	}
	now = now.Add(time.Minute)
	if !from("1.1.1.1:4") {
		t.Error("a new window still refuses")
	}
}
