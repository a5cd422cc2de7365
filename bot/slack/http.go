package slack

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/slack-go/slack"
)

// maxBody bounds a request from Slack; interaction payloads, which carry
// the clicked message, are the largest at tens of kilobytes.
const maxBody = 1 << 20

// Handler serves POST /slack/events, /slack/commands and
// /slack/interactions.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/events", a.ServeEvents)
	mux.HandleFunc("POST /slack/commands", a.ServeCommands)
	mux.HandleFunc("POST /slack/interactions", a.ServeInteractions)
	return mux
}

// verified reads the request body and checks Slack's signature over it.
// On failure it has answered the request and returns false.
func (a *App) verified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "cannot read request", http.StatusBadRequest)
		}
		return nil, false
	}
	sv, err := slack.NewSecretsVerifier(r.Header, a.opts.SigningSecret)
	if err == nil {
		_, _ = sv.Write(body)
		err = sv.Ensure()
	}
	if err != nil {
		a.log.Warn("rejected unsigned or stale request", "path", r.URL.Path, "err", err)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return nil, false
	}
	if !a.open() {
		// Slack retries; a restarted or other instance will answer.
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return nil, false
	}
	return body, true
}

func (a *App) open() bool { return !a.bg.Closing() }

// ServeEvents handles the Events API: URL verification and event
// callbacks, which are acknowledged at once and answered in the
// background.
func (a *App) ServeEvents(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	env, err := decodeEnvelope(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	switch env.Type {
	case "url_verification":
		writeJSON(w, map[string]string{"challenge": env.Challenge})
		return
	case "event_callback":
		if err := a.acceptEvent(env, r.Header.Get("X-Slack-Retry-Num")); err != nil {
			// Slack retries an event that is not acknowledged with a 2xx.
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// ServeCommands handles the slash commands; the reply in the response is
// immediate and the answer follows through the response URL.
func (a *App) ServeCommands(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	form, err := url.ParseQuery(string(body))
	if err == nil && form.Get("ssl_check") == "1" {
		w.WriteHeader(http.StatusOK) // Slack checking the certificate
		return
	}
	if err != nil || form.Get("command") == "" {
		http.Error(w, "malformed slash command", http.StatusBadRequest)
		return
	}
	writeJSON(w, a.command(commandFromForm(form), body))
}

// ServeInteractions handles button clicks on answers: a click is
// acknowledged once it is recorded.
func (a *App) ServeInteractions(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "malformed interaction", http.StatusBadRequest)
		return
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
		http.Error(w, "malformed interaction payload", http.StatusBadRequest)
		return
	}
	resp, err := a.interact(r.Context(), cb)
	if err != nil {
		// Not acknowledged, so Slack tells the clicker it failed.
		http.Error(w, "the click could not be recorded", http.StatusInternalServerError)
		return
	}
	if resp != nil {
		writeJSON(w, resp)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func commandFromForm(f url.Values) slack.SlashCommand {
	return slack.SlashCommand{
		TeamID:      f.Get("team_id"),
		ChannelID:   f.Get("channel_id"),
		ChannelName: f.Get("channel_name"),
		UserID:      f.Get("user_id"),
		UserName:    f.Get("user_name"),
		Command:     f.Get("command"),
		Text:        f.Get("text"),
		ResponseURL: f.Get("response_url"),
		TriggerID:   f.Get("trigger_id"),
		APIAppID:    f.Get("api_app_id"),
	}
}
