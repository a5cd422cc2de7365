package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

func TestMigrationsApplyOnceWhenReplicasStartTogether(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		stores := make([]*Store, 3)
		var wg sync.WaitGroup
		for i := range stores {
			wg.Go(func() { stores[i] = db.open(t, Options{}) })
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		all, err := loadMigrations()
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, stores[0], `SELECT COUNT(*) FROM schema_migrations`); n != len(all) {
			t.Errorf("%d migrations recorded, want %d", n, len(all))
		}
		// They agree on the salt, so the same person hashes the same.
		h := stores[0].Asker("U123")
		for _, s := range stores[1:] {
			if s.Asker("U123") != h {
				t.Error("replicas disagree on the asker salt")
			}
		}
		again := db.open(t, Options{})
		if again.Asker("U123") != h {
			t.Error("the salt changed across a restart")
		}
		if again.Backend() != db.backend() {
			t.Errorf("backend %q", again.Backend())
		}
	})
}

func TestSQLiteFileIsPrivateAndInWALMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "faqbot.db")
	s := testDB{url: "sqlite:" + path}.open(t, Options{})
	if _, err := s.Record(context.Background(), bot.Exchange{Transport: "api", Question: "q"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal"} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v; others may read people's questions", filepath.Base(p), info.Mode().Perm())
		}
	}
	var mode string
	if err := s.w.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q, %v", mode, err)
	}
	// Feedback is synced to disk at commit (FULL); answers are committed
	// without a sync of their own (NORMAL).
	synchronous := func() int {
		var n int
		if err := s.w.QueryRow(`PRAGMA synchronous`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := s.RecordFeedback(context.Background(), bot.Feedback{Kind: bot.FeedbackHelpful}); err != nil {
		t.Fatal(err)
	}
	if n := synchronous(); n != 2 {
		t.Errorf("feedback written with synchronous=%d, want 2 (FULL)", n)
	}
	if _, err := s.Record(context.Background(), bot.Exchange{Transport: "api", Question: "q"}); err != nil {
		t.Fatal(err)
	}
	if n := synchronous(); n != 1 {
		t.Errorf("an answer written with synchronous=%d, want 1 (NORMAL)", n)
	}
}

func TestOpenRefusesWhatItCannotUse(t *testing.T) {
	for _, url := range []string{"", "mysql://x", "/tmp/faqbot.db", "sqlite:", "sqlite:/tmp/a?b.db"} {
		if _, err := Open(context.Background(), url, Options{}); err == nil {
			t.Errorf("Open(%q) succeeded", url)
		}
	}
	_, err := Open(context.Background(), "postgres://faqbot:s3cret-pw@127.0.0.1:1/faqbot?connect_timeout=1", Options{})
	if err == nil || strings.Contains(err.Error(), "s3cret-pw") {
		t.Errorf("unreachable server: %v (must fail without quoting the password)", err)
	}
	if _, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "x.db"), Options{AskerIDs: "md5"}); err == nil {
		t.Error("unknown asker policy accepted")
	}
}

func TestAskerPolicies(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		stored := func(s *Store) string {
			t.Helper()
			var got []string
			err := s.Conversations(ctx, bot.Period{From: monday, To: monday.Add(time.Hour)}, 10, func(c bot.Conversation) error {
				got = append(got, c.Asker)
				return nil
			})
			if err != nil || len(got) != 1 {
				t.Fatalf("conversations %v, %v", got, err)
			}
			return got[0]
		}
		for _, tc := range []struct {
			policy AskerPolicy
			check  func(string) bool
		}{
			{AskerRaw, func(v string) bool { return v == "U123" }},
			{AskerNone, func(v string) bool { return v == "" }},
			{AskerHash, func(v string) bool { return len(v) == 32 && !strings.Contains(v, "U123") }},
		} {
			s := db.open(t, Options{AskerIDs: tc.policy})
			id, err := s.Record(ctx, bot.Exchange{Time: monday, Transport: "slack", Asker: "U123", Question: "q"})
			if err != nil {
				t.Fatal(err)
			}
			if v := stored(s); !tc.check(v) || v != s.Asker("U123") {
				t.Errorf("%s: stored asker %q", tc.policy, v)
			}
			if _, err := s.w.Exec(`DELETE FROM exchanges WHERE id = $1`, id); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestForgetDeletesOnePersonWhateverThePolicyWas(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		raw := db.open(t, Options{AskerIDs: AskerRaw})
		hashed := db.open(t, Options{AskerIDs: AskerHash})
		var mine []string
		for _, s := range []*Store{raw, hashed} {
			for _, asker := range []string{"U-forget", "U-keep"} {
				id, err := s.Record(ctx, bot.Exchange{Transport: "slack", Asker: asker, Question: "question of " + asker, Citations: cites("a")})
				if err != nil {
					t.Fatal(err)
				}
				if asker == "U-forget" {
					mine = append(mine, id)
				}
				// Someone else's click on this person's answer goes with it.
				if err := s.RecordFeedback(ctx, bot.Feedback{ExchangeID: id, Kind: bot.FeedbackHelpful, User: "U-other"}); err != nil {
					t.Fatal(err)
				}
			}
			// Their click on someone else's answer, and an escalation they asked for.
			if err := s.RecordFeedback(ctx, bot.Feedback{Kind: bot.FeedbackNotHelpful, User: "U-forget", Question: "q"}); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.OpenEscalation(ctx, bot.EscalationRecord{Asker: "U-forget", Question: "help", Reason: bot.UserRequest}); err != nil {
				t.Fatal(err)
			}
		}
		f, err := hashed.Forget(ctx, "U-forget")
		if err != nil {
			t.Fatal(err)
		}
		if f.Exchanges != 2 || f.Escalations != 2 || f.Feedback != 4 {
			t.Errorf("forgot %+v", f)
		}
		for _, q := range []string{
			`SELECT COUNT(*) FROM exchanges WHERE question LIKE '%U-forget%'`,
			`SELECT COUNT(*) FROM escalations`,
			`SELECT COUNT(*) FROM citations WHERE exchange_id IN ('` + strings.Join(mine, "','") + `')`,
		} {
			if n := count(t, raw, q); n != 0 {
				t.Errorf("%s: %d left", q, n)
			}
		}
		if n := count(t, raw, `SELECT COUNT(*) FROM exchanges`); n != 2 {
			t.Errorf("%d exchanges left, want the other person's 2", n)
		}
		if n := count(t, raw, `SELECT COUNT(*) FROM feedback`); n != 2 {
			t.Errorf("%d feedback rows left, want the 2 on the other person's answers", n)
		}
		if _, err := raw.Forget(ctx, ""); err == nil {
			t.Error("forgetting no one succeeded")
		}
	})
}

func TestRecordsAreBoundedAndCleaned(t *testing.T) {
	eachBackend(t, func(t *testing.T, db testDB) {
		s := db.open(t, Options{AskerIDs: AskerRaw})
		ctx := context.Background()
		long := strings.Repeat("é", maxQuestion) // twice the bound in bytes
		id, err := s.Record(ctx, bot.Exchange{Time: monday, Transport: "api", Question: long + "\x00\xff", Answer: "ok\x00"})
		if err != nil {
			t.Fatal(err)
		}
		var q, a string
		if err := s.r.QueryRow(`SELECT question, answer FROM exchanges WHERE id = $1`, id).Scan(&q, &a); err != nil {
			t.Fatal(err)
		}
		if len(q) > maxQuestion || !strings.HasSuffix(q, "…") || !strings.HasPrefix(long, strings.TrimSuffix(q, "…")) || a != "ok" {
			t.Errorf("stored question of %d bytes ending %q, answer %q", len(q), q[len(q)-8:], a)
		}
		// Feedback on an answer the store no longer has is kept unlinked.
		if err := s.RecordFeedback(ctx, bot.Feedback{ExchangeID: "gone", Kind: bot.FeedbackHelpful, Question: "old"}); err != nil {
			t.Fatal(err)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM feedback WHERE exchange_id IS NULL AND question = 'old'`); n != 1 {
			t.Errorf("unlinked feedback rows %d", n)
		}
		if err := s.RecordFeedback(ctx, bot.Feedback{Kind: "meh"}); err == nil {
			t.Error("unknown feedback kind accepted")
		}
	})
}
