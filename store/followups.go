package store

import (
	"context"
	"fmt"
	"time"

	"github.com/faqbot/faqbot/bot"
)

var _ bot.FollowupStore = (*Store)(nil)

// followupColumns are the claim and done columns of each follow-up.
var followupColumns = map[bot.Followup]struct{ claimed, done string }{
	bot.FollowupNotify: {"notify_claimed_at", "notified_at"},
	bot.FollowupRemind: {"remind_claimed_at", "reminded_at"},
}

// owedSQL says that an escalation owes a follow-up. Escalations imported
// from the JSON Lines of earlier versions are never reminded of: those
// files held hand-offs that failed, which the log told people to handle
// by hand long ago.
var owedSQL = map[bot.Followup]string{
	bot.FollowupNotify: `state = '` + string(bot.EscalationResolved) + `'`,
	bot.FollowupRemind: `state = '` + string(bot.EscalationOpen) + `' AND destination <> '' AND NOT imported`,
}

func followupOf(kind bot.Followup) (struct{ claimed, done string }, error) {
	c, ok := followupColumns[kind]
	if !ok {
		return c, fmt.Errorf("unknown follow-up %q", kind)
	}
	return c, nil
}

// DueFollowups implements bot.FollowupStore.
func (s *Store) DueFollowups(ctx context.Context, kind bot.Followup, cutoff time.Time, limit int) ([]bot.EscalationRecord, error) {
	c, err := followupOf(kind)
	if err != nil {
		return nil, fmt.Errorf("due follow-ups: %w", err)
	}
	when := `resolved_at >= $1`
	if kind == bot.FollowupRemind {
		when = `at < $1`
	}
	query := `SELECT ` + escalationColumns + ` FROM escalations
		WHERE ` + owedSQL[kind] + ` AND ` + when + ` AND ` + c.done + ` IS NULL
		AND (` + c.claimed + ` IS NULL OR ` + c.claimed + ` < $2)
		ORDER BY at, id LIMIT $3`
	rows, err := s.r.QueryContext(ctx, query, millis(cutoff), millis(s.now().Add(-bot.FollowupStaleAfter)), max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("due follow-ups: %w", err)
	}
	defer rows.Close()
	var out []bot.EscalationRecord
	for rows.Next() {
		e, err := scanEscalation(rows)
		if err != nil {
			return nil, fmt.Errorf("due follow-ups: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("due follow-ups: %w", err)
	}
	return out, nil
}

// ClaimFollowup implements bot.FollowupStore: one conditional update, so
// that of callers racing on any replica, one wins.
func (s *Store) ClaimFollowup(ctx context.Context, id string, kind bot.Followup) (bool, error) {
	c, err := followupOf(kind)
	if err != nil {
		return false, fmt.Errorf("claim follow-up: %w", err)
	}
	now := s.now()
	n, err := s.exec(ctx, committed, `UPDATE escalations SET `+c.claimed+` = $2
		WHERE id = $1 AND `+owedSQL[kind]+` AND `+c.done+` IS NULL
		AND (`+c.claimed+` IS NULL OR `+c.claimed+` < $3)`,
		id, millis(now), millis(now.Add(-bot.FollowupStaleAfter)))
	if err != nil {
		return false, fmt.Errorf("claim follow-up: %w", err)
	}
	return n == 1, nil
}

// FinishFollowup implements bot.FollowupStore. Done is synced: the asker
// was told, or the team reminded, and must not be again after a crash.
func (s *Store) FinishFollowup(ctx context.Context, id string, kind bot.Followup, done bool) error {
	c, err := followupOf(kind)
	if err != nil {
		return fmt.Errorf("finish follow-up: %w", err)
	}
	var n int64
	if done {
		n, err = s.exec(ctx, synced, `UPDATE escalations SET `+c.done+` = $2 WHERE id = $1`, id, millis(s.now()))
	} else {
		n, err = s.exec(ctx, committed, `UPDATE escalations SET `+c.claimed+` = NULL WHERE id = $1`, id)
	}
	if err != nil {
		return fmt.Errorf("finish follow-up: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("finish follow-up %s: %w", id, bot.ErrNotFound)
	}
	return nil
}
