package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// sqliteBusyTimeout is how long a connection waits for another process's
// write lock before failing (milliseconds).
const sqliteBusyTimeout = 10_000

// openSQLite opens the file at path as a writer (one connection) and a
// reader pool. WAL lets readers run beside the writer; synchronous=FULL
// syncs the log at each commit, so an acknowledged write survives a crash
// of the process and of the machine, as the JSON Lines it replaces did.
func openSQLite(ctx context.Context, path string) (w, r *sql.DB, err error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, nil, fmt.Errorf("sqlite: bad path %q", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, nil, fmt.Errorf("sqlite: %w", err)
	}
	// The records hold people's questions: only the owner may read them.
	// SQLite gives its -wal and -shm files the database file's mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: %w", err)
	}
	f.Close()
	pragmas := fmt.Sprintf("?_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)", sqliteBusyTimeout)
	// Write transactions take the lock at BEGIN: a deferred one that
	// upgrades later can fail with SQLITE_BUSY however long it waits.
	w, err = sql.Open("sqlite", path+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err = sql.Open("sqlite", path+pragmas+"&_query_only=1")
	if err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("sqlite: %w", err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	if err := w.PingContext(ctx); err != nil {
		return nil, nil, errors.Join(fmt.Errorf("sqlite: %w", err), w.Close(), r.Close())
	}
	return w, r, nil
}
