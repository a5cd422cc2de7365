package httpserver

import (
	"encoding/json"
	"net/http"
)

// ErrorBody is the JSON body of every error reply: {"error": "..."}.
type ErrorBody struct {
	Error string `json:"error"`
}

// WriteJSON replies with v as JSON. Replies are never cached: answers change
// with the corpus.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		data = []byte(`{"error":"internal error: cannot encode the reply"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(data, '\n'))
}

// WriteError replies with {"error": msg}.
func WriteError(w http.ResponseWriter, status int, msg string) {
	WriteJSON(w, status, ErrorBody{Error: msg})
}
