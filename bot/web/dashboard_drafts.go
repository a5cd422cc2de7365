package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// draftView is a FAQ draft's page.
type draftView struct {
	Draft bot.FAQDraft
	// From says what it was drafted from; Back links there.
	From, Back string
}

func (d *Dashboard) serveGapDraft(w http.ResponseWriter, r *http.Request, sess session) {
	p, st, ok := d.periodStats(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	for _, g := range st.Gaps {
		if g.ID != id {
			continue
		}
		questions := append([]string{g.Question}, g.Examples...)
		draft := d.draft(r.Context(), bot.DraftSource{Questions: dedupe(questions), Answers: g.HumanAnswers, Nearest: g.Nearest})
		d.render(w, http.StatusOK, "draft", d.view(sess, "overview", "FAQ draft", draftView{
			Draft: draft, From: itoa(g.Count) + " similar questions the FAQ did not serve", Back: "/admin/?" + periodQuery(p) + "#gaps"}))
		return
	}
	d.fail(w, r, http.StatusNotFound, "That group of questions is not among the coverage gaps of the period any more.")
}

func (d *Dashboard) serveEscalationDraft(w http.ResponseWriter, r *http.Request, sess session) {
	e, ok := d.escalation(w, r)
	if !ok {
		return
	}
	var answers []string
	if e.HumanAnswer != "" {
		answers = []string{e.HumanAnswer}
	}
	draft := d.draft(r.Context(), bot.DraftSource{Questions: []string{e.Question}, Answers: answers})
	d.render(w, http.StatusOK, "draft", d.view(sess, "escalations", "FAQ draft", draftView{
		Draft: draft, From: "an escalation answered by " + firstNonEmpty(e.ResolvedBy, "a person"), Back: "/admin/escalations/" + url.PathEscape(e.ID)}))
}

func (d *Dashboard) draft(ctx context.Context, src bot.DraftSource) bot.FAQDraft {
	ctx, cancel := context.WithTimeout(ctx, draftWait)
	defer cancel()
	draft := bot.NewFAQDraft(ctx, d.writer, src)
	if draft.Fallback != "" {
		d.log.Warn("FAQ draft from the template instead of the model", "why", draft.Fallback)
	}
	return draft
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		k := strings.ToLower(strings.TrimSpace(s))
		if !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}
