package store

import (
	"context"
	"database/sql"
	"sync/atomic"
)

// durability says what a committed write survives.
type durability bool

const (
	// synced writes survive a power cut: the log reaches the disk before
	// the commit returns. Feedback, "ask a human", resolutions,
	// forgetting, imports and the schema: what a person is told has been
	// kept (or deleted).
	synced durability = true
	// committed writes survive a crash of faqbot; a power cut or a crash
	// of the database server may lose the last moments of them. Answers,
	// delivery claims, the bot's own hand-offs and their delivery, and
	// pruning: they are on the path of every request, and a sync each
	// would cost a disk's sync latency each time (a millisecond or more on
	// network disks) and hold up the writes queued behind it.
	committed durability = false
)

// write runs fn in a write transaction with durability d, committing
// when fn returns nil.
func (s *Store) write(ctx context.Context, d durability, fn func(tx *sql.Tx) error) error {
	var tx *sql.Tx
	switch s.backend {
	case SQLite:
		// The writer is one connection: pin it, so that the setting and
		// the transaction meet.
		conn, err := s.w.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if err := s.sqliteSync.set(ctx, conn, d); err != nil {
			return err
		}
		if tx, err = conn.BeginTx(ctx, nil); err != nil {
			return err
		}
	default:
		var err error
		if tx, err = s.w.BeginTx(ctx, nil); err != nil {
			return err
		}
		// Sessions commit without waiting for the disk (openPostgres).
		if d == synced {
			if _, err := tx.ExecContext(ctx, "SET LOCAL synchronous_commit TO ON"); err != nil {
				_ = tx.Rollback()
				return err
			}
		}
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// exec runs one statement as a write with durability d and returns how
// many rows it changed.
func (s *Store) exec(ctx context.Context, d durability, query string, args ...any) (int64, error) {
	if s.backend == Postgres && d == committed {
		// One statement is its own transaction, committed the session's
		// way: one round trip.
		res, err := s.w.ExecContext(ctx, query, args...)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
	var n int64
	err := s.write(ctx, d, func(tx *sql.Tx) error {
		res, err := s.txExec(ctx, tx, query, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// sqliteSync is the writer connection's synchronous setting, so that it
// is changed only when a write needs the other one. A new connection
// starts at FULL (the DSN), so a stale value can only make a write more
// durable than asked, never less.
type sqliteSync struct{ normal atomic.Bool }

func (v *sqliteSync) set(ctx context.Context, conn *sql.Conn, d durability) error {
	normal := d == committed
	if v.normal.Load() == normal {
		return nil
	}
	level := "FULL"
	if normal {
		level = "NORMAL"
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = "+level); err != nil {
		return err
	}
	v.normal.Store(normal)
	return nil
}

// Statements on the path of every request, prepared once at open: parsing
// is a quarter of the cost of recording an answer in SQLite. (PostgreSQL's
// driver caches prepared statements by itself.)
const (
	insertExchangeSQL = `INSERT INTO exchanges
		(id, at, transport, conversation, asker, question, answer, answered, escalate, reason, anchors, mode, corpus_version, latency_us)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`
	insertCitationSQL = `INSERT INTO citations (exchange_id, rank, anchor, title, document, url) VALUES ($1, $2, $3, $4, $5, $6)`
	claimSQL          = `INSERT INTO claims (claim_key, at) VALUES ($1, $2)
		ON CONFLICT (claim_key) DO UPDATE SET at = excluded.at WHERE claims.at <= $3`
)

// prepare prepares the hot statements on the writer.
func (s *Store) prepare(ctx context.Context) error {
	s.stmts = map[string]*sql.Stmt{}
	if s.backend != SQLite {
		return nil
	}
	for _, q := range []string{insertExchangeSQL, insertCitationSQL, claimSQL} {
		st, err := s.w.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		s.stmts[q] = st
	}
	return nil
}

// txExec runs query in tx, through its prepared statement if it has one.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st, ok := s.stmts[query]; ok {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}
