package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/faqbot/faqbot/bot"
)

var _ bot.ReplyLog = (*Store)(nil)

// maxRecentExchanges bounds one RecentExchanges.
const maxRecentExchanges = 50

// LinkReply implements bot.ReplyLog.
func (s *Store) LinkReply(ctx context.Context, id, questionRef, replyRef string) error {
	n, err := s.exec(ctx, committed, `UPDATE exchanges SET question_ref = $2, reply_ref = $3 WHERE id = $1`,
		id, cut(questionRef, maxRef), cut(replyRef, maxRef))
	if err != nil {
		return fmt.Errorf("link reply: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("link reply: exchange %s: %w", id, bot.ErrNotFound)
	}
	return nil
}

const replyExchangeColumns = `e.id, e.at, e.transport, e.conversation, e.asker, e.question, e.answer, e.answered, e.escalate,
	e.reason, e.mode, e.corpus_version, e.latency_us, e.question_ref, e.reply_ref`

// RecentExchanges implements bot.ReplyLog.
func (s *Store) RecentExchanges(ctx context.Context, transport, conversation string, n int) ([]bot.Exchange, error) {
	if n <= 0 {
		return nil, nil
	}
	out, err := s.readExchanges(ctx, `SELECT `+replyExchangeColumns+` FROM exchanges e
		WHERE e.transport = $1 AND e.conversation = $2 ORDER BY e.at DESC, e.id DESC LIMIT $3`,
		cut(transport, maxRef), cut(conversation, maxRef), min(n, maxRecentExchanges))
	if err != nil {
		return nil, fmt.Errorf("recent exchanges: %w", err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// ExchangeByReply implements bot.ReplyLog.
func (s *Store) ExchangeByReply(ctx context.Context, transport, conversation, replyRef string) (bot.Exchange, error) {
	if replyRef == "" {
		return bot.Exchange{}, bot.ErrNotFound
	}
	out, err := s.readExchanges(ctx, `SELECT `+replyExchangeColumns+` FROM exchanges e
		WHERE e.transport = $1 AND e.conversation = $2 AND e.reply_ref = $3 ORDER BY e.at DESC LIMIT 1`,
		cut(transport, maxRef), cut(conversation, maxRef), cut(replyRef, maxRef))
	switch {
	case err != nil:
		return bot.Exchange{}, fmt.Errorf("exchange by reply: %w", err)
	case len(out) == 0:
		return bot.Exchange{}, bot.ErrNotFound
	}
	return out[0], nil
}

// readExchanges reads exchanges with their citations, in one read
// transaction.
func (s *Store) readExchanges(ctx context.Context, query string, args ...any) ([]bot.Exchange, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []bot.Exchange
	for rows.Next() {
		var e bot.Exchange
		var at, latency int64
		var reason, mode string
		if err := rows.Scan(&e.ID, &at, &e.Transport, &e.Conversation, &e.Asker, &e.Question, &e.Answer, &e.Answered,
			&e.Escalate, &reason, &mode, &e.CorpusVersion, &latency, &e.QuestionRef, &e.ReplyRef); err != nil {
			rows.Close()
			return nil, err
		}
		e.Time, e.Reason, e.Mode = fromMillis(at), bot.Reason(reason), bot.Mode(mode)
		e.Latency = time.Duration(latency) * time.Microsecond
		out = append(out, e)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Citations, err = citationsOf(ctx, tx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// citationsOf reads an exchange's citations in order.
func citationsOf(ctx context.Context, tx *sql.Tx, id string) ([]bot.Citation, error) {
	rows, err := tx.QueryContext(ctx, `SELECT anchor, title, document, url FROM citations WHERE exchange_id = $1 ORDER BY rank`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.Citation
	for rows.Next() {
		var c bot.Citation
		if err := rows.Scan(&c.Anchor, &c.Title, &c.Document, &c.URL); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
