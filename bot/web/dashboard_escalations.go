package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// escalationList is the escalations page.
type escalationList struct {
	State       string
	Escalations []bot.EscalationRecord
	Now         time.Time
}

func (d *Dashboard) serveEscalations(w http.ResponseWriter, r *http.Request, sess session) {
	state := bot.EscalationState(r.URL.Query().Get("state"))
	switch state {
	case bot.EscalationOpen, bot.EscalationResolved:
	case "all":
		state = ""
	default:
		state = bot.EscalationOpen
	}
	list, err := d.desk.Escalations(r.Context(), bot.EscalationQuery{State: state, Limit: escalationsPerPage})
	if err != nil {
		d.log.Error("cannot list escalations", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "The escalations could not be read; the server log has details.")
		return
	}
	shown := string(state)
	if shown == "" {
		shown = "all"
	}
	d.render(w, http.StatusOK, "escalations", d.view(sess, "escalations", "Escalations",
		escalationList{State: shown, Escalations: list, Now: d.now()}))
}

// escalationView is one escalation's page.
type escalationView struct {
	E   bot.EscalationRecord
	Now time.Time
	// Notice says what the last action did.
	Notice string
}

// Notices after resolving, by the code in the redirect.
var resolveNotices = map[string]string{
	"notified":  "Resolved. The asker has been told in their conversation.",
	"pending":   "Resolved. Telling the asker failed for now; it will be tried again every minute for a day.",
	"elsewhere": "Resolved.",
	"already":   "Someone else resolved this escalation first; their answer is below.",
}

func (d *Dashboard) serveEscalation(w http.ResponseWriter, r *http.Request, sess session) {
	e, ok := d.escalation(w, r)
	if !ok {
		return
	}
	d.render(w, http.StatusOK, "escalation", d.view(sess, "escalations", "Escalation",
		escalationView{E: e, Now: d.now(), Notice: resolveNotices[r.URL.Query().Get("done")]}))
}

// escalation reads the escalation the path names; on failure it has
// answered.
func (d *Dashboard) escalation(w http.ResponseWriter, r *http.Request) (bot.EscalationRecord, bool) {
	e, err := d.desk.Escalation(r.Context(), r.PathValue("id"))
	switch {
	case errors.Is(err, bot.ErrNotFound):
		d.fail(w, r, http.StatusNotFound, "There is no such escalation: it may have passed the retention period, or been forgotten.")
		return e, false
	case err != nil:
		d.log.Error("cannot read an escalation", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "The escalation could not be read; the server log has details.")
		return e, false
	}
	return e, true
}

// resolve closes an escalation with the form's name and answer, then
// tells the asker, waiting a little for it.
func (d *Dashboard) resolve(w http.ResponseWriter, r *http.Request, _ session) {
	id := r.PathValue("id")
	rec, err := d.resolver.Resolve(r.Context(), id, r.PostForm.Get("name"), r.PostForm.Get("answer"))
	done := "pending"
	switch {
	case errors.Is(err, bot.ErrEmptyResolver):
		d.fail(w, r, http.StatusBadRequest, "Say who you are: the asker is told who followed up.")
		return
	case errors.Is(err, bot.ErrNotFound):
		d.fail(w, r, http.StatusNotFound, "There is no such escalation.")
		return
	case errors.Is(err, bot.ErrAlreadyResolved):
		done = "already"
	case err != nil:
		d.log.Error("cannot resolve an escalation", "escalation", id, "err", err)
		d.fail(w, r, http.StatusInternalServerError, "The escalation could not be resolved; the server log has details.")
		return
	default:
		d.log.Info("escalation resolved on the dashboard", "escalation", id, "with_answer", rec.HumanAnswer != "")
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), notifyWait)
		nerr := d.resolver.Notify(ctx, rec)
		cancel()
		switch {
		case nerr == nil:
			done = "notified"
		case errors.Is(nerr, bot.ErrNotifyingElsewhere):
			done = "elsewhere"
		}
	}
	http.Redirect(w, r, "/admin/escalations/"+url.PathEscape(id)+"?done="+done, http.StatusSeeOther)
}
