// Package teamstest fakes Microsoft's side of the Bot Framework on local
// servers, in its wire formats: the OpenID metadata and JWKS that publish
// the keys signing inbound tokens (login.botframework.com, and Entra ID's
// for a tenant), the Entra ID client-credentials token endpoint, and the
// Bot Connector that takes the bot's activities. The values here (issuers,
// claim names, scope) are written out independently of the bot's code, so
// that a test fails when the bot drifts from the protocol.
package teamstest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Microsoft's values.
const (
	BotFrameworkIssuer = "https://api.botframework.com"
	BotFrameworkScope  = "https://api.botframework.com/.default"
	// EntraIssuerFormat is the v1 issuer of a tenant's Entra ID tokens.
	EntraIssuerFormat = "https://sts.windows.net/%s/"
)

// Key is an RSA signing key, published as Microsoft publishes its keys: a
// JWK with n, e, an x5c certificate and its x5t thumbprint, and the
// channels it is endorsed for.
type Key struct {
	KID  string
	priv *rsa.PrivateKey
	cert []byte
}

var (
	poolOnce sync.Once
	pool     []*rsa.PrivateKey
)

// PoolSize is how many distinct RSA keys NewKey draws from.
const PoolSize = 4

// NewKey returns a key with id kid made from the n-th RSA key of a pool
// generated once per test binary (generating keys is the slow part). Two
// keys with the same n and different kids share their RSA key.
func NewKey(t testing.TB, n int, kid string) Key {
	t.Helper()
	poolOnce.Do(func() {
		for range PoolSize {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			pool = append(pool, k)
		}
	})
	priv := pool[n%PoolSize]
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(int64(n + 1)),
		Subject:      pkix.Name{CommonName: "login.botframework.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	return Key{KID: kid, priv: priv, cert: der}
}

// JWK is the key as a JWKS lists it; endorsements nil leaves the field out,
// as Entra ID does.
func (k Key) JWK(endorsements ...string) map[string]any {
	b64 := base64.RawURLEncoding.EncodeToString
	thumb := sha1.Sum(k.cert)
	m := map[string]any{
		"kty": "RSA",
		"use": "sig",
		"kid": k.KID,
		"x5t": b64(thumb[:]),
		"n":   b64(k.priv.N.Bytes()),
		"e":   b64(big.NewInt(int64(k.priv.E)).Bytes()),
		"x5c": []string{base64.StdEncoding.EncodeToString(k.cert)},
	}
	if endorsements != nil {
		m["endorsements"] = endorsements
	}
	return m
}

// Sign makes an RS256 token with claims, its header naming the key.
func (k Key) Sign(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = k.KID
	tok.Header["x5t"] = k.JWK()["x5t"]
	s, err := tok.SignedString(k.priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ConnectorClaims are the claims of a Bot Connector token for app appID
// about activities at serviceURL.
func ConnectorClaims(appID, serviceURL string, now time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"serviceurl": serviceURL,
		"nbf":        now.Add(-time.Minute).Unix(),
		"exp":        now.Add(time.Hour).Unix(),
		"iss":        BotFrameworkIssuer,
		"aud":        appID,
	}
}

// Identity is login.botframework.com, and Entra ID for one tenant, on one
// local server: OpenID metadata, JWKS, and the token endpoint, which
// issues tokens to one app and password.
type Identity struct {
	t                       testing.TB
	srv                     *httptest.Server
	appID, password, tenant string

	mu          sync.Mutex
	jwksPath    string
	keys        []map[string]any
	entraKeys   []map[string]any
	metaFetches int
	tokenForms  []url.Values
	tokenFails  []int
}

func NewIdentity(t testing.TB, appID, password, tenant string) *Identity {
	id := &Identity{t: t, appID: appID, password: password, tenant: tenant, jwksPath: "/v1/.well-known/keys"}
	id.srv = httptest.NewServer(http.HandlerFunc(id.serve))
	t.Cleanup(id.srv.Close)
	return id
}

// MetadataURL is for BOTFRAMEWORK_OPENID_METADATA_URL.
func (id *Identity) MetadataURL() string {
	return id.srv.URL + "/v1/.well-known/openidconfiguration"
}

// TokenURL is for BOTFRAMEWORK_TOKEN_URL, with {tenant} to fill in.
func (id *Identity) TokenURL() string { return id.srv.URL + "/{tenant}/oauth2/v2.0/token" }

// Publish sets the Bot Framework JWKS.
func (id *Identity) Publish(keys ...map[string]any) {
	id.mu.Lock()
	defer id.mu.Unlock()
	id.keys = keys
}

// Rotate moves the Bot Framework JWKS to path with keys: the metadata's
// jwks_uri changes.
func (id *Identity) Rotate(path string, keys ...map[string]any) {
	id.mu.Lock()
	defer id.mu.Unlock()
	id.jwksPath, id.keys = path, keys
}

// PublishEntra sets the tenant's Entra ID JWKS.
func (id *Identity) PublishEntra(keys ...map[string]any) {
	id.mu.Lock()
	defer id.mu.Unlock()
	id.entraKeys = keys
}

// FailTokens answers the next token requests with statuses (and
// Retry-After: 0), before issuing tokens again.
func (id *Identity) FailTokens(statuses ...int) {
	id.mu.Lock()
	defer id.mu.Unlock()
	id.tokenFails = statuses
}

// MetadataFetches counts requests for the Bot Framework metadata.
func (id *Identity) MetadataFetches() int {
	id.mu.Lock()
	defer id.mu.Unlock()
	return id.metaFetches
}

// TokenRequests are the forms posted to the token endpoint.
func (id *Identity) TokenRequests() []url.Values {
	id.mu.Lock()
	defer id.mu.Unlock()
	return append([]url.Values(nil), id.tokenForms...)
}

// AccessToken is the n-th token the endpoint issues (from 0).
func AccessToken(n int) string { return fmt.Sprintf("eyJ0eXAi.bot-token-%d.sig", n) }

func (id *Identity) serve(w http.ResponseWriter, r *http.Request) {
	id.mu.Lock()
	defer id.mu.Unlock()
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v1/.well-known/openidconfiguration":
		id.metaFetches++
		writeJSON(w, http.StatusOK, map[string]any{
			"issuer":                                BotFrameworkIssuer,
			"authorization_endpoint":                "https://invalid.botframework.com/v1/auth",
			"jwks_uri":                              id.srv.URL + id.jwksPath,
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"token_endpoint_auth_methods_supported": []string{"private_key_jwt"},
		})
	case r.Method == http.MethodGet && r.URL.Path == id.jwksPath:
		writeJSON(w, http.StatusOK, map[string]any{"keys": id.keys})
	case r.Method == http.MethodGet && r.URL.Path == "/"+id.tenant+"/.well-known/openid-configuration":
		writeJSON(w, http.StatusOK, map[string]any{
			"issuer":   fmt.Sprintf(EntraIssuerFormat, id.tenant),
			"jwks_uri": id.srv.URL + "/common/discovery/keys",
		})
	case r.Method == http.MethodGet && r.URL.Path == "/common/discovery/keys":
		writeJSON(w, http.StatusOK, map[string]any{"keys": id.entraKeys})
	case r.Method == http.MethodPost && r.URL.Path == "/"+id.tenant+"/oauth2/v2.0/token":
		id.token(w, r)
	default:
		http.NotFound(w, r)
	}
}

// token is Entra ID's v2.0 token endpoint for the client-credentials grant.
func (id *Identity) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		id.t.Errorf("token request form: %v", err)
	}
	id.tokenForms = append(id.tokenForms, r.PostForm)
	if len(id.tokenFails) > 0 {
		status := id.tokenFails[0]
		id.tokenFails = id.tokenFails[1:]
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(status)
		return
	}
	f := r.PostForm
	if f.Get("grant_type") != "client_credentials" || f.Get("client_id") != id.appID ||
		f.Get("client_secret") != id.password || f.Get("scope") != BotFrameworkScope {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."})
		return
	}
	issued := 0
	for _, f := range id.tokenForms {
		if f.Get("client_secret") == id.password {
			issued++
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type":     "Bearer",
		"expires_in":     3599,
		"ext_expires_in": 3599,
		"access_token":   AccessToken(issued - 1),
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Post is one activity the bot posted to the connector.
type Post struct {
	// Path is the decoded path below the serviceUrl, e.g.
	// /v3/conversations/a:1/activities/123.
	Path string
	// ID is the id the connector gave the new activity.
	ID   string
	Auth string
	Body map[string]any
	// Reply says the post replied to an activity (the path ends with its
	// id).
	Reply bool
}

// Str returns a string field of the activity.
func (p Post) Str(key string) string {
	s, _ := p.Body[key].(string)
	return s
}

// Connector is the Bot Connector (smba.trafficmanager.net/…): it records
// each activity posted and answers with its new id.
type Connector struct {
	t   testing.TB
	srv *httptest.Server

	mu      sync.Mutex
	posts   []Post
	fails   []int
	changed chan struct{}
}

func NewConnector(t testing.TB) *Connector {
	c := &Connector{t: t, changed: make(chan struct{})}
	c.srv = httptest.NewServer(http.HandlerFunc(c.serve))
	t.Cleanup(c.srv.Close)
	return c
}

// ServiceURL is what activities name as their serviceUrl.
func (c *Connector) ServiceURL() string { return c.srv.URL + "/amer/" }

// Fail answers the next posts with statuses (and Retry-After: 0).
func (c *Connector) Fail(statuses ...int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fails = statuses
}

func (c *Connector) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		c.t.Errorf("read connector body: %v", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.fails) > 0 {
		status := c.fails[0]
		c.fails = c.fails[1:]
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(status)
		return
	}
	if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/amer/v3/conversations/") || !strings.Contains(r.URL.Path, "/activities") {
		c.t.Errorf("connector got %s %s", r.Method, r.URL.Path)
		w.WriteHeader(http.StatusNotFound)
		return
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		c.t.Errorf("connector body is not JSON: %v\n%s", err, body)
	}
	path := strings.TrimPrefix(r.URL.Path, "/amer")
	rest := path[strings.LastIndex(path, "/activities")+len("/activities"):]
	id := fmt.Sprintf("17000000000%02d", len(c.posts)+1)
	c.posts = append(c.posts, Post{Path: path, ID: id, Auth: r.Header.Get("Authorization"), Body: m, Reply: rest != ""})
	close(c.changed)
	c.changed = make(chan struct{})
	writeJSON(w, http.StatusCreated, map[string]string{"id": id})
}

// Posts returns what was posted so far.
func (c *Connector) Posts() []Post {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Post(nil), c.posts...)
}

// WaitFor waits until cond holds for the posts so far, and fails the test
// after a generous limit.
func (c *Connector) WaitFor(t testing.TB, what string, cond func([]Post) bool) []Post {
	t.Helper()
	limit := time.After(20 * time.Second)
	for {
		c.mu.Lock()
		posts := append([]Post(nil), c.posts...)
		changed := c.changed
		c.mu.Unlock()
		if cond(posts) {
			return posts
		}
		select {
		case <-changed:
		case <-limit:
			t.Fatalf("timed out waiting for %s; the connector got %d posts: %+v", what, len(posts), posts)
		}
	}
}

// Messages are the posts that are messages (not typing).
func Messages(posts []Post) []Post {
	var out []Post
	for _, p := range posts {
		if p.Str("type") == "message" {
			out = append(out, p)
		}
	}
	return out
}

// ReplyTo finds the message replying to activity id, or nil.
func ReplyTo(posts []Post, id string) *Post {
	for _, p := range posts {
		if p.Str("type") == "message" && p.Str("replyToId") == id {
			return &p
		}
	}
	return nil
}
