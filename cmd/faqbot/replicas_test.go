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

// TestReplicasOnOnePostgres runs real faqbot processes against one
// PostgreSQL database and checks what issue 13 asks of them: one reply per
// Slack event across replicas and a kill -9, one escalation per answer,
// refreshes that reach every replica without a failed or mixed answer, a
// late replica that starts on the shared corpus without embedding, and
// replicas that ride out the server dropping their connections.
func TestReplicasOnOnePostgres(t *testing.T) {
	db := newReplicaDB(t)
	rs := &replicaSet{t: t, bin: buildFaqbot(t), db: db, slack: newSlackWorkspace(t)}
	const q = "What happens to my segments after the transition?"

	a := rs.start("replica-a", faqFolder(t, ""))
	b := rs.start("replica-b", faqFolder(t, ""))
	ready := b.logs.waitFor(t, "faqbot ready", b.exited)
	if ready["replica"] != "replica-b" || ready["corpus_revision"] != float64(1) {
		t.Errorf("B's start-up line: replica %v, corpus revision %v", ready["replica"], ready["corpus_revision"])
	}
	wantMetrics(t, string(do(t, "GET", b.url+"/metrics", "").body), `faqbot_replica_info{replica="replica-b"} 1`, "faqbot_corpus_revision 1")
	if n := a.metric(t, "faqbot_embeddings_computed_total"); n == 0 {
		t.Error("the first replica embedded nothing")
	}
	if n := b.metric(t, "faqbot_embeddings_computed_total"); n != 0 {
		t.Errorf("the second replica embedded %v texts the first had embedded", n)
	}

	// A Slack event answered by A, retried to B: one reply.
	rs.slack.mention(a.url, "EvR1", "1700001000.000001", q)
	answer := rs.slack.waitPost("C1", "1700001000.000001")
	rs.slack.mention(b.url, "EvR1", "1700001000.000001", q, "X-Slack-Retry-Num", "1")

	// "Ask a human" on the same answer, on both replicas at once: one
	// escalation.
	var clicks sync.WaitGroup
	for i, p := range []*process{a, b} {
		clicks.Go(func() {
			if r := rs.slack.click(p.url, answer, "1700001000.000900", fmt.Sprint("UCLICK", i), "ask_human"); r.status != http.StatusOK {
				t.Errorf("click on replica %d: %d %s", i, r.status, r.body)
			}
		})
	}
	clicks.Wait()

	// /admin/refresh on A, under load on both: B serves the new corpus
	// within 5 s, and nobody gets a failed or mixed answer.
	old := decodeAnswer(t, do(t, "POST", b.url+"/api/ask", askJSON(q))).CorpusVersion
	load := startLoad(map[string]string{"a": a.url, "b": b.url}, 3)
	time.Sleep(200 * time.Millisecond) // answers from the old corpus first
	writeFAQ(t, corpusDirOf(a), faqText(t)+newSection)
	r := do(t, "POST", a.url+"/admin/refresh", "", "Authorization", "Bearer "+recordsToken)
	if r.status != http.StatusOK {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	refreshed := time.Now()
	var summary struct {
		NewVersion string `json:"new_version"`
	}
	json.Unmarshal(r.body, &summary)
	if summary.NewVersion == "" || summary.NewVersion == old {
		t.Fatalf("refresh did not change the version: %s", r.body)
	}
	for {
		if _, v, err := ask(http.DefaultClient, b.url, q); err == nil && v == summary.NewVersion {
			break
		}
		if time.Since(refreshed) > 5*time.Second {
			t.Fatalf("B still serves the old corpus 5 s after the refresh on A:\n%s", b.logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("B served %s %v after the refresh on A returned", summary.NewVersion, time.Since(refreshed).Round(time.Millisecond))
	time.Sleep(200 * time.Millisecond) // answers from the new corpus too
	load.finish()
	if len(load.failed) > 0 {
		t.Errorf("%d of %d answers failed during the swap: %v", len(load.failed), load.asked.Load(), load.failed[:min(5, len(load.failed))])
	}
	load.checkSwap(t, old, summary.NewVersion)

	// A third replica, configured with the old FAQ, starts on the new one
	// and embeds nothing.
	c := rs.start("replica-c", faqFolder(t, ""))
	if line := c.logs.waitFor(t, "faqbot ready", c.exited); line["corpus_version"] != summary.NewVersion {
		t.Errorf("the late replica serves %v, want %s", line["corpus_version"], summary.NewVersion)
	}
	if n := c.metric(t, "faqbot_embeddings_computed_total"); n != 0 {
		t.Errorf("the late replica embedded %v texts", n)
	}
	if n := c.metric(t, "faqbot_embeddings_shared_total"); n == 0 {
		t.Error("the late replica took no vectors from the shared cache")
	}

	// An event A never acknowledged (it hangs, then dies by kill -9),
	// retried to B: B answers it once.
	a.cmd.Process.Signal(syscall.SIGSTOP)
	if _, err := sendEvent(rs.slack, a.url, "EvR2", "1700001000.000002", q, 2*time.Second); err == nil {
		t.Error("a stopped replica acknowledged an event")
	}
	a.kill(t)
	rs.slack.mention(b.url, "EvR2", "1700001000.000002", q, "X-Slack-Retry-Num", "1")
	rs.slack.waitPost("C1", "1700001000.000002")
	// An event C answered before it died by kill -9, retried to B: no
	// second reply.
	rs.slack.mention(c.url, "EvR3", "1700001000.000003", q)
	rs.slack.waitPost("C1", "1700001000.000003")
	c.kill(t)
	rs.slack.mention(b.url, "EvR3", "1700001000.000003", q, "X-Slack-Retry-Num", "1")

	// The server drops every connection (as a restart does) while B and a
	// new A answer: answers keep flowing, Slack events are answered again
	// once claims can be checked, and a refresh still fans out.
	a = rs.start("replica-a2", faqFolder(t, ""))
	load = startLoad(map[string]string{"a": a.url, "b": b.url}, 2)
	time.Sleep(100 * time.Millisecond)
	if n := db.dropConnections(t); n == 0 {
		t.Fatal("no connection to drop")
	}
	time.Sleep(300 * time.Millisecond)
	load.finish()
	if len(load.failed) > 0 {
		t.Errorf("%d of %d answers failed while the database dropped connections: %v", len(load.failed), load.asked.Load(), load.failed[:min(5, len(load.failed))])
	}
	answeredAfterDrop := false
	for i := 0; i < 50 && !answeredAfterDrop; i++ {
		ts := fmt.Sprintf("1700001100.%06d", i)
		rs.slack.mention(b.url, fmt.Sprint("EvDrop", i), ts, q)
		deadline := time.Now().Add(2 * time.Second)
		for !answeredAfterDrop && time.Now().Before(deadline) {
			answeredAfterDrop = len(rs.slack.postsIn("C1", ts)) > 0
			time.Sleep(10 * time.Millisecond)
		}
	}
	if !answeredAfterDrop {
		t.Fatalf("no Slack event answered after the connections dropped:\n%s", b.logs)
	}
	writeFAQ(t, corpusDirOf(b), faqText(t)+newSection+"\n## One more question\n\nOne more answer.\n")
	r = do(t, "POST", b.url+"/admin/refresh", "", "Authorization", "Bearer "+recordsToken)
	if r.status != http.StatusOK {
		t.Fatalf("refresh after the drop: %d %s", r.status, r.body)
	}
	json.Unmarshal(r.body, &summary)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, v, err := ask(http.DefaultClient, a.url, q); err == nil && v == summary.NewVersion {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("A does not serve the refresh B made after the drop:\n%s", a.logs)
		}
		time.Sleep(10 * time.Millisecond)
	}

	// Drained, the replicas have posted all they will.
	a.terminate(t)
	b.terminate(t)
	for _, ts := range []string{"1700001000.000001", "1700001000.000002", "1700001000.000003"} {
		if n := len(rs.slack.postsIn("C1", ts)); n != 1 {
			t.Errorf("event in thread %s answered %d times, want once", ts, n)
		}
	}
	if n := len(rs.slack.postsIn("CESC", "")); n != 1 {
		t.Errorf("%d escalation posts for one answer clicked on two replicas, want 1", n)
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

// A replica that cannot load the corpus another replica shared (a newer
// faqbot's, say) keeps answering from the one it has, but stops saying it
// is ready once the grace period is over, until it serves the newest
// corpus again.
func TestReadyzSaysWhenTheCorpusLagsTheDatabase(t *testing.T) {
	db := newReplicaDB(t)
	dir := faqFolder(t, "")
	s := startServe(t, map[string]string{"FAQBOT_DATABASE_URL": db.url, "FAQBOT_CORPUS": dir, "FAQBOT_REPLICA": "lagging",
		"FAQBOT_CORPUS_LAG_GRACE": "300ms", "FAQBOT_ADMIN_TOKEN": recordsToken})
	s.ready()
	if r := do(t, "GET", s.url+"/readyz", ""); r.status != http.StatusOK {
		t.Fatalf("readyz: %d %s", r.status, r.body)
	}
	tx, err := db.admin.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO ` + db.app + `.corpus_revisions (revision, at, version, source, folder, replica) VALUES (2, 0, 'future', 'x.md', FALSE, 'newer')`,
		`INSERT INTO ` + db.app + `.corpus_pages (revision, position, name, file, data) VALUES (2, 0, 'x.md', 'x.md', 'no sections here')`,
		`SELECT pg_notify('faqbot_corpus', '2')`,
	} {
		if _, err := tx.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var lag struct {
		Status         string `json:"status"`
		Revision       int64  `json:"corpus_revision"`
		LatestRevision int64  `json:"latest_revision"`
	}
	deadline := time.Now().Add(waitLimit)
	for {
		r := do(t, "GET", s.url+"/readyz", "")
		if r.status == http.StatusServiceUnavailable {
			json.Unmarshal(r.body, &lag)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still ready while lagging:\n%s", s.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if lag.Status != "corpus lags the database" || lag.Revision != 1 || lag.LatestRevision != 2 {
		t.Errorf("readyz while lagging: %+v", lag)
	}
	decodeAnswer(t, do(t, "POST", s.url+"/api/ask", askJSON("When will outbound marketing be removed?")))

	writeFAQ(t, dir, faqText(t)+newSection)
	if r := do(t, "POST", s.url+"/admin/refresh", "", "Authorization", "Bearer "+recordsToken); r.status != http.StatusOK {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	if r := do(t, "GET", s.url+"/readyz", ""); r.status != http.StatusOK {
		t.Errorf("readyz after serving the newest corpus: %d %s", r.status, r.body)
	}
	if code := s.stop(); code != exitOK {
		t.Errorf("exit %d", code)
	}
}

// Slack allows 10 Socket Mode connections per app and disconnects an
// 11th: an 11th replica in Socket Mode refuses to start, saying why.
func TestEleventhSocketModeReplicaRefusesToStart(t *testing.T) {
	db := newReplicaDB(t)
	first := startServe(t, map[string]string{"FAQBOT_DATABASE_URL": db.url}) // makes the schema
	first.ready()
	first.stop()
	now := time.Now().UnixMilli()
	for i := range 10 {
		if _, err := db.admin.Exec(`INSERT INTO `+db.app+`.socket_replicas (replica, started, at) VALUES ($1, $2, $2)`, fmt.Sprint("live-", i), now); err != nil {
			t.Fatal(err)
		}
	}
	env := withDefaults(t, map[string]string{"FAQBOT_DATABASE_URL": db.url, "FAQBOT_REPLICA": "eleventh",
		"SLACK_BOT_TOKEN": "xoxb-local", "SLACK_APP_TOKEN": "xapp-1-local", "SLACK_API_URL": newSlackWorkspace(t).api.URL + "/"})
	var stderr strings.Builder
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if code := run(ctx, []string{"serve"}, strings.NewReader(""), io.Discard, &stderr, func(k string) string { return env[k] }); code != exitUsage {
		t.Fatalf("exit %d, want %d:\n%s", code, exitUsage, stderr.String())
	}
	if msg := errorLine(stderr.String()); !strings.Contains(msg, "SLACK_APP_TOKEN") || !strings.Contains(msg, "10 other replicas") {
		t.Errorf("error %q does not say that Slack's limit is reached", msg)
	}
}
