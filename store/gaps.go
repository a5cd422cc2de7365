package store

import (
	"context"
	"fmt"

	"github.com/faqbot/faqbot/bot"
)

var _ bot.GapSource = (*Store)(nil)

// notHelpfulSQL says that someone marked exchange e's answer not helpful.
const notHelpfulSQL = `EXISTS (SELECT 1 FROM feedback f WHERE f.exchange_id = e.id AND f.kind = '` + string(bot.FeedbackNotHelpful) + `')`

// GapQuestions lists the questions of p the FAQ did not serve (the bot
// abstained, or someone marked the answer not helpful), newest first,
// with the section each was pointed to and a person's answer when an
// escalation of it was resolved with one. It implements bot.GapSource.
func (s *Store) GapQuestions(ctx context.Context, p bot.Period, limit int) ([]bot.GapQuestion, error) {
	if err := checkPeriod(p); err != nil {
		return nil, fmt.Errorf("gap questions: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT e.id, e.at, e.question, e.answered, `+notHelpfulSQL+`,
		COALESCE(c.anchor, ''), COALESCE(c.title, ''), COALESCE(c.document, ''),
		COALESCE((SELECT x.human_answer FROM escalations x WHERE x.exchange_id = e.id AND x.human_answer <> ''
			ORDER BY x.resolved_at DESC LIMIT 1), '')
		FROM exchanges e LEFT JOIN citations c ON c.exchange_id = e.id AND c.rank = 1
		WHERE e.at >= $1 AND e.at < $2 AND e.question <> '' AND (NOT e.answered OR `+notHelpfulSQL+`)
		ORDER BY e.at DESC, e.id LIMIT $3`, millis(p.From), millis(p.To), max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("gap questions: %w", err)
	}
	defer rows.Close()
	var out []bot.GapQuestion
	for rows.Next() {
		var q bot.GapQuestion
		var at int64
		var answered bool
		if err := rows.Scan(&q.ExchangeID, &at, &q.Question, &answered, &q.NotHelpful,
			&q.Nearest.Anchor, &q.Nearest.Title, &q.Nearest.Document, &q.HumanAnswer); err != nil {
			return nil, fmt.Errorf("gap questions: %w", err)
		}
		q.Time, q.Abstained = fromMillis(at), !answered
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("gap questions: %w", err)
	}
	return out, nil
}
