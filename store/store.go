// Package store keeps faqbot's records (answered questions, feedback,
// escalations and delivery claims) in SQLite or PostgreSQL, behind the
// interfaces of package bot. Both backends run the same SQL through
// database/sql and the same embedded, numbered migrations.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// Options configure a Store. All fields are optional.
type Options struct {
	// AskerIDs says how user IDs are kept (AskerHash when empty).
	AskerIDs AskerPolicy
	// Retention is how long records are kept before Prune deletes them
	// (DefaultRetention when zero).
	Retention time.Duration
	// ClaimTTL is how long a delivery claim holds (bot.DefaultClaimTTL when
	// zero, and never less).
	ClaimTTL time.Duration
	// DeflectionWindow is how long after an answer a "not helpful" or a
	// request for a person counts against it
	// (bot.DefaultDeflectionWindow when zero).
	DeflectionWindow time.Duration
	// Clock tells the time (time.Now when nil); tests pin it.
	Clock  func() time.Time
	Logger *slog.Logger
}

// DefaultRetention is how long records are kept.
const DefaultRetention = 90 * 24 * time.Hour

// Store is faqbot's records in one database. It is safe for concurrent
// use, and by several processes sharing the database.
type Store struct {
	// w takes writes, r reads. They are one pool on PostgreSQL; on SQLite
	// w is a single connection, so that writers queue in Go rather than
	// spin on the file lock, and r reads beside it (WAL).
	w, r    *sql.DB
	backend string
	// dsn is the PostgreSQL URL, for the connection that listens for
	// notifications; never logged.
	dsn  string
	opts Options
	salt []byte
	log  *slog.Logger
	// stmts are the hot statements prepared on the writer (SQLite).
	stmts      map[string]*sql.Stmt
	sqliteSync sqliteSync
}

// Backends.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Open opens the database that url names and brings its schema up to
// date: "postgres://…" (or "postgresql://…") for PostgreSQL, "sqlite:PATH"
// for a SQLite file, created if missing. Errors never quote the URL, which
// may hold a password.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	if opts.AskerIDs == "" {
		opts.AskerIDs = AskerHash
	}
	if !opts.AskerIDs.valid() {
		return nil, fmt.Errorf("open store: asker IDs %q: want hash, raw or none", opts.AskerIDs)
	}
	if opts.Retention <= 0 {
		opts.Retention = DefaultRetention
	}
	opts.ClaimTTL = max(opts.ClaimTTL, bot.DefaultClaimTTL)
	if opts.DeflectionWindow <= 0 {
		opts.DeflectionWindow = bot.DefaultDeflectionWindow
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Store{opts: opts, log: opts.Logger}
	var err error
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		s.backend, s.dsn = Postgres, url
		s.w, err = openPostgres(ctx, url)
		s.r = s.w
	case strings.HasPrefix(url, "sqlite:"):
		s.backend = SQLite
		s.w, s.r, err = openSQLite(ctx, strings.TrimPrefix(url, "sqlite:"))
	default:
		return nil, errors.New("open store: want a postgres:// URL or sqlite:PATH")
	}
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	if s.salt, err = s.loadSalt(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	return s, nil
}

// Backend names the database behind the store: SQLite or Postgres.
func (s *Store) Backend() string { return s.backend }

// Close closes the database.
func (s *Store) Close() error {
	var err error
	for _, st := range s.stmts {
		err = errors.Join(err, st.Close())
	}
	err = errors.Join(err, s.w.Close())
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// now is the store's clock in UTC.
func (s *Store) now() time.Time { return s.opts.Clock().UTC() }

// The interfaces the rest of faqbot reaches the store through.
var (
	_ bot.Recorder           = (*Store)(nil)
	_ bot.FeedbackRecorder   = (*Store)(nil)
	_ bot.EscalationRecorder = (*Store)(nil)
	_ bot.EscalationDesk     = (*Store)(nil)
	_ bot.Claims             = (*Store)(nil)
	_ bot.Reports            = (*Store)(nil)
)
