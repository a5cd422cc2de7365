package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testDB is one empty database of a backend; open may be called again to
// reopen it, as a restart or another replica would.
type testDB struct {
	url string
}

func (d testDB) open(t testing.TB, opts Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), d.url, opts)
	if err != nil {
		t.Fatalf("open %s: %v", d.backend(), err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func (d testDB) backend() string {
	if strings.HasPrefix(d.url, "sqlite:") {
		return SQLite
	}
	return Postgres
}

// eachBackend runs fn against a fresh SQLite file and, when
// FAQBOT_TEST_DATABASE_URL names a server, a fresh PostgreSQL schema.
func eachBackend(t *testing.T, fn func(t *testing.T, db testDB)) {
	t.Run(SQLite, func(t *testing.T) {
		fn(t, testDB{url: "sqlite:" + filepath.Join(t.TempDir(), "faqbot.db")})
	})
	t.Run(Postgres, func(t *testing.T) {
		fn(t, postgresDB(t))
	})
}

// postgresDB makes a schema of its own on the test server and points a
// URL at it; the schema is dropped afterwards.
func postgresDB(t testing.TB) testDB {
	t.Helper()
	base := os.Getenv("FAQBOT_TEST_DATABASE_URL")
	if base == "" {
		t.Skip("FAQBOT_TEST_DATABASE_URL is not set: no PostgreSQL to test against (.ci/run starts one)")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "faqbot_test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema: %v", err)
		}
		admin.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return testDB{url: base + sep + "search_path=" + schema}
}

// clock is a settable time for stores under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// count returns SELECT COUNT(*) of a query on the store's database.
func count(t testing.TB, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.r.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
