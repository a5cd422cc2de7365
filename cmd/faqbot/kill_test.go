package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// buildFaqbot builds this command into a temporary directory.
func buildFaqbot(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "faqbot")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is a faqbot binary running `serve`.
type process struct {
	cmd    *exec.Cmd
	logs   *logSink
	url    string
	exited chan struct{}
}

func startProcess(t *testing.T, bin string, env map[string]string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, "serve"), logs: newLogSink(), exited: make(chan struct{})}
	p.cmd.Dir = t.TempDir() // no stray .env
	for k, v := range env {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Stderr = p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
	})
	line := p.logs.waitFor(t, "listening", p.exited)
	p.url = "http://" + line["addr"].(string)
	p.logs.waitFor(t, "faqbot ready", p.exited)
	return p
}

// TestKilledDuringAFeedbackBurstKeepsEveryAcknowledgedClick kills a real
// faqbot with SIGKILL while Slack users click feedback buttons: every
// click that was acknowledged (HTTP 200) must be in the database.
func TestKilledDuringAFeedbackBurstKeepsEveryAcknowledgedClick(t *testing.T) {
	bin := buildFaqbot(t)
	slack := newSlackWorkspace(t)
	dataDir := t.TempDir()
	env := slack.env()
	env["FAQBOT_ADDR"], env["FAQBOT_DATA_DIR"], env["FAQBOT_ASKER_IDS"] = "127.0.0.1:0", dataDir, "raw"
	p := startProcess(t, bin, env)
	slack.mention(p.url, "EvKill", "1700000200.000001", "What happens to my segments after the transition?")
	answer := slack.waitPost("C1", "1700000200.000001")

	const clicks, killAfter, workers = 400, 120, 8
	client := &http.Client{Timeout: waitLimit}
	var mu sync.Mutex
	var acked []string
	var kill sync.Once
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < clicks; i = next.Add(1) - 1 {
				user, kind := fmt.Sprintf("UKILL%04d", i), "helpful"
				if i%2 == 1 {
					kind = "not_helpful"
				}
				req, err := slack.clickRequest(p.url, answer, "1700000900.000100", user, kind)
				if err != nil {
					t.Error(err)
					return
				}
				resp, err := client.Do(req)
				if err != nil {
					continue // the server is gone: not acknowledged
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					continue
				}
				mu.Lock()
				acked = append(acked, user)
				n := len(acked)
				mu.Unlock()
				if n == killAfter {
					kill.Do(func() { p.cmd.Process.Signal(syscall.SIGKILL) })
				}
			}
		})
	}
	wg.Wait()
	select {
	case <-p.exited:
	case <-time.After(waitLimit):
		t.Fatal("faqbot survived SIGKILL")
	}
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("faqbot ended with %v, not by SIGKILL", p.cmd.ProcessState)
	}
	if len(acked) < killAfter || len(acked) >= clicks {
		t.Fatalf("%d of %d clicks acknowledged: the kill did not land during the burst", len(acked), clicks)
	}

	db, err := sql.Open("sqlite", filepath.Join(dataDir, "faqbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stored := map[string]bool{}
	rows, err := db.Query(`SELECT user_id FROM feedback`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			t.Fatal(err)
		}
		stored[u] = true
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	var lost []string
	for _, u := range acked {
		if !stored[u] {
			lost = append(lost, u)
		}
	}
	if len(lost) > 0 {
		t.Errorf("%d of %d acknowledged clicks lost: %v", len(lost), len(acked), lost)
	}
	t.Logf("%d clicks acknowledged before and around the kill, %d on disk", len(acked), len(stored))

	// The next start recovers the database and counts them.
	p = startProcess(t, bin, env)
	if r := do(t, "GET", p.url+"/readyz", ""); r.status != http.StatusOK {
		t.Errorf("restart not ready: %d", r.status)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "faqbot.db")); err != nil {
		t.Error(err)
	}
}
