package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Listening for shared corpora (PostgreSQL LISTEN/NOTIFY).
const (
	// listenIdle is how long a listening connection waits for a
	// notification before it checks that the server is still there: a
	// connection a network dropped silently would otherwise wait forever.
	listenIdle = 30 * time.Second
	// listenConnectTimeout bounds connecting and checking.
	listenConnectTimeout = 10 * time.Second
	// The backoff between reconnections grows from listenRetryMin to
	// listenRetryMax.
	listenRetryMin = 200 * time.Millisecond
	listenRetryMax = 10 * time.Second
)

// WatchCorpus calls changed whenever another replica may have shared a
// corpus, until ctx ends: on each notification, and after each
// (re)connection, since notifications sent while this replica was not
// listening are lost. It listens on a connection of its own, outside the
// pool, that reconnects with backoff when the server goes away. On SQLite
// there is nobody else to listen to. It implements bot.SharedCorpus.
func (s *Store) WatchCorpus(ctx context.Context, changed func()) {
	if s.backend != Postgres {
		<-ctx.Done()
		return
	}
	wait := listenRetryMin
	for ctx.Err() == nil {
		start := time.Now()
		err := s.listen(ctx, changed)
		if ctx.Err() != nil {
			return
		}
		if time.Since(start) > listenRetryMax {
			wait = listenRetryMin // it was up for a while: a new outage
		}
		s.log.Warn("lost the database's notifications; listening again", "err", err, "retry_in", wait.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, listenRetryMax)
	}
}

// listen holds one listening connection until it fails or ctx ends.
func (s *Store) listen(ctx context.Context, changed func()) error {
	cctx, cancel := context.WithTimeout(ctx, listenConnectTimeout)
	conn, err := pgx.Connect(cctx, s.dsn)
	cancel()
	if err != nil {
		return fmt.Errorf("connect: %w", redactConnectError(err))
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+corpusChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	changed() // whatever was shared while nobody listened here
	for {
		wctx, cancel := context.WithTimeout(ctx, listenIdle)
		_, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			changed()
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, context.DeadlineExceeded):
			pctx, cancel := context.WithTimeout(ctx, listenConnectTimeout)
			err = conn.Ping(pctx)
			cancel()
			if err != nil {
				return fmt.Errorf("ping: %w", err)
			}
		default:
			return fmt.Errorf("wait for notifications: %w", err)
		}
	}
}

// redactConnectError drops what pgx quotes of a connection string it
// cannot parse, which may hold the password; its other errors name the
// user and database at most.
func redactConnectError(err error) error {
	var pe *pgconn.ParseConfigError
	if errors.As(err, &pe) {
		return errors.New("cannot parse the database URL")
	}
	return err
}
