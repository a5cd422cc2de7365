package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestReplicasOnOnePostgres runs real faqbot processes against one
// PostgreSQL database and checks what issue 13 asks of them: one reply per
// Slack event across replicas and a kill -9, one escalation per answer,
// refreshes that reach every replica without a failed or mixed answer, a
// late replica that starts on the shared corpus without embedding, and
// replicas that ride out the server dropping their connections.
func TestReplicasOnOnePostgres(t *testing.T) {
	rs := &replicaSet{t: t, db: newReplicaDB(t), bin: buildFaqbot(t), slack: newSlackWorkspace(t)}
	a := rs.start("replica-a", faqFolder(t, ""))
	b := rs.start("replica-b", faqFolder(t, ""))
	rs.checkSharedStart(a, b)

	// A Slack event answered by A, retried to B: one reply (counted below).
	rs.slack.mention(a.url, "EvR1", "1700001000.000001", question)
	answer := rs.slack.waitPost("C1", "1700001000.000001")
	rs.slack.mention(b.url, "EvR1", "1700001000.000001", question, "X-Slack-Retry-Num", "1")
	rs.askHumanOnEach(answer, a, b)

	newVersion := rs.checkRefreshReaches(a, b, corpusDirOf(a), faqText(t)+newSection)
	c := rs.checkLateReplica(newVersion)
	rs.checkKilledReplicas(a, b, c)

	a = rs.start("replica-a2", faqFolder(t, ""))
	rs.checkConnectionsDropped(a, b)

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

const question = "What happens to my segments after the transition?"

// checkSharedStart checks that a second replica starts on the corpus the
// first shared, named, and without embedding what the first embedded.
func (rs *replicaSet) checkSharedStart(a, b *process) {
	t := rs.t
	t.Helper()
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
}

// askHumanOnEach clicks "Ask a human" on the same answer on every replica
// at once (the escalations are counted at the end).
func (rs *replicaSet) askHumanOnEach(answer url.Values, replicas ...*process) {
	var clicks sync.WaitGroup
	for i, p := range replicas {
		clicks.Go(func() {
			if r := rs.slack.click(p.url, answer, "1700001000.000900", fmt.Sprint("UCLICK", i), "ask_human"); r.status != http.StatusOK {
				rs.t.Errorf("click on replica %d: %d %s", i, r.status, r.body)
			}
		})
	}
	clicks.Wait()
}

// checkRefreshReaches writes text to from's corpus folder and refreshes
// from under a load of questions on both replicas: to serves the new
// corpus within 5 s, and nobody gets a failed or mixed answer. It returns
// the new version.
func (rs *replicaSet) checkRefreshReaches(from, to *process, dir, text string) string {
	t := rs.t
	t.Helper()
	old := decodeAnswer(t, do(t, "POST", to.url+"/api/ask", askJSON(question))).CorpusVersion
	load := startLoad(map[string]string{"from": from.url, "to": to.url}, 3)
	time.Sleep(200 * time.Millisecond) // answers from the old corpus first
	writeFAQ(t, dir, text)
	r := do(t, "POST", from.url+"/admin/refresh", "", "Authorization", "Bearer "+recordsToken)
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
		if _, v, err := ask(http.DefaultClient, to.url, question); err == nil && v == summary.NewVersion {
			break
		}
		if time.Since(refreshed) > 5*time.Second {
			t.Fatalf("the other replica still serves the old corpus 5 s after the refresh:\n%s", to.logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("the other replica served %s %v after the refresh returned", summary.NewVersion, time.Since(refreshed).Round(time.Millisecond))
	time.Sleep(200 * time.Millisecond) // answers from the new corpus too
	load.finish()
	if len(load.failed) > 0 {
		t.Errorf("%d of %d answers failed during the swap: %v", len(load.failed), load.asked.Load(), load.failed[:min(5, len(load.failed))])
	}
	load.checkSwap(t, old, summary.NewVersion)
	return summary.NewVersion
}

// checkLateReplica starts a replica configured with the old FAQ: it
// starts on version and embeds nothing.
func (rs *replicaSet) checkLateReplica(version string) *process {
	t := rs.t
	t.Helper()
	c := rs.start("replica-c", faqFolder(t, ""))
	if line := c.logs.waitFor(t, "faqbot ready", c.exited); line["corpus_version"] != version {
		t.Errorf("the late replica serves %v, want %s", line["corpus_version"], version)
	}
	if n := c.metric(t, "faqbot_embeddings_computed_total"); n != 0 {
		t.Errorf("the late replica embedded %v texts", n)
	}
	if n := c.metric(t, "faqbot_embeddings_shared_total"); n == 0 {
		t.Error("the late replica took no vectors from the shared cache")
	}
	return c
}

// checkKilledReplicas kills a and c with SIGKILL around Slack events
// retried to b (the replies are counted at the end).
func (rs *replicaSet) checkKilledReplicas(a, b, c *process) {
	t := rs.t
	t.Helper()
	// An event A never acknowledged (it hangs, then dies), retried to B: B
	// answers it.
	a.cmd.Process.Signal(syscall.SIGSTOP)
	if _, err := sendEvent(rs.slack, a.url, "EvR2", "1700001000.000002", question, 2*time.Second); err == nil {
		t.Error("a stopped replica acknowledged an event")
	}
	a.kill(t)
	rs.slack.mention(b.url, "EvR2", "1700001000.000002", question, "X-Slack-Retry-Num", "1")
	rs.slack.waitPost("C1", "1700001000.000002")
	// An event C answered before it died, retried to B: no second reply.
	rs.slack.mention(c.url, "EvR3", "1700001000.000003", question)
	rs.slack.waitPost("C1", "1700001000.000003")
	c.kill(t)
	rs.slack.mention(b.url, "EvR3", "1700001000.000003", question, "X-Slack-Retry-Num", "1")
}

// checkConnectionsDropped has the server drop every connection of the
// replicas (as a restart does) while they answer: answers keep flowing,
// Slack events are answered again once claims can be checked, and a
// refresh still fans out.
func (rs *replicaSet) checkConnectionsDropped(a, b *process) {
	t := rs.t
	t.Helper()
	load := startLoad(map[string]string{"a": a.url, "b": b.url}, 2)
	time.Sleep(100 * time.Millisecond)
	if n := rs.db.dropConnections(t); n == 0 {
		t.Fatal("no connection to drop")
	}
	time.Sleep(300 * time.Millisecond)
	load.finish()
	if len(load.failed) > 0 {
		t.Errorf("%d of %d answers failed while the database dropped connections: %v", len(load.failed), load.asked.Load(), load.failed[:min(5, len(load.failed))])
	}
	answered := false
	for i := 0; i < 50 && !answered; i++ {
		ts := fmt.Sprintf("1700001100.%06d", i)
		rs.slack.mention(b.url, fmt.Sprint("EvDrop", i), ts, question)
		deadline := time.Now().Add(2 * time.Second)
		for !answered && time.Now().Before(deadline) {
			answered = len(rs.slack.postsIn("C1", ts)) > 0
			time.Sleep(10 * time.Millisecond)
		}
	}
	if !answered {
		t.Fatalf("no Slack event answered after the connections dropped:\n%s", b.logs)
	}
	rs.checkRefreshReaches(b, a, corpusDirOf(b), faqText(t)+newSection+"\n## One more question\n\nOne more answer.\n")
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
