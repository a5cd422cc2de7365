package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
)

// replicaDB is a schema of its own on the test PostgreSQL server, and a
// URL for faqbot that names its connections (application_name), so that
// the test can drop them, and nobody else's, as a server restart does.
type replicaDB struct {
	url, app string
	admin    *sql.DB
}

func newReplicaDB(t *testing.T) *replicaDB {
	t.Helper()
	base := os.Getenv("FAQBOT_TEST_DATABASE_URL")
	if base == "" {
		t.Skip("FAQBOT_TEST_DATABASE_URL is not set: no PostgreSQL for the replica tests (.ci/run starts one)")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "faqbot_replicas_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { // registered first: runs after the processes are gone
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema: %v", err)
		}
		admin.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return &replicaDB{url: base + sep + "search_path=" + schema + "&application_name=" + schema, app: schema, admin: admin}
}

// dropConnections ends every server session of the replicas, as a restart
// of PostgreSQL does, and returns how many it ended.
func (d *replicaDB) dropConnections(t *testing.T) int {
	t.Helper()
	var n int
	if err := d.admin.QueryRow(`SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`, d.app).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// faqFolder writes the embedded FAQ, plus extra Markdown, as a corpus
// folder of its own.
func faqFolder(t *testing.T, extra string) string {
	t.Helper()
	dir := t.TempDir()
	writeFAQ(t, dir, faqText(t)+extra)
	return dir
}

func writeFAQ(t *testing.T, dir, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, corpus.DefaultName), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

const newSection = "\n## Is there a checklist for the last week?\n\nYes: export your segments, pause recurring journeys and tell your team the date.\n"

// replicaSet starts faqbot replicas on one database and Slack workspace.
type replicaSet struct {
	t     *testing.T
	bin   string
	db    *replicaDB
	slack *slackWorkspace
}

func (rs *replicaSet) env(name, corpusDir string) map[string]string {
	env := rs.slack.env()
	env["FAQBOT_DATABASE_URL"], env["FAQBOT_REPLICA"], env["FAQBOT_CORPUS"] = rs.db.url, name, corpusDir
	env["FAQBOT_ADDR"], env["FAQBOT_DATA_DIR"], env["FAQBOT_ADMIN_TOKEN"] = "127.0.0.1:0", rs.t.TempDir(), recordsToken
	return env
}

func (rs *replicaSet) start(name, corpusDir string) *process {
	rs.t.Helper()
	return startProcess(rs.t, rs.bin, rs.env(name, corpusDir))
}

// terminate stops a replica as an orchestrator does (SIGTERM) and waits
// for it to drain.
func (p *process) terminate(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(waitLimit):
		t.Fatalf("replica did not stop:\n%s", p.logs)
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("replica exited %d:\n%s", code, p.logs)
	}
}

func (p *process) kill(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case <-p.exited:
	case <-time.After(waitLimit):
		t.Fatal("replica survived SIGKILL")
	}
}

// metric reads one sample of /metrics.
func (p *process) metric(t *testing.T, name string) float64 {
	t.Helper()
	r := do(t, "GET", p.url+"/metrics", "")
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`).FindSubmatch(r.body)
	if m == nil {
		t.Fatalf("/metrics has no %s", name)
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// ask asks a replica over /api/ask and returns the status and the corpus
// version of the answer.
func ask(client *http.Client, base, question string) (int, string, error) {
	resp, err := client.Post(base+"/api/ask", "application/json", strings.NewReader(askJSON(question)))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var a bot.Answer
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, &a); err != nil {
			return resp.StatusCode, "", fmt.Errorf("not an answer: %s", body)
		}
	}
	return resp.StatusCode, a.CorpusVersion, nil
}

// askLoad asks replicas over and over until stopped and keeps, per
// replica and worker, the versions answers came from in order.
type askLoad struct {
	stop   chan struct{}
	wg     sync.WaitGroup
	mu     sync.Mutex
	seq    map[string][]string // "replica/worker" -> versions in order
	failed []string
	asked  atomic.Int64
}

func startLoad(targets map[string]string, workers int) *askLoad {
	l := &askLoad{stop: make(chan struct{}), seq: map[string][]string{}}
	client := &http.Client{Timeout: waitLimit}
	for name, base := range targets {
		for w := range workers {
			key := fmt.Sprintf("%s/%d", name, w)
			l.wg.Go(func() {
				for {
					select {
					case <-l.stop:
						return
					default:
					}
					status, version, err := ask(client, base, "When will outbound marketing be removed?")
					l.asked.Add(1)
					l.mu.Lock()
					if err != nil || status != http.StatusOK {
						l.failed = append(l.failed, fmt.Sprintf("%s: %d %v", key, status, err))
					} else {
						l.seq[key] = append(l.seq[key], version)
					}
					l.mu.Unlock()
				}
			})
		}
	}
	return l
}

func (l *askLoad) finish() { close(l.stop); l.wg.Wait() }

// checkSwap checks that every answer came from old or new and that no
// worker got old after new.
func (l *askLoad) checkSwap(t *testing.T, old, new string) {
	t.Helper()
	for key, seq := range l.seq {
		sawNew := false
		for i, v := range seq {
			switch {
			case v != old && v != new:
				t.Errorf("%s: answer %d from corpus %q, neither %s nor %s", key, i, v, old, new)
			case v == new:
				sawNew = true
			case sawNew:
				t.Errorf("%s: answer %d from the old corpus after one from the new", key, i)
			}
		}
	}
}

// corpusDirOf is the corpus folder a replica was started with.
func corpusDirOf(p *process) string {
	for _, kv := range p.cmd.Env {
		if v, ok := strings.CutPrefix(kv, "FAQBOT_CORPUS="); ok {
			return v
		}
	}
	return ""
}

// faqText is the embedded FAQ's Markdown.
func faqText(t *testing.T) string {
	t.Helper()
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	return string(c.Snapshot.Pages[0].Data)
}

// sendEvent sends a signed app_mention and waits at most timeout for the
// acknowledgement, as Slack does.
func sendEvent(w *slackWorkspace, base, eventID, ts, text string, timeout time.Duration) (int, error) {
	body := fmt.Sprintf(`{"type":"event_callback","event_id":%q,"event":{"type":"app_mention","user":"U123","channel":"C1","ts":%q,"text":%q}}`, eventID, ts, "<@UBOT> "+text)
	now := strconv.FormatInt(time.Now().Unix(), 10)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/slack/events", strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", now)
	req.Header.Set("X-Slack-Signature", slackSign(w.secret, now, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
