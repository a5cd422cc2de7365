package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// faqbotProcess is `faqbot serve` started by the load generator, on a
// loopback port of its choosing, talking to the fake Slack API, with a
// fresh data dir and a minimal environment: no model keys, so answers are
// offline and the run measures faqbot, not a model server.
type faqbotProcess struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{} // closed when the log reader has seen the end

	mu     sync.Mutex
	levels map[string]int // log lines per level
	tail   []string       // the last log lines, for errors
	exit   error
}

// processEnv is the whole environment faqbot replica n gets.
func processEnv(cfg config, fakeURL, dataDir string, n int) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dataDir,
		"SLACK_BOT_TOKEN=xoxb-faqbot-load",
		"SLACK_SIGNING_SECRET=" + cfg.secret,
		"SLACK_API_URL=" + fakeURL + "/api/",
		"FAQBOT_ADDR=127.0.0.1:0",
		"FAQBOT_DATA_DIR=" + dataDir,
		"FAQBOT_EMBEDDINGS=local",
		"FAQBOT_LOG_LEVEL=" + cfg.serverLogLevel,
	}
	if cfg.corpus != "" {
		env = append(env, "FAQBOT_CORPUS="+cfg.corpus)
	}
	if cfg.databaseURL != "" {
		env = append(env, "FAQBOT_DATABASE_URL="+cfg.databaseURL, fmt.Sprintf("FAQBOT_REPLICA=load-%d", n+1))
	}
	return env
}

// startFaqbot runs the binary and waits for its "listening" log line, which
// names the port it took.
func startFaqbot(ctx context.Context, cfg config, fakeURL, dataDir string, n int, logTo io.Writer) (*faqbotProcess, error) {
	bin, err := exec.LookPath(cfg.faqbot)
	if err == nil {
		// It runs in dataDir: a relative path would no longer point at it.
		bin, err = filepath.Abs(bin)
	}
	if err != nil {
		return nil, fmt.Errorf("faqbot binary: %w", err)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = processEnv(cfg, fakeURL, dataDir, n)
	cmd.Dir = dataDir // so that no .env file of the caller's is read
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", cfg.faqbot, err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", cfg.faqbot, err)
	}
	p := &faqbotProcess{cmd: cmd, done: make(chan struct{}), levels: map[string]int{}}
	addr := make(chan string, 1)
	go p.readLogs(stderr, logTo, addr)
	select {
	case a := <-addr:
		p.url = "http://" + a
		return p, nil
	case <-p.done:
		return nil, fmt.Errorf("%s exited before listening: %v\n%s", cfg.faqbot, p.exitErr(), p.lastLines())
	case <-ctx.Done():
		p.stop(5 * time.Second)
		return nil, fmt.Errorf("start %s: %w", cfg.faqbot, ctx.Err())
	}
}

// readLogs counts faqbot's JSON log lines by level, keeps a few for errors,
// copies them to logTo, and reports the address from the "listening" line.
func (p *faqbotProcess) readLogs(r io.Reader, logTo io.Writer, addr chan<- string) {
	defer close(p.done)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if logTo != nil {
			fmt.Fprintf(logTo, "%s\n", line)
		}
		var rec struct{ Level, Msg, Addr string }
		_ = json.Unmarshal(line, &rec)
		p.mu.Lock()
		p.levels[rec.Level]++
		// Keep the start-up lines and the latest warnings and errors; a
		// busy run's info lines would push them out.
		if quiet := rec.Level == "INFO" || rec.Level == "DEBUG"; !quiet || len(p.tail) < 20 {
			p.tail = append(p.tail, string(line))
			if len(p.tail) > 40 {
				p.tail = append(p.tail[:20], p.tail[len(p.tail)-20:]...)
			}
		}
		p.mu.Unlock()
		if rec.Msg == "listening" && rec.Addr != "" {
			select {
			case addr <- rec.Addr:
			default:
			}
		}
	}
	p.mu.Lock()
	p.exit = p.cmd.Wait()
	p.mu.Unlock()
}

func (p *faqbotProcess) exitErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exit
}

func (p *faqbotProcess) lastLines() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.tail, "\n")
}

// logLevels returns how many log lines faqbot wrote at each level.
func (p *faqbotProcess) logLevels() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]int, len(p.levels))
	for l, n := range p.levels {
		out[l] = n
	}
	return out
}

// stop asks faqbot to shut down gracefully (SIGTERM) and kills it after
// grace. It returns the exit error: nil for a clean stop.
func (p *faqbotProcess) stop(grace time.Duration) error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("faqbot did not stop within %v; killed", grace)
	}
	return p.exitErr()
}

// waitReady polls /readyz until the index is loaded.
func waitReady(ctx context.Context, client *http.Client, base string, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s/readyz not ready after %v: %w", base, limit, errors.Join(last, ctx.Err()))
		case <-tick.C:
		}
	}
}
