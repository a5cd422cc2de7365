package slack

import (
	"context"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// The escalation loop's side of memoryRecords: what bot.Desk needs of a
// store, in memory (the store's and the desk's own tests cover the SQL
// and the claims).

var _ bot.FollowupStore = (*memoryRecords)(nil)

func (m *memoryRecords) Escalation(_ context.Context, id string) (bot.EscalationRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return bot.EscalationRecord{}, m.fail
	}
	for _, e := range m.escalations {
		if e.ID == id {
			return e, nil
		}
	}
	return bot.EscalationRecord{}, bot.ErrNotFound
}

func (m *memoryRecords) Escalations(_ context.Context, q bot.EscalationQuery) ([]bot.EscalationRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []bot.EscalationRecord
	for _, e := range m.escalations {
		if q.State == "" || e.State == q.State {
			out = append(out, e)
		}
	}
	return out, m.fail
}

func (m *memoryRecords) ResolveEscalation(_ context.Context, id, by, answer string) (bot.EscalationRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return bot.EscalationRecord{}, m.fail
	}
	for i := range m.escalations {
		e := &m.escalations[i]
		if e.ID != id {
			continue
		}
		if e.State == bot.EscalationResolved {
			return *e, bot.ErrAlreadyResolved
		}
		e.State, e.ResolvedBy, e.HumanAnswer, e.ResolvedAt = bot.EscalationResolved, by, answer, time.Now().UTC()
		return *e, nil
	}
	return bot.EscalationRecord{}, bot.ErrNotFound
}

// followupState is a follow-up's claim and completion.
type followupState struct{ claimed, done time.Time }

func (m *memoryRecords) followup(id string, kind bot.Followup) *followupState {
	if m.followups == nil {
		m.followups = map[string]*followupState{}
	}
	k := string(kind) + "/" + id
	if m.followups[k] == nil {
		m.followups[k] = &followupState{}
	}
	return m.followups[k]
}

func owed(e bot.EscalationRecord, kind bot.Followup) bool {
	if kind == bot.FollowupNotify {
		return e.State == bot.EscalationResolved
	}
	return e.State == bot.EscalationOpen && e.Destination != ""
}

func (m *memoryRecords) DueFollowups(_ context.Context, kind bot.Followup, cutoff time.Time, limit int) ([]bot.EscalationRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []bot.EscalationRecord
	for _, e := range m.escalations {
		f := m.followup(e.ID, kind)
		when := e.ResolvedAt.After(cutoff)
		if kind == bot.FollowupRemind {
			when = e.Time.Before(cutoff)
		}
		if owed(e, kind) && when && f.done.IsZero() && f.claimed.IsZero() && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memoryRecords) ClaimFollowup(_ context.Context, id string, kind bot.Followup) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.escalations {
		if e.ID != id {
			continue
		}
		f := m.followup(id, kind)
		if !owed(e, kind) || !f.done.IsZero() || !f.claimed.IsZero() {
			return false, nil
		}
		f.claimed = time.Now()
		return true, nil
	}
	return false, nil
}

func (m *memoryRecords) FinishFollowup(_ context.Context, id string, kind bot.Followup, done bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	f := m.followup(id, kind)
	if done {
		f.done = time.Now()
	} else {
		f.claimed = time.Time{}
	}
	return nil
}

// setTime moves an escalation's creation time, as if it were older.
func (m *memoryRecords) setTime(id string, t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.escalations {
		if m.escalations[i].ID == id {
			m.escalations[i].Time = t
		}
	}
}
