package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// runHealthcheck probes a running `faqbot serve` on FAQBOT_ADDR, for
// container images without curl (distroless): exit 0 when /healthz (or, with
// --ready, /readyz) answers 200, 1 otherwise.
func runHealthcheck(ctx context.Context, args []string, std streams, getenv func(string) string) error {
	var common commonFlags
	fs := newFlagSet("healthcheck", &common)
	ready := fs.Bool("ready", false, "probe /readyz (index loaded) instead of /healthz")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return &usageError{"healthcheck: takes no arguments"}
	}
	env, err := environment(getenv)
	if err != nil {
		return err
	}
	addr := first(env("FAQBOT_ADDR"), defaultAddr)
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return bad("FAQBOT_ADDR", "want host:port such as :8080 (%v)", err)
	}
	// A wildcard listen address is reachable on loopback.
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	path := "/healthz"
	if *ready {
		path = "/readyz"
	}
	url := "http://" + net.JoinHostPort(host, port) + path
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck %s: %w", url, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck %s: %s", url, resp.Status)
	}
	fmt.Fprintln(std.out, "ok")
	return nil
}
