package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
)

func snapshot(text string) corpus.Snapshot {
	return corpus.Snapshot{Source: "/faq", Folder: true, Pages: []corpus.Page{
		{Name: "a.md", File: "a@2025-06-04.md", Data: []byte(text)},
		{Name: "b.md", File: "b.md", Data: []byte{0xff, 0x00, 'b'}}, // bytes, not text
	}}
}

func TestSharedCorpusRevisions(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		a, b := db.open(t, Options{}), db.open(t, Options{})
		if _, err := a.LatestCorpus(ctx); !errors.Is(err, bot.ErrNotFound) {
			t.Fatalf("empty database: %v, want ErrNotFound", err)
		}
		rev, created, err := a.PublishCorpus(ctx, bot.CorpusRevision{Version: "v1", Snapshot: snapshot("one"), Replica: "a"})
		if err != nil || !created || rev.Revision != 1 {
			t.Fatalf("first: %+v %v %v", rev, created, err)
		}
		// The same version again is not a new revision, from any replica.
		if rev, created, err := b.PublishCorpus(ctx, bot.CorpusRevision{Version: "v1", Snapshot: snapshot("one"), Replica: "b"}); err != nil || created || rev.Revision != 1 || rev.Replica != "a" {
			t.Fatalf("same version: %+v %v %v", rev, created, err)
		}
		if rev, created, err := b.PublishCorpus(ctx, bot.CorpusRevision{Version: "v2", Snapshot: snapshot("two"), Replica: "b"}); err != nil || !created || rev.Revision != 2 {
			t.Fatalf("second: %+v %v %v", rev, created, err)
		}
		latest, err := a.LatestCorpus(ctx)
		if err != nil || latest.Revision != 2 || latest.Version != "v2" || latest.Replica != "b" {
			t.Fatalf("latest: %+v %v", latest, err)
		}
		got, err := a.CorpusRevision(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		want := snapshot("one")
		if got.Version != "v1" || got.Snapshot.Source != want.Source || !got.Snapshot.Folder || len(got.Snapshot.Pages) != 2 ||
			got.Snapshot.Pages[0].File != "a@2025-06-04.md" || string(got.Snapshot.Pages[0].Data) != "one" ||
			string(got.Snapshot.Pages[1].Data) != string(want.Pages[1].Data) {
			t.Errorf("revision 1 read back as %+v", got)
		}
		// Old revisions go, the newest stay.
		for i := 3; i <= keepRevisions+3; i++ {
			if _, _, err := a.PublishCorpus(ctx, bot.CorpusRevision{Version: fmt.Sprint("v", i), Snapshot: snapshot("x")}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := a.CorpusRevision(ctx, 1); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("revision 1 after %d more: %v, want ErrNotFound", keepRevisions+1, err)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM corpus_pages`); n != 2*keepRevisions {
			t.Errorf("%d pages kept, want %d", n, 2*keepRevisions)
		}
		if _, _, err := a.PublishCorpus(ctx, bot.CorpusRevision{Version: "empty"}); err == nil {
			t.Error("a corpus without pages was shared")
		}
	})
}

// Replicas publishing at once get distinct revisions, in order.
func TestSharedCorpusConcurrentPublishers(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		stores := []*Store{db.open(t, Options{}), db.open(t, Options{}), db.open(t, Options{})}
		var wg sync.WaitGroup
		for i, s := range stores {
			for j := range 4 {
				wg.Go(func() {
					if _, _, err := s.PublishCorpus(ctx, bot.CorpusRevision{Version: fmt.Sprintf("v%d-%d", i, j), Snapshot: snapshot("x")}); err != nil {
						t.Error(err)
					}
				})
			}
		}
		wg.Wait()
		if latest, err := stores[0].LatestCorpus(ctx); err != nil || latest.Revision != 12 {
			t.Errorf("latest after 12 publishes: %+v %v", latest, err)
		}
	})
}

func TestSharedEmbeddings(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		clk := newClock(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
		a, b := db.open(t, Options{Clock: clk.now}), db.open(t, Options{Clock: clk.now})
		vecs := map[string][]float32{}
		var keys []string
		for i := range 450 { // more than one batch
			k := fmt.Sprintf("k%03d", i)
			keys = append(keys, k)
			vecs[k] = []float32{float32(i), -0.5, 1e-7}
		}
		if err := a.PutVectors(ctx, "m1", vecs); err != nil {
			t.Fatal(err)
		}
		// Another replica's different vector for a known key does not
		// replace it.
		if err := b.PutVectors(ctx, "m1", map[string][]float32{"k001": {9, 9, 9}}); err != nil {
			t.Fatal(err)
		}
		got, err := b.Vectors(ctx, "m1", append(keys, "missing"))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(keys) {
			t.Fatalf("%d vectors, want %d", len(got), len(keys))
		}
		for k, v := range vecs {
			if fmt.Sprint(got[k]) != fmt.Sprint(v) {
				t.Fatalf("%s = %v, want %v", k, got[k], v)
			}
		}
		if other, err := b.Vectors(ctx, "m2", keys[:3]); err != nil || len(other) != 0 {
			t.Errorf("another model's vectors: %v %v", other, err)
		}
		// A vector no build uses for the TTL goes when a corpus is shared;
		// one that a build read stays.
		clk.add(embeddingTTL - time.Hour)
		if _, err := a.Vectors(ctx, "m1", keys[:1]); err != nil {
			t.Fatal(err)
		}
		clk.add(2 * time.Hour)
		if _, _, err := a.PublishCorpus(ctx, bot.CorpusRevision{Version: "v1", Snapshot: snapshot("x")}); err != nil {
			t.Fatal(err)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM embeddings`); n != 1 {
			t.Errorf("%d vectors after pruning, want the 1 used", n)
		}
	})
}

// named gives a test database's connections an application name of their
// own, so that the test can drop them and nobody else's.
func named(db testDB, name string) testDB {
	db.url += "&application_name=" + name
	return db
}

// terminate ends the server sessions named app (those LISTENing only, if
// listening), as a PostgreSQL restart does for its clients.
func terminate(t *testing.T, s *Store, app string, listening bool) int {
	t.Helper()
	var n int
	err := s.r.QueryRowContext(context.Background(), `SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = $1 AND pid <> pg_backend_pid() AND (NOT $2 OR query LIKE 'LISTEN%')`, app, listening).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWatchCorpusHearsOtherReplicasAndReconnects(t *testing.T) {
	db := postgresDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, b := db.open(t, Options{}), named(db, "faqbot_test_watch").open(t, Options{})
	heard := make(chan struct{}, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.WatchCorpus(ctx, func() { heard <- struct{}{} })
	}()
	wait := func(what string) {
		t.Helper()
		select {
		case <-heard:
		case <-time.After(20 * time.Second):
			t.Fatalf("not told: %s", what)
		}
	}
	wait("on connecting")
	if _, _, err := a.PublishCorpus(ctx, bot.CorpusRevision{Version: "v1", Snapshot: snapshot("one")}); err != nil {
		t.Fatal(err)
	}
	wait("a corpus shared by another replica")
	// The server drops the listening session: the watcher reconnects by
	// itself and says so, since it may have missed something meanwhile.
	deadline := time.Now().Add(20 * time.Second)
	for terminate(t, a, "faqbot_test_watch", true) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no listening session to terminate")
		}
		time.Sleep(20 * time.Millisecond)
	}
	wait("after reconnecting")
	if _, _, err := a.PublishCorpus(ctx, bot.CorpusRevision{Version: "v2", Snapshot: snapshot("two")}); err != nil {
		t.Fatal(err)
	}
	wait("a corpus shared after the reconnection")
	cancel()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("WatchCorpus did not return when its context ended")
	}
}

// On PostgreSQL, claims fail while the server is away and work again once
// it is back, without a restart: the pool replaces the dead connections.
func TestClaimsRecoverAfterTheServerDropsConnections(t *testing.T) {
	db := postgresDB(t)
	ctx := context.Background()
	s, admin := named(db, "faqbot_test_claims").open(t, Options{}), db.open(t, Options{})
	if ok, err := s.Claim(ctx, "before"); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if terminate(t, admin, "faqbot_test_claims", false) == 0 {
		t.Fatal("no session to terminate")
	}
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; ; i++ {
		ok, err := s.Claim(ctx, fmt.Sprint("after-", i))
		if err == nil && ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("claims still failing: %v", err)
		}
	}
	if ok, err := s.Claim(ctx, "before"); ok || err != nil {
		t.Errorf("a claim taken before the drop: free %v, %v", ok, err)
	}
}

func TestSocketModeAllowsAsManyReplicasAsSlack(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		clk := newClock(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
		s := db.open(t, Options{Clock: clk.now})
		for i := range SocketModeLimit {
			if err := s.JoinSocketMode(ctx, fmt.Sprint("r", i)); err != nil {
				t.Fatalf("replica %d: %v", i, err)
			}
		}
		if err := s.JoinSocketMode(ctx, "one-too-many"); !errors.Is(err, ErrSocketModeFull) {
			t.Fatalf("replica %d: %v, want ErrSocketModeFull", SocketModeLimit+1, err)
		}
		if err := s.JoinSocketMode(ctx, "r3"); err != nil {
			t.Errorf("a replica restarting under its name: %v", err)
		}
		// One stops cleanly: its place is free at once.
		hctx, stop := context.WithCancel(ctx)
		held := make(chan struct{})
		go func() { s.HoldSocketMode(hctx, "r0"); close(held) }()
		stop()
		<-held
		if err := s.JoinSocketMode(ctx, "next"); err != nil {
			t.Fatalf("after r0 stopped: %v", err)
		}
		// Killed replicas say nothing: theirs lapse.
		clk.add(socketGone + time.Second)
		if err := s.JoinSocketMode(ctx, "after-a-crash"); err != nil {
			t.Errorf("after the others fell silent: %v", err)
		}
	})
}
