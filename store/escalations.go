package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// maxEscalations caps one listing.
const maxEscalations = 500

const escalationColumns = `id, COALESCE(dedupe_key, ''), COALESCE(exchange_id, ''), at, reason, transport, conversation, link,
	asker, by_user, question, draft, sources, corpus_version, destination, delivery, delivery_error,
	state, resolved_at, resolved_by, human_answer, imported, reply_to, notified_at, reminded_at`

// scanEscalation reads a row of escalationColumns.
func scanEscalation(row interface{ Scan(...any) error }) (bot.EscalationRecord, error) {
	var e bot.EscalationRecord
	var at int64
	var resolved, notified, reminded sql.NullInt64
	var reason, sources, delivery, state string
	err := row.Scan(&e.ID, &e.Key, &e.ExchangeID, &at, &reason, &e.Transport, &e.Conversation, &e.Link,
		&e.Asker, &e.By, &e.Question, &e.Draft, &sources, &e.CorpusVersion, &e.Destination, &delivery, &e.DeliveryError,
		&state, &resolved, &e.ResolvedBy, &e.HumanAnswer, &e.Imported, &e.ReplyTo, &notified, &reminded)
	if errors.Is(err, sql.ErrNoRows) {
		return e, bot.ErrNotFound
	}
	if err != nil {
		return e, err
	}
	e.Time, e.ResolvedAt = fromMillis(at), fromNullMillis(resolved)
	e.NotifiedAt, e.RemindedAt = fromNullMillis(notified), fromNullMillis(reminded)
	e.Reason, e.Delivery, e.State = bot.Reason(reason), bot.Delivery(delivery), bot.EscalationState(state)
	if sources != "" {
		e.Sources = strings.Split(sources, "\n")
	}
	return e, nil
}

// OpenEscalation records e as open, once per non-empty key: when the key
// is taken it returns the escalation that took it and false. One with a
// key is a person's request, acknowledged to them: it is synced to disk.
// It implements bot.EscalationRecorder.
func (s *Store) OpenEscalation(ctx context.Context, e bot.EscalationRecord) (bot.EscalationRecord, bool, error) {
	var rec bot.EscalationRecord
	var created bool
	d := committed
	if e.Key != "" {
		d = synced
	}
	err := s.write(ctx, d, func(tx *sql.Tx) error {
		var err error
		rec, created, err = s.openEscalation(ctx, tx, e)
		return err
	})
	if err != nil {
		return rec, false, fmt.Errorf("open escalation: %w", err)
	}
	return rec, created, nil
}

// execer is a database or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) openEscalation(ctx context.Context, db execer, e bot.EscalationRecord) (bot.EscalationRecord, bool, error) {
	e.ID = newID()
	if e.Time.IsZero() {
		e.Time = s.now()
	}
	if e.State == "" {
		e.State = bot.EscalationOpen
	}
	if e.Delivery == "" {
		e.Delivery = bot.DeliveryPending
	}
	var sources []string
	for _, src := range e.Sources[:min(len(e.Sources), maxSources)] {
		sources = append(sources, strings.ReplaceAll(cut(src, maxRef), "\n", " "))
	}
	var resolved any
	if !e.ResolvedAt.IsZero() {
		resolved = millis(e.ResolvedAt)
	}
	// An escalation of a recorded exchange takes the exchange's asker as
	// it was recorded: a transport that read the exchange back holds only
	// that value, which hashing again would make unrecognisable.
	res, err := db.ExecContext(ctx, `INSERT INTO escalations
		(id, dedupe_key, exchange_id, at, reason, transport, conversation, link, asker, by_user, question, draft, sources,
		 corpus_version, destination, delivery, delivery_error, state, resolved_at, resolved_by, human_answer, imported, reply_to)
		VALUES ($1, $2, (SELECT id FROM exchanges WHERE id = $3), $4, $5, $6, $7, $8,
		 COALESCE(NULLIF((SELECT asker FROM exchanges WHERE id = $3), ''), $9), $10, $11, $12, $13,
		 $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
		ON CONFLICT (dedupe_key) DO NOTHING`,
		e.ID, nullable(cut(e.Key, maxRef)), cut(e.ExchangeID, maxRef), millis(e.Time), cut(string(e.Reason), maxRef),
		cut(e.Transport, maxRef), cut(e.Conversation, maxRef), cut(e.Link, maxRef), s.Asker(e.Asker), s.Asker(e.By),
		cut(e.Question, maxQuestion), cut(e.Draft, maxAnswer), strings.Join(sources, "\n"), cut(e.CorpusVersion, maxRef),
		cut(e.Destination, maxRef), string(e.Delivery), cut(e.DeliveryError, maxError), string(e.State), resolved,
		cut(e.ResolvedBy, maxRef), cut(e.HumanAnswer, maxAnswer), e.Imported, cut(e.ReplyTo, maxRef))
	if err != nil {
		return bot.EscalationRecord{}, false, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return bot.EscalationRecord{}, false, err
	} else if n == 0 {
		rec, err := scanEscalation(db.QueryRowContext(ctx, `SELECT `+escalationColumns+` FROM escalations WHERE dedupe_key = $1`, cut(e.Key, maxRef)))
		return rec, false, err
	}
	rec, err := scanEscalation(db.QueryRowContext(ctx, `SELECT `+escalationColumns+` FROM escalations WHERE id = $1`, e.ID))
	return rec, true, err
}

// EscalationDelivered records how the hand-off of escalation id went. It
// implements bot.EscalationRecorder.
func (s *Store) EscalationDelivered(ctx context.Context, id, destination string, deliveryErr error) error {
	delivery, detail := bot.DeliveryDelivered, ""
	switch {
	case destination == "":
		delivery = bot.DeliveryNone
	case deliveryErr != nil:
		delivery, detail = bot.DeliveryFailed, deliveryErr.Error()
	}
	n, err := s.exec(ctx, committed, `UPDATE escalations SET destination = $2, delivery = $3, delivery_error = $4 WHERE id = $1`,
		id, cut(destination, maxRef), string(delivery), cut(detail, maxError))
	if err != nil {
		return fmt.Errorf("record escalation delivery: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("record escalation delivery: %s: %w", id, bot.ErrNotFound)
	}
	return nil
}

// EscalationByKey implements bot.EscalationRecorder.
func (s *Store) EscalationByKey(ctx context.Context, key string) (bot.EscalationRecord, error) {
	if key == "" {
		return bot.EscalationRecord{}, bot.ErrNotFound
	}
	return s.escalationWhere(ctx, `dedupe_key = $1`, cut(key, maxRef))
}

// Escalation implements bot.EscalationDesk.
func (s *Store) Escalation(ctx context.Context, id string) (bot.EscalationRecord, error) {
	return s.escalationWhere(ctx, `id = $1`, id)
}

func (s *Store) escalationWhere(ctx context.Context, where string, arg any) (bot.EscalationRecord, error) {
	rec, err := scanEscalation(s.r.QueryRowContext(ctx, `SELECT `+escalationColumns+` FROM escalations WHERE `+where, arg))
	if err != nil && !errors.Is(err, bot.ErrNotFound) {
		return rec, fmt.Errorf("read escalation: %w", err)
	}
	return rec, err
}

// Escalations lists escalations, newest first. It implements
// bot.EscalationDesk.
func (s *Store) Escalations(ctx context.Context, q bot.EscalationQuery) ([]bot.EscalationRecord, error) {
	limit := q.Limit
	if limit <= 0 || limit > maxEscalations {
		limit = maxEscalations
	}
	query := `SELECT ` + escalationColumns + ` FROM escalations`
	args := []any{limit}
	if q.State != "" {
		query += ` WHERE state = $2`
		args = append(args, string(q.State))
	}
	rows, err := s.r.QueryContext(ctx, query+` ORDER BY at DESC, id LIMIT $1`, args...)
	if err != nil {
		return nil, fmt.Errorf("list escalations: %w", err)
	}
	defer rows.Close()
	var out []bot.EscalationRecord
	for rows.Next() {
		e, err := scanEscalation(rows)
		if err != nil {
			return nil, fmt.Errorf("list escalations: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list escalations: %w", err)
	}
	return out, nil
}

// ResolveEscalation closes an open escalation with a person's answer. The
// resolver is support staff and is recorded as given, whatever the asker
// policy. Of
// two people resolving at once, one wins; the other gets
// bot.ErrAlreadyResolved and the winner's record. It implements
// bot.EscalationDesk.
func (s *Store) ResolveEscalation(ctx context.Context, id, by, answer string) (bot.EscalationRecord, error) {
	n, err := s.exec(ctx, synced, `UPDATE escalations SET state = $2, resolved_at = $3, resolved_by = $4, human_answer = $5
		WHERE id = $1 AND state = $6`,
		id, string(bot.EscalationResolved), millis(s.now()), cut(by, maxRef), cut(answer, maxAnswer), string(bot.EscalationOpen))
	if err != nil {
		return bot.EscalationRecord{}, fmt.Errorf("resolve escalation: %w", err)
	}
	rec, err := scanEscalation(s.r.QueryRowContext(ctx, `SELECT `+escalationColumns+` FROM escalations WHERE id = $1`, id))
	switch {
	case errors.Is(err, bot.ErrNotFound):
		return rec, fmt.Errorf("resolve escalation %s: %w", id, bot.ErrNotFound)
	case err != nil:
		return rec, fmt.Errorf("resolve escalation: %w", err)
	case n == 0:
		return rec, fmt.Errorf("resolve escalation %s: %w", id, bot.ErrAlreadyResolved)
	}
	return rec, nil
}
