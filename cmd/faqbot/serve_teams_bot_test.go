package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot/teams/teamstest"
)

func TestServeAnswersTeamsBotAndEscalatesToChannel(t *testing.T) {
	const (
		appID    = "8b2f4c1e-5a6d-4e3f-9b7c-0d1e2f3a4b5c"
		password = "APP-PASSWORD-SECRET"
		tenant   = "72f988bf-86f1-41af-91ab-2d7cd011db47"
		escConv  = "19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2"
		personal = "a:1Xyz9AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
	)
	idp := teamstest.NewIdentity(t, appID, password, tenant)
	key := teamstest.NewKey(t, 0, "bf-key-1")
	idp.Publish(key.JWK("msteams"))
	conn := teamstest.NewConnector(t)
	s := startServe(t, map[string]string{
		"MICROSOFT_APP_ID": appID, "MICROSOFT_APP_PASSWORD": password, "MICROSOFT_APP_TENANT_ID": tenant,
		"BOTFRAMEWORK_OPENID_METADATA_URL": idp.MetadataURL(), "BOTFRAMEWORK_TOKEN_URL": idp.TokenURL(),
		"TEAMS_ESCALATION_CONVERSATION": escConv,
	})
	if on := s.ready(); on["teams"] != "bot" || on["escalations"] != "teams channel "+escConv {
		t.Errorf("start-up line says teams %v, escalations %v", on["teams"], on["escalations"])
	}
	activity := func(id, text string) string {
		data, _ := json.Marshal(map[string]any{
			"type": "message", "id": id, "channelId": "msteams", "serviceUrl": conn.ServiceURL(), "text": text,
			"from":         map[string]any{"id": "29:1abc", "name": "Megan Bowen", "aadObjectId": "6f2b3c8e-1d4a-4b7e-9c0f-2a5d8e7b1c34"},
			"recipient":    map[string]any{"id": "28:" + appID, "name": "FAQ Bot"},
			"conversation": map[string]any{"id": personal, "conversationType": "personal", "tenantId": tenant},
			"channelData":  map[string]any{"tenant": map[string]any{"id": tenant}},
		})
		return string(data)
	}
	auth := "Bearer " + key.Sign(t, teamstest.ConnectorClaims(appID, conn.ServiceURL(), time.Now()))

	body := activity("1727891234567", "When will outbound marketing be removed?")
	if r := do(t, "POST", s.url+"/api/messages", body, "Content-Type", "application/json"); r.status != http.StatusUnauthorized {
		t.Errorf("unsigned activity: status %d, want 401", r.status)
	}
	if r := do(t, "POST", s.url+"/api/messages", body, "Content-Type", "application/json", "Authorization", auth); r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	posts := conn.WaitFor(t, "the answer", func(ps []teamstest.Post) bool { return teamstest.ReplyTo(ps, "1727891234567") != nil })
	reply := teamstest.ReplyTo(posts, "1727891234567")
	if reply.Auth != "Bearer "+teamstest.AccessToken(0) || !strings.Contains(reply.Str("text"), "[1]") {
		t.Errorf("reply with %q:\n%s", reply.Auth, reply.Str("text"))
	}

	// An extension request is handed to the escalation channel.
	ext := activity("1727891299999", "Can we get an extension past June 30?")
	if r := do(t, "POST", s.url+"/api/messages", ext, "Content-Type", "application/json", "Authorization", auth); r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	posts = conn.WaitFor(t, "the escalation and the answer", func(ps []teamstest.Post) bool {
		return teamstest.ReplyTo(ps, "1727891299999") != nil
	})
	escalated := 0
	for _, p := range posts {
		if p.Path == "/v3/conversations/"+escConv+"/activities" {
			escalated++
		}
	}
	if escalated != 1 {
		t.Errorf("%d posts to the escalation channel, want 1", escalated)
	}
	if text := teamstest.ReplyTo(posts, "1727891299999").Str("text"); !strings.Contains(text, "passed your question to the team") {
		t.Errorf("answer does not tell the asker it was passed on:\n%s", text)
	}
	m := do(t, "GET", s.url+"/metrics", "")
	wantMetrics(t, string(m.body),
		`faqbot_escalations_total{destination="teams",reason="extension_request",result="ok"} 1`,
		`faqbot_questions_total{outcome="answered",reason="",transport="teams"} 1`,
	)
	if s.stop() != exitOK {
		t.Errorf("exit status not 0:\n%s", s.logs)
	}
	if strings.Contains(s.logs.String(), password) || strings.Contains(s.logs.String(), strings.TrimPrefix(auth, "Bearer ")) {
		t.Error("a secret reached the logs")
	}
}
