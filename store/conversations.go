package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// CountConversations counts the exchanges of p. It implements bot.Reports.
func (s *Store) CountConversations(ctx context.Context, p bot.Period) (int, error) {
	if err := checkPeriod(p); err != nil {
		return 0, fmt.Errorf("count conversations: %w", err)
	}
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM exchanges WHERE at >= $1 AND at < $2`,
		millis(p.From), millis(p.To)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count conversations: %w", err)
	}
	return n, nil
}

// Conversations walks the exchanges of p, oldest first, with their
// feedback counts, whether they were deflected, and their latest
// escalation. It implements bot.Reports.
func (s *Store) Conversations(ctx context.Context, p bot.Period, limit int, fn func(bot.Conversation) error) error {
	if err := checkPeriod(p); err != nil {
		return fmt.Errorf("conversations: %w", err)
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return fmt.Errorf("conversations: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT e.id, e.at, e.transport, e.conversation, e.asker, e.question, e.answer,
		e.answered, e.escalate, e.reason, e.anchors, e.mode, e.corpus_version, e.latency_us,
		(SELECT COUNT(*) FROM feedback f WHERE f.exchange_id = e.id AND f.kind = $3),
		(SELECT COUNT(*) FROM feedback f WHERE f.exchange_id = e.id AND f.kind = $4),
		CASE WHEN %s THEN 1 ELSE 0 END,
		x.id, x.reason, x.delivery, x.state, x.resolved_at, x.resolved_by, x.human_answer
		FROM exchanges e
		LEFT JOIN escalations x ON x.id = (SELECT y.id FROM escalations y WHERE y.exchange_id = e.id ORDER BY y.at DESC, y.id LIMIT 1)
		WHERE e.at >= $1 AND e.at < $2
		ORDER BY e.at, e.id LIMIT $5`, s.deflected()),
		millis(p.From), millis(p.To), string(bot.FeedbackHelpful), string(bot.FeedbackNotHelpful), limit)
	if err != nil {
		return fmt.Errorf("conversations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanConversation(rows)
		if err != nil {
			return fmt.Errorf("conversations: %w", err)
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("conversations: %w", err)
	}
	return nil
}

func scanConversation(rows *sql.Rows) (bot.Conversation, error) {
	var c bot.Conversation
	var at, latency int64
	var reason, anchors, mode string
	var deflected int
	var xID, xReason, xDelivery, xState, xBy, xAnswer sql.NullString
	var xResolved sql.NullInt64
	if err := rows.Scan(&c.ID, &at, &c.Transport, &c.Exchange.Conversation, &c.Asker, &c.Question, &c.Answer,
		&c.Answered, &c.Escalate, &reason, &anchors, &mode, &c.CorpusVersion, &latency,
		&c.Helpful, &c.NotHelpful, &deflected,
		&xID, &xReason, &xDelivery, &xState, &xResolved, &xBy, &xAnswer); err != nil {
		return c, err
	}
	c.Time, c.Latency = fromMillis(at), time.Duration(latency)*time.Microsecond
	c.Reason, c.Mode, c.Deflected = bot.Reason(reason), bot.Mode(mode), deflected == 1
	for _, a := range strings.Fields(anchors) {
		c.Citations = append(c.Citations, bot.Citation{Anchor: a})
	}
	if xID.Valid {
		c.Escalation = &bot.EscalationRecord{
			ID: xID.String, ExchangeID: c.ID, Reason: bot.Reason(xReason.String), Delivery: bot.Delivery(xDelivery.String),
			State: bot.EscalationState(xState.String), ResolvedAt: fromNullMillis(xResolved),
			ResolvedBy: xBy.String, HumanAnswer: xAnswer.String,
		}
	}
	return c, nil
}
