package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/faqbot/faqbot/bot"
)

// RecordFeedback keeps a click; it returns once the click is on disk.
// It implements bot.FeedbackRecorder. Feedback on an exchange the store no
// longer has (pruned, forgotten) is kept without the link.
func (s *Store) RecordFeedback(ctx context.Context, f bot.Feedback) error {
	err := s.write(ctx, synced, func(tx *sql.Tx) error { return s.insertFeedback(ctx, tx, f) })
	if err != nil {
		return fmt.Errorf("record feedback: %w", err)
	}
	return nil
}

func (s *Store) insertFeedback(ctx context.Context, db execer, f bot.Feedback) error {
	if !f.Kind.Valid() {
		return fmt.Errorf("unknown kind %q", f.Kind)
	}
	if f.Time.IsZero() {
		f.Time = s.now()
	}
	_, err := db.ExecContext(ctx, `INSERT INTO feedback
		(id, exchange_id, at, kind, user_id, comment, transport, conversation, message, question, asker, corpus_version)
		VALUES ($1, (SELECT id FROM exchanges WHERE id = $2), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		newID(), cut(f.ExchangeID, maxRef), millis(f.Time), string(f.Kind), s.Asker(f.User), cut(f.Comment, maxComment),
		cut(f.Transport, maxRef), cut(f.Conversation, maxRef), cut(f.Message, maxRef), cut(f.Question, maxQuestion),
		s.Asker(f.Asker), cut(f.CorpusVersion, maxRef))
	return err
}
