package web

import (
	"net/http"
	"net/url"
	"strings"
)

// loginView is the sign-in form's data.
type loginView struct {
	Next    string
	Message string
}

func (d *Dashboard) serveLogin(w http.ResponseWriter, r *http.Request) {
	if _, ok := d.sessions.get(r); ok {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	d.render(w, http.StatusOK, "login", view{Title: "Sign in", Data: loginView{Next: safeNext(r.URL.Query().Get("next"))}})
}

// login checks the admin token typed into the form; failures are limited
// per client address and in all.
func (d *Dashboard) login(w http.ResponseWriter, r *http.Request) {
	client := clientOf(r)
	if wait := d.sessions.failures.blocked(client); wait > 0 {
		w.Header().Set("Retry-After", itoa(int(wait.Seconds())+1))
		d.render(w, http.StatusTooManyRequests, "login", view{Title: "Sign in", Data: loginView{
			Message: "Too many failed sign-ins. Wait a few minutes and try again."}})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil || !sameOrigin(r) {
		d.render(w, http.StatusBadRequest, "login", view{Title: "Sign in", Data: loginView{Message: "The form could not be read."}})
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	if !tokenMatches(r.PostForm.Get("token"), d.token) {
		d.sessions.failures.fail(client)
		d.log.Warn("failed dashboard sign-in", "client", client)
		d.render(w, http.StatusUnauthorized, "login", view{Title: "Sign in", Data: loginView{Next: next, Message: "That is not the admin token."}})
		return
	}
	value, _ := d.sessions.start()
	setCookie(w, r, value, SessionTTL)
	d.log.Info("dashboard sign-in", "client", client)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (d *Dashboard) logout(w http.ResponseWriter, r *http.Request, _ session) {
	d.sessions.end(r)
	setCookie(w, r, "", 0)
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}

// safeNext keeps a redirect after sign-in on the dashboard.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/admin") ||
		strings.HasPrefix(next, "//") || strings.Contains(next, "\\") || strings.HasPrefix(u.Path, "/admin/login") {
		return "/admin/"
	}
	return u.RequestURI()
}
