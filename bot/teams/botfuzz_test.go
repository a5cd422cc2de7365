package teams

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzBotRequest throws Authorization headers and bodies at the bot's
// handler: nothing may panic, and only a request carrying the one valid
// token may get past the refusals (401, 400, 413).
//
//	go test ./bot/teams -run '^$' -fuzz FuzzBotRequest -fuzztime 60s
func FuzzBotRequest(f *testing.F) {
	e := newBotEnv(f, nil)
	valid := e.bearer()
	token := strings.TrimPrefix(valid, "Bearer ")
	body, err := json.Marshal(e.activity("bot-personal.json"))
	if err != nil {
		f.Fatal(err)
	}
	svc := e.conn.ServiceURL()
	f.Add(valid, body)
	f.Add(valid, []byte("{}"))
	f.Add(valid, []byte("null"))
	f.Add(valid, []byte(`{"type":"invoke","id":"i1","name":"adaptiveCard/action","conversation":{"id":"x"},"serviceUrl":"`+svc+`","channelId":"msteams","value":1}`))
	f.Add(valid, []byte(`{"type":"invoke","id":"i2","name":"message/submitAction","conversation":{"id":"x"},"serviceUrl":"`+svc+`","channelId":"msteams","value":"x"}`))
	f.Add(valid, []byte(`{"type":"message","id":"m1","conversation":{"id":"x"},"serviceUrl":"`+svc+`","channelId":"msteams","value":{"action":"askHuman"}}`))
	f.Add("Bearer a.b.c", body)
	f.Add("Bearer ..", body)
	f.Add("bearer "+token+" ", body)
	f.Fuzz(func(t *testing.T, auth string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, BotPath, strings.NewReader(string(body)))
		req.Header.Set("Authorization", auth)
		rec := httptest.NewRecorder()
		e.bot.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusUnauthorized, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			return
		}
		if got := strings.TrimSpace(auth); len(got) < 7 || !strings.EqualFold(got[:7], "Bearer ") || strings.TrimSpace(got[7:]) != token {
			t.Fatalf("status %d for a request without the valid token (auth %.40q)", rec.Code, auth)
		}
	})
}
