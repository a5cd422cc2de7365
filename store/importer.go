package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/faqbot/faqbot/bot"
)

// Legacy is what versions before the store kept in files.
type Legacy struct {
	Feedback    []bot.Feedback
	Escalations []bot.EscalationRecord
}

// Import adds legacy records once per name: all of them, in one
// transaction with the mark that they were imported, or none. It reports
// whether it imported (false: name was imported before). Escalations
// whose key is taken are skipped.
func (s *Store) Import(ctx context.Context, name string, l Legacy) (bool, error) {
	imported := false
	err := s.write(ctx, synced, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
			"import:"+name, s.now().Format("2006-01-02T15:04:05Z"))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		for _, f := range l.Feedback {
			if err := s.insertFeedback(ctx, tx, f); err != nil {
				return fmt.Errorf("feedback of %s: %w", f.Time.Format("2006-01-02T15:04:05Z"), err)
			}
		}
		for _, e := range l.Escalations {
			if _, _, err := s.openEscalation(ctx, tx, e); err != nil {
				return fmt.Errorf("escalation of %s: %w", e.Time.Format("2006-01-02T15:04:05Z"), err)
			}
		}
		imported = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("import %s: %w", name, err)
	}
	return imported, nil
}
