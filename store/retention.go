package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// pruneBatch bounds the rows one DELETE removes, so that pruning a large
// backlog never holds the write lock for long.
const pruneBatch = 1000

// Pruned counts what Prune deleted.
type Pruned struct {
	Exchanges, Feedback, Escalations, Claims int
}

// Prune deletes records older than the retention (an exchange takes its
// citations and feedback with it) and claims past their TTL, in bounded
// batches.
func (s *Store) Prune(ctx context.Context) (Pruned, error) {
	now := s.now()
	cutoff := millis(now.Add(-s.opts.Retention))
	var p Pruned
	steps := []struct {
		n          *int
		table, key string
		olderThan  int64
	}{
		{&p.Exchanges, "exchanges", "id", cutoff},
		{&p.Feedback, "feedback", "id", cutoff},
		{&p.Escalations, "escalations", "id", cutoff},
		{&p.Claims, "claims", "claim_key", millis(now.Add(-s.opts.ClaimTTL))},
	}
	for _, st := range steps {
		n, err := s.deleteOlder(ctx, st.table, st.key, st.olderThan)
		*st.n = n
		if err != nil {
			return p, fmt.Errorf("prune %s: %w", st.table, err)
		}
	}
	return p, nil
}

// deleteOlder deletes the rows of table with at < olderThan, a batch at a
// time. table and key are constants of this package.
func (s *Store) deleteOlder(ctx context.Context, table, key string, olderThan int64) (int, error) {
	total := 0
	for {
		n, err := s.exec(ctx, committed, `DELETE FROM `+table+` WHERE `+key+` IN
			(SELECT `+key+` FROM `+table+` WHERE at < $1 ORDER BY at LIMIT $2)`, olderThan, pruneBatch)
		if err != nil {
			return total, err
		}
		total += int(n)
		if n < pruneBatch {
			return total, nil
		}
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
}

// DefaultPruneEvery is how often RunPruner prunes: claims expire by the
// hour, so that the table stays small under heavy Slack traffic.
const DefaultPruneEvery = 10 * time.Minute

// RunPruner prunes now and then every `every` until ctx ends, logging
// what it deleted and what failed.
func (s *Store) RunPruner(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = DefaultPruneEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		p, err := s.Prune(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Error("pruning old records failed", "err", err)
		case p.Exchanges+p.Feedback+p.Escalations > 0:
			s.log.Info("pruned records past retention", "retention", s.opts.Retention.String(),
				"exchanges", p.Exchanges, "feedback", p.Feedback, "escalations", p.Escalations)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Forgotten counts what Forget deleted. Feedback counts the person's
// clicks and the clicks on their answers.
type Forgotten struct {
	Exchanges, Feedback, Escalations int
}

// Forget deletes everything recorded about one person: the questions they
// asked (with the answers, citations and feedback on them), the feedback
// they gave and the escalations they asked for. id is their platform user
// ID; rows recorded under any asker policy are found.
func (s *Store) Forget(ctx context.Context, id string) (Forgotten, error) {
	var f Forgotten
	if id == "" {
		return f, fmt.Errorf("forget: empty asker ID")
	}
	forms := s.forms(id)
	err := s.write(ctx, synced, func(tx *sql.Tx) error {
		for _, st := range []struct {
			n     *int
			query string
		}{
			{&f.Escalations, `DELETE FROM escalations WHERE asker IN ($1, $2) OR by_user IN ($1, $2)
				OR exchange_id IN (SELECT id FROM exchanges WHERE asker IN ($1, $2))`},
			{&f.Feedback, `DELETE FROM feedback WHERE user_id IN ($1, $2) OR asker IN ($1, $2)
				OR exchange_id IN (SELECT id FROM exchanges WHERE asker IN ($1, $2))`},
			{&f.Exchanges, `DELETE FROM exchanges WHERE asker IN ($1, $2)`},
		} {
			res, err := tx.ExecContext(ctx, st.query, forms...)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			*st.n = int(n)
		}
		return nil
	})
	if err != nil {
		return Forgotten{}, fmt.Errorf("forget: %w", err)
	}
	return f, nil
}
