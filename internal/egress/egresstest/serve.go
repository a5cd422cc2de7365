// Package egresstest helps tests of the egress policy: servers on
// loopback addresses of their own.
package egresstest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// ServeOn runs h on the loopback address ip until the test ends. 127.0.0.2
// is not 127.0.0.1, so a policy can allow one (standing for a public host)
// and refuse the other. The test is skipped where ip cannot be bound.
func ServeOn(t *testing.T, ip string, h http.Handler) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	s := httptest.NewUnstartedServer(h)
	s.Listener.Close()
	s.Listener = ln
	s.Start()
	t.Cleanup(s.Close)
	return s
}
