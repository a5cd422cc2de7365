// Command faqbot-load puts `faqbot serve` under load on this machine: it
// fakes the Slack Web API, sends signed Slack app_mention events (some
// redelivered, as Slack does) and /api/ask requests on a fixed schedule,
// and reports acknowledgement and answer latency, throughput, errors, and
// duplicate or lost replies as counted by the fake. It is bounded in
// requests and time and talks to loopback addresses only.
//
//	faqbot-load -faqbot ./faqbot -rate 200 -duration 20s
//	faqbot-load -faqbot ./faqbot -replicas 2 -database-url postgres://127.0.0.1:5432/faqbot -rate 200
//	faqbot-load -url http://127.0.0.1:8080 -slack-api-addr 127.0.0.1:9999 -rate 50
//
// Exit status: 0 when the run passes, 1 when it fails (a duplicate or lost
// reply, a failed request, or the p99 acknowledgement over -max-p99), 2 for
// bad flags.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// config is a run's settings, from the flags.
type config struct {
	faqbot         string // binary to start, or
	url            string // a running faqbot to target
	secret         string
	fakeAddr       string
	corpus         string
	serverLog      string
	serverLogLevel string
	// replicas faqbots are started on databaseURL (PostgreSQL), which they
	// share; events go to them in turn, a retry to another one.
	replicas    int
	databaseURL string

	rate, askRate float64
	duration      time.Duration
	maxEvents     int
	maxAsks       int
	retryFraction float64
	retryDelay    time.Duration
	slackLatency  time.Duration
	rateLimited   []string
	drain         time.Duration
	timeout       time.Duration
	readyLimit    time.Duration
	maxInFlight   int
	maxP99        time.Duration
	json          bool
}

// Hard bounds, whatever the flags say.
const (
	maxDuration = 10 * time.Minute
	maxRequests = 1_000_000
	maxRate     = 10_000
	// maxReplicas is as many as Slack lets share a Socket Mode app.
	maxReplicas = 10
)

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("faqbot-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.faqbot, "faqbot", "", "path to a built faqbot binary to start as 'faqbot serve' (offline, local embeddings)")
	fs.StringVar(&c.url, "url", "", "base URL of a running faqbot serve on a loopback address, instead of -faqbot")
	fs.StringVar(&c.secret, "secret", "", "Slack signing secret of the running faqbot (-url); default $SLACK_SIGNING_SECRET")
	fs.StringVar(&c.fakeAddr, "slack-api-addr", "127.0.0.1:0", "loopback address of the fake Slack Web API; with -url, the one faqbot's SLACK_API_URL points at (http://ADDR/api/)")
	fs.DurationVar(&c.slackLatency, "slack-latency", 0, "delay every fake Slack API reply by this much (e.g. 100ms, a Slack far away)")
	fs.Func("slack-rate-limit", "answer this Web API `method` with 429 and Retry-After: 1, every time (repeatable)", func(m string) error {
		c.rateLimited = append(c.rateLimited, m)
		return nil
	})
	fs.IntVar(&c.replicas, "replicas", 1, "how many faqbot processes to start (-faqbot); more than one needs -database-url")
	fs.StringVar(&c.databaseURL, "database-url", "", "FAQBOT_DATABASE_URL of the started faqbots: a PostgreSQL on a loopback address, which the replicas share")
	fs.StringVar(&c.corpus, "corpus", "", "FAQBOT_CORPUS for the started faqbot (default: the embedded FAQ)")
	fs.StringVar(&c.serverLog, "server-log", "", "file to copy the started faqbot's log to")
	fs.StringVar(&c.serverLogLevel, "server-log-level", "info", "FAQBOT_LOG_LEVEL for the started faqbot")
	fs.Float64Var(&c.rate, "rate", 200, "Slack events per second")
	fs.Float64Var(&c.askRate, "ask-rate", 0, "/api/ask requests per second (0: none)")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long to send (at most 10m)")
	fs.IntVar(&c.maxEvents, "max-events", 100_000, "at most this many events (retries not counted)")
	fs.IntVar(&c.maxAsks, "max-asks", 100_000, "at most this many /api/ask requests")
	fs.Float64Var(&c.retryFraction, "retry-fraction", 0.1, "share of events delivered again with X-Slack-Retry-Num: 1")
	fs.DurationVar(&c.retryDelay, "retry-delay", 200*time.Millisecond, "how long after the first delivery a retry is sent")
	fs.DurationVar(&c.drain, "drain", 10*time.Second, "how long to wait for replies after the last request")
	fs.DurationVar(&c.timeout, "timeout", 5*time.Second, "per-request timeout")
	fs.DurationVar(&c.readyLimit, "ready-timeout", 2*time.Minute, "how long to wait for /readyz (a large corpus takes a while to index)")
	fs.IntVar(&c.maxInFlight, "max-in-flight", 2000, "requests in flight at most; more are counted as not sent")
	fs.DurationVar(&c.maxP99, "max-p99", 100*time.Millisecond, "fail when the p99 acknowledgement takes longer")
	fs.BoolVar(&c.json, "json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.url != "" && c.secret == "" {
		c.secret = getenv("SLACK_SIGNING_SECRET")
	}
	return c, c.validate()
}

func (c *config) validate() error {
	switch {
	case (c.faqbot == "") == (c.url == ""):
		return errors.New("give exactly one of -faqbot (start one) and -url (use a running one)")
	case c.url != "" && c.secret == "":
		return errors.New("-url needs -secret or $SLACK_SIGNING_SECRET (faqbot's signing secret)")
	case c.rate <= 0 || c.rate > maxRate:
		return fmt.Errorf("-rate must be in (0, %d]", maxRate)
	case c.askRate < 0 || c.askRate > maxRate:
		return fmt.Errorf("-ask-rate must be in [0, %d]", maxRate)
	case c.duration <= 0 || c.duration > maxDuration:
		return fmt.Errorf("-duration must be in (0, %v]", maxDuration)
	case c.maxEvents <= 0 || c.maxEvents > maxRequests:
		return fmt.Errorf("-max-events must be in [1, %d]", maxRequests)
	case c.maxAsks < 0 || c.maxAsks > maxRequests:
		return fmt.Errorf("-max-asks must be in [0, %d]", maxRequests)
	case c.retryFraction < 0 || c.retryFraction > 1:
		return errors.New("-retry-fraction must be in [0, 1]")
	case c.replicas < 1 || c.replicas > maxReplicas:
		return fmt.Errorf("-replicas must be in [1, %d]", maxReplicas)
	case c.replicas > 1 && (c.faqbot == "" || c.databaseURL == ""):
		return errors.New("-replicas above 1 needs -faqbot and -database-url: replicas share a PostgreSQL database")
	case c.databaseURL != "" && c.faqbot == "":
		return errors.New("-database-url configures the faqbots -faqbot starts")
	case c.maxInFlight <= 0 || c.timeout <= 0 || c.drain < 0 || c.retryDelay < 0 || c.slackLatency < 0 || c.slackLatency > time.Minute:
		return errors.New("-max-in-flight and -timeout must be positive; -drain, -retry-delay and -slack-latency (at most 1m) not negative")
	}
	if c.databaseURL != "" {
		u, err := url.Parse(c.databaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || !loopback(u.Hostname()) {
			return errors.New("-database-url: want postgres:// on a loopback address; faqbot-load loads this machine only")
		}
	}
	host, port, err := net.SplitHostPort(c.fakeAddr)
	if err != nil || !loopback(host) {
		return fmt.Errorf("-slack-api-addr %q: want a loopback host:port such as 127.0.0.1:9999", c.fakeAddr)
	}
	if c.url != "" {
		u, err := url.Parse(c.url)
		if err != nil || u.Scheme != "http" || !loopback(u.Hostname()) {
			return fmt.Errorf("-url %q: want http:// on a loopback address; faqbot-load loads this machine only", c.url)
		}
		if port == "0" {
			return errors.New("-url needs -slack-api-addr with a fixed port: the one the running faqbot's SLACK_API_URL points at")
		}
	}
	return nil
}

// loopback reports whether host is this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// randomSecret signs the events sent to a faqbot the tool starts.
func randomSecret() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// run is the command; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	cfg, err := parseFlags(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "faqbot-load:", err)
		return 2
	}
	if cfg.secret == "" {
		cfg.secret = randomSecret()
	}
	rep, err := execute(ctx, cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "faqbot-load:", err)
		return 1
	}
	if cfg.json {
		err = rep.writeJSON(stdout)
	} else {
		err = rep.writeTable(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "faqbot-load: write report:", err)
		return 1
	}
	if !rep.Pass {
		return 1
	}
	return 0
}
