package teams

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/faqbot/faqbot/bot/teams/teamstest"
)

func TestBotRejectsUnverifiedActivities(t *testing.T) {
	e := newBotEnv(t, nil)
	now := e.clock.Now()
	other := teamstest.NewKey(t, 1, "bf-key-1") // same kid, key nobody published
	unpublished := teamstest.NewKey(t, 1, "bf-key-unpublished")
	entraOther := fmt.Sprintf(entraIssuerFormat, "0d5c1f3e-2b4a-4c6d-8e9f-a0b1c2d3e4f5")
	valid := e.bearer()
	parts := strings.Split(strings.TrimPrefix(valid, "Bearer "), ".")
	forged, _ := base64.RawURLEncoding.DecodeString(parts[1])
	forged = []byte(strings.Replace(string(forged), testAppID, "00000000-0000-0000-0000-000000000000", 1))
	tampered := "Bearer " + parts[0] + "." + base64.RawURLEncoding.EncodeToString(forged) + "." + parts[2]
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, teamstest.ConnectorClaims(testAppID, e.conn.ServiceURL(), now))
	hs.Header["kid"] = "bf-key-1"
	hsToken, err := hs.SignedString([]byte("guessable"))
	if err != nil {
		t.Fatal(err)
	}
	none := jwt.NewWithClaims(jwt.SigningMethodNone, teamstest.ConnectorClaims(testAppID, e.conn.ServiceURL(), now))
	none.Header["kid"] = "bf-key-1"
	noneToken, err := none.SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	with := func(mod func(jwt.MapClaims)) string { return "Bearer " + e.key.Sign(t, e.claimsWith(mod)) }

	tests := []struct {
		name    string
		auth    string
		channel string // the activity's channelId, when not msteams
	}{
		{"missing header", "", ""},
		{"not a bearer token", "Basic " + base64.StdEncoding.EncodeToString([]byte(testAppID+":"+testPassword)), ""},
		{"empty bearer", "Bearer ", ""},
		{"wrong signature", "Bearer " + other.Sign(t, teamstest.ConnectorClaims(testAppID, e.conn.ServiceURL(), now)), ""},
		{"unknown key id", "Bearer " + unpublished.Sign(t, teamstest.ConnectorClaims(testAppID, e.conn.ServiceURL(), now)), ""},
		{"tampered claims", tampered, ""},
		{"HS256", "Bearer " + hsToken, ""},
		{"alg none", "Bearer " + noneToken, ""},
		{"wrong aud", with(func(c jwt.MapClaims) { c["aud"] = "11111111-2222-3333-4444-555555555555" }), ""},
		{"no aud", with(func(c jwt.MapClaims) { delete(c, "aud") }), ""},
		{"wrong iss", with(func(c jwt.MapClaims) { c["iss"] = "https://api.botframework.com.example" }), ""},
		{"no iss", with(func(c jwt.MapClaims) { delete(c, "iss") }), ""},
		{"Entra issuer of another tenant", with(func(c jwt.MapClaims) { c["iss"] = entraOther }), ""},
		// Our tenant's issuer, but a Bot Framework key: keys go with issuers.
		{"Entra issuer, Bot Framework key", with(func(c jwt.MapClaims) { c["iss"] = fmt.Sprintf(entraIssuerFormat, testTenant) }), ""},
		{"expired beyond the skew", with(func(c jwt.MapClaims) { c["exp"] = now.Add(-6 * time.Minute).Unix() }), ""},
		{"not yet valid beyond the skew", with(func(c jwt.MapClaims) { c["nbf"] = now.Add(6 * time.Minute).Unix() }), ""},
		{"no exp", with(func(c jwt.MapClaims) { delete(c, "exp") }), ""},
		{"serviceUrl mismatch", with(func(c jwt.MapClaims) { c["serviceurl"] = "https://smba.example.net/amer/" }), ""},
		{"no serviceurl claim", with(func(c jwt.MapClaims) { delete(c, "serviceurl") }), ""},
		{"channel not endorsed", valid, "webchat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			act := e.activity("bot-personal.json")
			act["id"] = "rejected-" + tt.name
			if tt.channel != "" {
				act["channelId"] = tt.channel
			}
			if r := e.send(act, tt.auth); r.status != http.StatusUnauthorized {
				t.Errorf("status %d, want 401: %s", r.status, r.body)
			}
			if tok := strings.TrimPrefix(tt.auth, "Bearer "); len(tok) > 20 && strings.Contains(e.logs.String(), tok) {
				t.Error("the token was logged")
			}
		})
	}
	// Nothing was asked or teamstest.Post: a valid activity now gets the only answer.
	e.ask("accepted", "When will outbound marketing be removed?")
	if n := len(e.asker.questions()); n != 1 {
		t.Errorf("asked %d questions, want only the valid one", n)
	}
	if n := len(teamstest.Messages(e.conn.Posts())); n != 1 {
		t.Errorf("%d messages teamstest.Post, want only the valid one's answer", n)
	}
	if !strings.Contains(e.logs.String(), "rejected a Bot Framework request") {
		t.Error("rejections are not logged")
	}
}

func TestBotAcceptsWithinClockSkewAndEntraTokensOfItsTenant(t *testing.T) {
	e := newBotEnv(t, nil)
	entraKey := teamstest.NewKey(t, 2, "entra-key-1")
	e.idp.PublishEntra(entraKey.JWK()) // Entra keys carry no endorsements
	now := e.clock.Now()
	tests := []struct {
		name string
		auth string
	}{
		{"expired within the skew", "Bearer " + e.key.Sign(t, e.claimsWith(func(c jwt.MapClaims) { c["exp"] = now.Add(-4 * time.Minute).Unix() }))},
		{"nbf within the skew", "Bearer " + e.key.Sign(t, e.claimsWith(func(c jwt.MapClaims) { c["nbf"] = now.Add(4 * time.Minute).Unix() }))},
		{"Entra ID token of our tenant", "Bearer " + entraKey.Sign(t, e.claimsWith(func(c jwt.MapClaims) { c["iss"] = fmt.Sprintf(entraIssuerFormat, testTenant) }))},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			act := e.activity("bot-personal.json")
			id := fmt.Sprintf("ok-%d", i)
			act["id"] = id
			if r := e.send(act, tt.auth); r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			e.conn.WaitFor(t, "the answer", func(ps []teamstest.Post) bool { return teamstest.ReplyTo(ps, id) != nil })
		})
	}
}

func TestBotFollowsKeyRotation(t *testing.T) {
	e := newBotEnv(t, nil)
	next := teamstest.NewKey(t, 3, "bf-key-2")
	send := func(id string, k teamstest.Key) int {
		act := e.activity("bot-personal.json")
		act["id"] = id
		return e.send(act, "Bearer "+k.Sign(t, teamstest.ConnectorClaims(testAppID, e.conn.ServiceURL(), e.clock.Now()))).status
	}
	if s := send("a1", e.key); s != http.StatusOK {
		t.Fatalf("current key: status %d", s)
	}
	if s := send("b1", next); s != http.StatusUnauthorized {
		t.Fatalf("key not yet published: status %d, want 401", s)
	}
	fetched := e.idp.MetadataFetches()

	// Microsoft publishes the new key at a new JWKS address.
	e.idp.Rotate("/v2/.well-known/keys", e.key.JWK("msteams"), next.JWK("msteams"))
	for i := range 5 {
		e.clock.Advance(30 * time.Second) // 2.5 minutes in all: within minKeyRefresh
		if s := send(fmt.Sprintf("b2-%d", i), next); s != http.StatusUnauthorized {
			t.Fatalf("status %d: unknown key ids refreshed the keys more than once per %v", s, minKeyRefresh)
		}
	}
	if n := e.idp.MetadataFetches(); n != fetched {
		t.Errorf("metadata fetched %d more times within %v", n-fetched, minKeyRefresh)
	}
	e.clock.Advance(minKeyRefresh)
	if s := send("b3", next); s != http.StatusOK {
		t.Fatalf("new key after the metadata changed: status %d, want 200", s)
	}
	e.conn.WaitFor(t, "the answer", func(ps []teamstest.Post) bool { return teamstest.ReplyTo(ps, "b3") != nil })

	// A day later the old key is gone from the metadata, and from the cache.
	e.idp.Rotate("/v3/.well-known/keys", next.JWK("msteams"))
	e.clock.Advance(maxKeyAge)
	if s := send("a2", e.key); s != http.StatusUnauthorized {
		t.Errorf("retired key a day later: status %d, want 401", s)
	}
	if s := send("b4", next); s != http.StatusOK {
		t.Errorf("new key: status %d", s)
	}
}

func TestBotUnavailableKeysAre503AndFetchedSparingly(t *testing.T) {
	var mu sync.Mutex
	hits := 0
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		http.Error(w, "upstream down", http.StatusInternalServerError)
	}))
	defer down.Close()
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return hits
	}
	e := newBotEnv(t, func(o *BotOptions) { o.OpenIDMetadataURL = down.URL + "/v1/.well-known/openidconfiguration" })
	for i := range 3 {
		act := e.activity("bot-personal.json")
		act["id"] = fmt.Sprint(i)
		if r := e.send(act, e.bearer()); r.status != http.StatusServiceUnavailable {
			t.Errorf("status %d, want 503", r.status)
		}
	}
	if n := count(); n != 1 {
		t.Errorf("metadata fetched %d times for 3 requests, want 1", n)
	}
	e.clock.Advance(keyRetryWait)
	e.send(e.activity("bot-personal.json"), e.bearer())
	if n := count(); n != 2 {
		t.Errorf("metadata fetched %d times after %v, want 2", n, keyRetryWait)
	}
	if n := len(e.asker.questions()); n != 0 {
		t.Errorf("asked %d questions", n)
	}
}
