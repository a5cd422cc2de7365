package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Slack delivers each Socket Mode event to one of an app's connections and
// allows at most SocketModeLimit of them: an 11th is disconnected by
// Slack. Replicas sharing a database register theirs, so that one more
// than Slack allows refuses to start rather than reconnect forever.
const (
	// SocketModeLimit is how many Socket Mode connections Slack allows an
	// app.
	SocketModeLimit = 10
	// socketBeat is how often a replica holding a connection says so.
	socketBeat = 15 * time.Second
	// socketGone is how long after its last word a replica counts as gone
	// (one killed without a chance to say so).
	socketGone = 3 * socketBeat
	// socketLock is the PostgreSQL advisory lock that makes replicas
	// starting together count one at a time.
	socketLock = 7_046_111_205
)

// ErrSocketModeFull means SocketModeLimit other replicas hold Socket Mode
// connections.
var ErrSocketModeFull = errors.New("Slack's limit of Socket Mode connections per app is reached")

// JoinSocketMode registers replica as holding a Socket Mode connection,
// unless SocketModeLimit other live replicas already do
// (ErrSocketModeFull). A replica of the same name, a restart, is no other.
func (s *Store) JoinSocketMode(ctx context.Context, replica string) error {
	now := s.now()
	err := s.write(ctx, committed, func(tx *sql.Tx) error {
		if s.backend == Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, socketLock); err != nil {
				return err
			}
		}
		var others int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM socket_replicas WHERE replica <> $1 AND at >= $2`,
			replica, millis(now.Add(-socketGone))).Scan(&others); err != nil {
			return err
		}
		if others >= SocketModeLimit {
			return fmt.Errorf("%d other replicas hold connections: %w", others, ErrSocketModeFull)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO socket_replicas (replica, started, at) VALUES ($1, $2, $2)
			ON CONFLICT (replica) DO UPDATE SET started = excluded.started, at = excluded.at`, cut(replica, maxRef), millis(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("join socket mode: %w", err)
	}
	return nil
}

// HoldSocketMode keeps replica's registration alive until ctx ends, then
// removes it. Failures are logged: the registration then lapses, which
// only lets one more replica start.
func (s *Store) HoldSocketMode(ctx context.Context, replica string) {
	t := time.NewTicker(socketBeat)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			if _, err := s.exec(dctx, committed, `DELETE FROM socket_replicas WHERE replica = $1`, replica); err != nil {
				s.log.Warn("cannot unregister this replica's Socket Mode connection; it lapses by itself", "err", err)
			}
			return
		case <-t.C:
			if _, err := s.exec(ctx, committed, `UPDATE socket_replicas SET at = $2 WHERE replica = $1`, replica, millis(s.now())); err != nil && ctx.Err() == nil {
				s.log.Warn("cannot renew this replica's Socket Mode registration", "err", err)
			}
		}
	}
}
