package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	records "github.com/faqbot/faqbot/store"
)

// The desk runs against a real SQLite store: its claims are conditional
// updates, which a fake would only imitate.

type deskClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *deskClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *deskClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// followups records what a transport was asked to do, failing while fail
// is set.
type followups struct {
	mu        sync.Mutex
	notified  []bot.EscalationRecord
	reminded  []string
	openFor   []time.Duration
	fail      error
	attempted int
}

func (f *followups) NotifyResolved(_ context.Context, rec bot.EscalationRecord) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempted++
	if f.fail != nil {
		return f.fail
	}
	f.notified = append(f.notified, rec)
	return nil
}

func (f *followups) Remind(_ context.Context, rec bot.EscalationRecord, open time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempted++
	if f.fail != nil {
		return f.fail
	}
	f.reminded = append(f.reminded, rec.ID)
	f.openFor = append(f.openFor, open)
	return nil
}

func (f *followups) setFail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = err
}

func deskStore(t *testing.T, clk *deskClock) *records.Store {
	t.Helper()
	st, err := records.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "faqbot.db"), records.Options{Clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func openEscalation(t *testing.T, st *records.Store, transport, dest string) bot.EscalationRecord {
	t.Helper()
	ctx := context.Background()
	e, _, err := st.OpenEscalation(ctx, bot.EscalationRecord{Transport: transport, Question: "q from " + transport, Reason: bot.UserRequest})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.EscalationDelivered(ctx, e.ID, dest, nil); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestDeskTellsTheAskerOnceAndRetriesWhatFailed(t *testing.T) {
	ctx := context.Background()
	clk := &deskClock{t: time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)}
	st := deskStore(t, clk)
	desk := bot.NewDesk(st, bot.DeskOptions{Clock: clk.now, RemindAfter: -1})
	slack, teams := &followups{}, &followups{}
	desk.NotifyVia("slack", slack)
	desk.NotifyVia("teams", teams)
	fromSlack, fromTeams, fromAPI := openEscalation(t, st, "slack", "slack"), openEscalation(t, st, "teams", "teams"), openEscalation(t, st, "api", "")

	if _, err := desk.Resolve(ctx, fromSlack.ID, "  ", "x"); !errors.Is(err, bot.ErrEmptyResolver) {
		t.Errorf("resolve without a name: %v", err)
	}
	rec, err := desk.Resolve(ctx, fromSlack.ID, " Jane ", " Use the export. ")
	if err != nil || rec.ResolvedBy != "Jane" || rec.HumanAnswer != "Use the export." || rec.State != bot.EscalationResolved {
		t.Fatalf("resolve: %+v, %v", rec, err)
	}
	if _, err := desk.Resolve(ctx, fromSlack.ID, "Joe", "me too"); !errors.Is(err, bot.ErrAlreadyResolved) {
		t.Errorf("second resolve: %v", err)
	}
	if err := desk.Notify(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if err := desk.Notify(ctx, rec); !errors.Is(err, bot.ErrNotifyingElsewhere) {
		t.Errorf("second notice: %v", err)
	}
	if err := desk.Followups(ctx); err != nil {
		t.Fatal(err)
	}
	if len(slack.notified) != 1 || slack.notified[0].HumanAnswer != "Use the export." || len(teams.notified) != 0 {
		t.Fatalf("notified slack %+v teams %+v", slack.notified, teams.notified)
	}

	// Teams is down: the notice fails, and the next round tells them.
	teams.setFail(errors.New("connector 502"))
	rec, err = desk.Resolve(ctx, fromTeams.ID, "Jane", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.Notify(ctx, rec); err == nil {
		t.Fatal("a failed notice reported success")
	}
	teams.setFail(nil)
	clk.add(time.Minute)
	if err := desk.Followups(ctx); err != nil {
		t.Fatal(err)
	}
	if err := desk.Followups(ctx); err != nil {
		t.Fatal(err)
	}
	if len(teams.notified) != 1 || teams.notified[0].ID != fromTeams.ID || teams.attempted != 2 {
		t.Errorf("teams notified %+v after %d attempts; want once after 2", teams.notified, teams.attempted)
	}
	// A transport nobody can reach later is done at once.
	rec, _ = desk.Resolve(ctx, fromAPI.ID, "Jane", "")
	if err := desk.Notify(ctx, rec); err != nil {
		t.Errorf("notice with nothing to tell: %v", err)
	}
	if got, _ := st.Escalation(ctx, fromAPI.ID); got.NotifiedAt.IsZero() {
		t.Error("nothing to tell is not recorded as told")
	}
}

func TestDeskRemindsOnceOfEscalationsLeftOpen(t *testing.T) {
	ctx := context.Background()
	clk := &deskClock{t: time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)}
	st := deskStore(t, clk)
	desk := bot.NewDesk(st, bot.DeskOptions{Clock: clk.now, RemindAfter: 24 * time.Hour})
	slack := &followups{}
	desk.RemindVia("slack", slack)
	old := openEscalation(t, st, "slack", "slack")
	teamsOnly := openEscalation(t, st, "teams", "teams") // no reminder here: another replica's
	clk.add(20 * time.Hour)
	young := openEscalation(t, st, "slack", "slack")
	resolved := openEscalation(t, st, "slack", "slack")
	if _, err := desk.Resolve(ctx, resolved.ID, "Jane", ""); err != nil {
		t.Fatal(err)
	}
	clk.add(5 * time.Hour)

	slack.setFail(errors.New("slack 500"))
	if err := desk.Followups(ctx); err != nil {
		t.Fatal(err)
	}
	slack.setFail(nil)
	for range 3 {
		if err := desk.Followups(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(slack.reminded) != 1 || slack.reminded[0] != old.ID || slack.openFor[0] != 25*time.Hour {
		t.Errorf("reminded %v (open %v); want %s once, open 25h (not %s, %s, %s)", slack.reminded, slack.openFor, old.ID, young.ID, resolved.ID, teamsOnly.ID)
	}
	clk.add(20 * time.Hour)
	if err := desk.Followups(ctx); err != nil {
		t.Fatal(err)
	}
	if len(slack.reminded) != 2 || slack.reminded[1] != young.ID {
		t.Errorf("reminded %v; want %s next", slack.reminded, young.ID)
	}
	if got, _ := st.Escalation(ctx, teamsOnly.ID); !got.RemindedAt.IsZero() {
		t.Error("an escalation this desk cannot post was marked reminded")
	}

	off := bot.NewDesk(st, bot.DeskOptions{Clock: clk.now, RemindAfter: -1})
	other := &followups{}
	off.RemindVia("teams", other)
	clk.add(100 * time.Hour)
	if err := off.Followups(ctx); err != nil || len(other.reminded) != 0 {
		t.Errorf("reminders off, yet %v (%v)", other.reminded, err)
	}
}
