package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/internal/redact"
)

// The store is where replicas share their corpus.
var _ bot.SharedCorpus = (*Store)(nil)

const (
	// keepRevisions is how many shared corpora are kept: the newest serves,
	// the others are there to read what an older answer cited.
	keepRevisions = 10
	// maxSharedCorpus bounds the pages of one shared corpus, in bytes.
	maxSharedCorpus = 64 << 20
	// corpusLock is the PostgreSQL advisory lock that numbers shared
	// corpora one at a time.
	corpusLock = 7_046_111_204
	// corpusChannel is what replicas LISTEN to for shared corpora.
	corpusChannel = "faqbot_corpus"
)

// PublishCorpus shares rev's corpus as the newest revision, unless the
// newest has its version already, and notifies the replicas listening
// (PostgreSQL) once it commits. It implements bot.SharedCorpus.
func (s *Store) PublishCorpus(ctx context.Context, rev bot.CorpusRevision) (bot.CorpusRevision, bool, error) {
	size := 0
	for _, p := range rev.Snapshot.Pages {
		size += len(p.Data)
	}
	if size > maxSharedCorpus || len(rev.Snapshot.Pages) == 0 {
		return bot.CorpusRevision{}, false, fmt.Errorf("share corpus: %d pages, %d bytes: want 1 or more pages and at most %d bytes",
			len(rev.Snapshot.Pages), size, maxSharedCorpus)
	}
	if rev.At.IsZero() {
		rev.At = s.now()
	}
	var out bot.CorpusRevision
	var created bool
	err := s.write(ctx, synced, func(tx *sql.Tx) error {
		if s.backend == Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, corpusLock); err != nil {
				return err
			}
		}
		latest, err := latestCorpus(ctx, tx)
		switch {
		case err == nil && latest.Version == rev.Version:
			out = latest
			return nil
		case err != nil && !errors.Is(err, bot.ErrNotFound):
			return err
		}
		rev.Revision = latest.Revision + 1
		// The source is kept as redact.URL shows it: replicas only name it,
		// and the database would be one more place a URL's credentials sit.
		if _, err := tx.ExecContext(ctx, `INSERT INTO corpus_revisions (revision, at, version, source, folder, replica)
			VALUES ($1, $2, $3, $4, $5, $6)`, rev.Revision, millis(rev.At), cut(rev.Version, maxRef),
			cut(redact.URL(rev.Snapshot.Source), maxRef), rev.Snapshot.Folder, cut(rev.Replica, maxRef)); err != nil {
			return err
		}
		for i, p := range rev.Snapshot.Pages {
			if _, err := tx.ExecContext(ctx, `INSERT INTO corpus_pages (revision, position, name, file, data)
				VALUES ($1, $2, $3, $4, $5)`, rev.Revision, i, p.Name, p.File, p.Data); err != nil {
				return err
			}
		}
		// Pages first: SQLite cascades only where foreign keys are on.
		for _, q := range []string{`DELETE FROM corpus_pages WHERE revision <= $1`, `DELETE FROM corpus_revisions WHERE revision <= $1`} {
			if _, err := tx.ExecContext(ctx, q, rev.Revision-keepRevisions); err != nil {
				return err
			}
		}
		if err := s.pruneEmbeddings(ctx, tx); err != nil {
			return err
		}
		if s.backend == Postgres {
			// Delivered at commit, to every session listening.
			if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, corpusChannel, strconv.FormatInt(rev.Revision, 10)); err != nil {
				return err
			}
		}
		out, created = rev, true
		out.Snapshot = corpus.Snapshot{}
		return nil
	})
	if err != nil {
		return bot.CorpusRevision{}, false, fmt.Errorf("share corpus: %w", err)
	}
	return out, created, nil
}

// LatestCorpus returns the newest shared corpus's revision and version. It
// implements bot.SharedCorpus.
func (s *Store) LatestCorpus(ctx context.Context) (bot.CorpusRevision, error) {
	rev, err := latestCorpus(ctx, s.r)
	if err != nil && !errors.Is(err, bot.ErrNotFound) {
		return rev, fmt.Errorf("latest shared corpus: %w", err)
	}
	return rev, err
}

// querier is a database or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func latestCorpus(ctx context.Context, db querier) (bot.CorpusRevision, error) {
	return scanRevision(db.QueryRowContext(ctx, `SELECT revision, at, version, replica FROM corpus_revisions
		ORDER BY revision DESC LIMIT 1`))
}

func scanRevision(row *sql.Row) (bot.CorpusRevision, error) {
	var rev bot.CorpusRevision
	var at int64
	err := row.Scan(&rev.Revision, &at, &rev.Version, &rev.Replica)
	if errors.Is(err, sql.ErrNoRows) {
		return rev, bot.ErrNotFound
	}
	rev.At = fromMillis(at)
	return rev, err
}

// CorpusRevision returns a shared corpus with its pages. It implements
// bot.SharedCorpus.
func (s *Store) CorpusRevision(ctx context.Context, revision int64) (bot.CorpusRevision, error) {
	var rev bot.CorpusRevision
	err := func() error {
		// One transaction, so that pruning cannot take the pages between
		// the two reads.
		tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return err
		}
		defer tx.Rollback()
		var at int64
		err = tx.QueryRowContext(ctx, `SELECT revision, at, version, replica, source, folder FROM corpus_revisions
			WHERE revision = $1`, revision).Scan(&rev.Revision, &at, &rev.Version, &rev.Replica, &rev.Snapshot.Source, &rev.Snapshot.Folder)
		if errors.Is(err, sql.ErrNoRows) {
			return bot.ErrNotFound
		}
		if err != nil {
			return err
		}
		rev.At = fromMillis(at)
		rows, err := tx.QueryContext(ctx, `SELECT name, file, data FROM corpus_pages WHERE revision = $1 ORDER BY position`, revision)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p corpus.Page
			if err := rows.Scan(&p.Name, &p.File, &p.Data); err != nil {
				return err
			}
			rev.Snapshot.Pages = append(rev.Snapshot.Pages, p)
		}
		return rows.Err()
	}()
	if err != nil {
		return bot.CorpusRevision{}, fmt.Errorf("shared corpus %d: %w", revision, err)
	}
	return rev, nil
}
