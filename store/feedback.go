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
	err := s.write(ctx, synced, func(tx *sql.Tx) error {
		if err := s.replaceFeedback(ctx, tx, f); err != nil {
			return err
		}
		return s.insertFeedback(ctx, tx, f)
	})
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

// replaceFeedback makes a person's last choice on an answer the one that
// counts: Slack's feedback buttons toggle, and a reason given afterwards
// restates the "not helpful". It forgets their earlier feedback on the
// same message. Without a message or a recorded user (FAQBOT_ASKER_IDS
// none) people cannot be told apart, and every click is kept.
func (s *Store) replaceFeedback(ctx context.Context, tx *sql.Tx, f bot.Feedback) error {
	user := s.Asker(f.User)
	if f.Message == "" || user == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM feedback WHERE message = $1 AND user_id = $2`, cut(f.Message, maxRef), user); err != nil {
		return fmt.Errorf("replace earlier feedback: %w", err)
	}
	return nil
}
