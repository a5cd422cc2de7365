package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// teamsSign signs body as Teams does for an outgoing webhook whose security
// token is token (base64).
func teamsSign(t *testing.T, token, body string) string {
	key, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(body))
	return "HMAC " + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func TestServeAnswersTeamsAndEscalatesToWorkflow(t *testing.T) {
	var mu sync.Mutex
	var cards []map[string]any
	workflow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var card map[string]any
		data, _ := io.ReadAll(r.Body)
		json.Unmarshal(data, &card)
		mu.Lock()
		cards = append(cards, card)
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	defer workflow.Close()
	token := base64.StdEncoding.EncodeToString([]byte("teams-outgoing-webhook-key-32byt"))
	s := startServe(t, map[string]string{"TEAMS_WEBHOOK_SECRET": token, "TEAMS_ESCALATION_WEBHOOK_URL": workflow.URL})
	if on := s.ready(); on["teams"] != "outgoing webhook" {
		t.Errorf("start-up line says teams %v", on["teams"])
	}
	body := `{"type":"message","text":"<at>FAQ Bot</at> Can we get an extension past June 30?","from":{"name":"Megan Bowen","aadObjectId":"a1"}}`

	if r := do(t, "POST", s.url+"/teams/messages", body, "Authorization", teamsSign(t, base64.StdEncoding.EncodeToString([]byte("wrong")), body)); r.status != http.StatusUnauthorized {
		t.Errorf("wrong key: status %d, want 401", r.status)
	}
	r := do(t, "POST", s.url+"/teams/messages", body, "Authorization", teamsSign(t, token, body), "Content-Type", "application/json")
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var msg struct{ Type, Text string }
	if err := json.Unmarshal(r.body, &msg); err != nil || msg.Type != "message" {
		t.Fatalf("reply %s: %v", r.body, err)
	}
	if !strings.Contains(msg.Text, "(https://learn.microsoft.com/en-us/dynamics365/customer-insights/journeys/transition-faqs#"+extensionAnchor+")") {
		t.Errorf("reply lacks the extension section link:\n%s", msg.Text)
	}
	mu.Lock()
	n := len(cards)
	mu.Unlock()
	if n != 1 {
		t.Fatalf("workflow got %d cards, want 1", n)
	}
	if s.stop() != exitOK {
		t.Errorf("exit status not 0:\n%s", s.logs)
	}
}

func TestServeTeamsReplayEscalatesOnceAcrossRestart(t *testing.T) {
	var mu sync.Mutex
	cards := 0
	workflow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		cards++
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	defer workflow.Close()
	token := base64.StdEncoding.EncodeToString([]byte("teams-outgoing-webhook-key-32byt"))
	env := map[string]string{"TEAMS_WEBHOOK_SECRET": token, "TEAMS_ESCALATION_WEBHOOK_URL": workflow.URL, "FAQBOT_DATA_DIR": t.TempDir()}
	body := `{"type":"message","id":"1727891234567","conversation":{"id":"19:abc@thread.skype;messageid=1727891234567"},` +
		`"text":"<at>FAQ Bot</at> Can we get an extension past June 30?","from":{"name":"Megan Bowen","aadObjectId":"a1"}}`
	sig := teamsSign(t, token, body)
	for run := range 2 {
		s := startServe(t, env)
		s.ready()
		for i := range 3 {
			r := do(t, "POST", s.url+"/teams/messages", body, "Authorization", sig, "Content-Type", "application/json")
			if r.status != http.StatusOK || (run+i > 0 && len(r.body) != 0) {
				t.Errorf("run %d, delivery %d: status %d %s; want 200, and nothing to post for a replay", run+1, i+1, r.status, r.body)
			}
		}
		if s.stop() != exitOK {
			t.Errorf("exit status not 0:\n%s", s.logs)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if cards != 1 {
		t.Errorf("one signed activity sent six times, across a restart, escalated %d times; want 1", cards)
	}
}
