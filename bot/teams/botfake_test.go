package teams

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

// Local stand-ins for Microsoft's side of the Bot Framework, speaking its
// wire formats: the OpenID metadata and JWKS that sign inbound tokens
// (login.botframework.com, and Entra ID's for the tenant), the Entra ID
// token endpoint, and the Bot Connector that takes the bot's activities.

const (
	testAppID    = "8b2f4c1e-5a6d-4e3f-9b7c-0d1e2f3a4b5c"
	testPassword = "app-password-not-a-real-secret~1234"
	testTenant   = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	testBotID    = "28:" + testAppID
)

// signingKey is an RSA key published as Microsoft publishes its keys: a
// JWK with n, e, an x5c certificate and its x5t thumbprint, and the
// channels it is endorsed for.
type signingKey struct {
	kid  string
	priv *rsa.PrivateKey
	cert []byte
}

var (
	keysOnce sync.Once
	keyPool  []*rsa.PrivateKey
)

// testKey returns the i-th of a few RSA keys made once per test binary
// (generating them is the slow part).
func testRSAKey(t *testing.T, i int) *rsa.PrivateKey {
	t.Helper()
	keysOnce.Do(func() {
		for range 4 {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			keyPool = append(keyPool, k)
		}
	})
	return keyPool[i]
}

func newSigningKey(t *testing.T, i int, kid string) signingKey {
	t.Helper()
	priv := testRSAKey(t, i)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(int64(i + 1)),
		Subject:      pkix.Name{CommonName: "login.botframework.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	return signingKey{kid: kid, priv: priv, cert: der}
}

func (k signingKey) jwk(endorsements ...string) map[string]any {
	b64 := base64.RawURLEncoding.EncodeToString
	thumb := sha1.Sum(k.cert)
	m := map[string]any{
		"kty": "RSA",
		"use": "sig",
		"kid": k.kid,
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

// sign makes a token as the Bot Connector does, signed with k.
func (k signingKey) sign(t *testing.T, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = k.kid
	s, err := tok.SignedString(k.priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// connectorClaims are the claims of a Bot Connector token for the test bot.
func connectorClaims(serviceURL string, now time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"serviceurl": serviceURL,
		"nbf":        now.Add(-time.Minute).Unix(),
		"exp":        now.Add(time.Hour).Unix(),
		"iss":        botFrameworkIssuer,
		"aud":        testAppID,
	}
}

// fakeIdentity is login.botframework.com, and Entra ID for testTenant, on one
// local server: OpenID metadata, JWKS, and the token endpoint.
type fakeIdentity struct {
	t   *testing.T
	srv *httptest.Server

	mu           sync.Mutex
	jwksPath     string
	keys         []map[string]any
	entraKeys    []map[string]any
	metaFetches  int
	tokenForms   []url.Values
	tokenStatus  []int // answers to token requests, in turn; then 200
	tokenCounter int
}

func newFakeIdentity(t *testing.T) *fakeIdentity {
	id := &fakeIdentity{t: t, jwksPath: "/v1/.well-known/keys"}
	id.srv = httptest.NewServer(http.HandlerFunc(id.serve))
	t.Cleanup(id.srv.Close)
	return id
}

func (id *fakeIdentity) metadataURL() string {
	return id.srv.URL + "/v1/.well-known/openidconfiguration"
}

func (id *fakeIdentity) tokenURL() string { return id.srv.URL + "/{tenant}/oauth2/v2.0/token" }

func (id *fakeIdentity) publish(keys ...map[string]any) {
	id.mu.Lock()
	defer id.mu.Unlock()
	id.keys = keys
}

// rotate moves the JWKS to a new address with keys, as a metadata change
// would.
func (id *fakeIdentity) rotate(path string, keys ...map[string]any) {
	id.mu.Lock()
	defer id.mu.Unlock()
	id.jwksPath, id.keys = path, keys
}

func (id *fakeIdentity) publishEntra(keys ...map[string]any) {
	id.mu.Lock()
	defer id.mu.Unlock()
	id.entraKeys = keys
}

func (id *fakeIdentity) fetches() int {
	id.mu.Lock()
	defer id.mu.Unlock()
	return id.metaFetches
}

func (id *fakeIdentity) tokens() []url.Values {
	id.mu.Lock()
	defer id.mu.Unlock()
	return append([]url.Values(nil), id.tokenForms...)
}

func (id *fakeIdentity) serve(w http.ResponseWriter, r *http.Request) {
	id.mu.Lock()
	defer id.mu.Unlock()
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v1/.well-known/openidconfiguration":
		id.metaFetches++
		writeTestJSON(w, map[string]any{
			"issuer":                                botFrameworkIssuer,
			"authorization_endpoint":                "https://invalid.botframework.com/v1/auth",
			"jwks_uri":                              id.srv.URL + id.jwksPath,
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"token_endpoint_auth_methods_supported": []string{"private_key_jwt"},
		})
	case r.Method == http.MethodGet && r.URL.Path == id.jwksPath:
		writeTestJSON(w, map[string]any{"keys": id.keys})
	case r.Method == http.MethodGet && r.URL.Path == "/"+testTenant+"/.well-known/openid-configuration":
		writeTestJSON(w, map[string]any{
			"issuer":   fmt.Sprintf(entraIssuerFormat, testTenant),
			"jwks_uri": id.srv.URL + "/common/discovery/keys",
		})
	case r.Method == http.MethodGet && r.URL.Path == "/common/discovery/keys":
		writeTestJSON(w, map[string]any{"keys": id.entraKeys})
	case r.Method == http.MethodPost && r.URL.Path == "/"+testTenant+"/oauth2/v2.0/token":
		id.token(w, r)
	default:
		http.NotFound(w, r)
	}
}

// token is Entra ID's v2.0 token endpoint for the client-credentials grant.
func (id *fakeIdentity) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		id.t.Errorf("token request form: %v", err)
	}
	id.tokenForms = append(id.tokenForms, r.PostForm)
	n := id.tokenCounter
	id.tokenCounter++
	if n < len(id.tokenStatus) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(id.tokenStatus[n])
		return
	}
	f := r.PostForm
	if f.Get("grant_type") != "client_credentials" || f.Get("client_id") != testAppID ||
		f.Get("client_secret") != testPassword || f.Get("scope") != botFrameworkScope {
		w.WriteHeader(http.StatusUnauthorized)
		writeTestJSON(w, map[string]any{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."})
		return
	}
	writeTestJSON(w, map[string]any{
		"token_type":     "Bearer",
		"expires_in":     3599,
		"ext_expires_in": 3599,
		"access_token":   fmt.Sprintf("eyJ0eXAi.bot-token-%d.sig", n),
	})
}

func writeTestJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

// posted is one activity the bot posted to the connector.
type posted struct {
	Path  string // decoded, e.g. /v3/conversations/a:1/activities/123
	ID    string // the id the connector gave the new activity
	Auth  string
	Body  map[string]any
	Reply bool // to an activity (the path ends with its id)
}

func (p posted) str(key string) string {
	s, _ := p.Body[key].(string)
	return s
}

// fakeConnector is the Bot Connector (smba.trafficmanager.net/…): it records
// each activity posted and answers with its new id.
type fakeConnector struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	posts    []posted
	statuses []int // answers, in turn; then 201
	n        int
	changed  chan struct{}
}

func newFakeConnector(t *testing.T) *fakeConnector {
	c := &fakeConnector{t: t, changed: make(chan struct{})}
	c.srv = httptest.NewServer(http.HandlerFunc(c.serve))
	t.Cleanup(c.srv.Close)
	return c
}

// serviceURL is what activities name as their serviceUrl.
func (c *fakeConnector) serviceURL() string { return c.srv.URL + "/amer/" }

func (c *fakeConnector) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		c.t.Errorf("read connector body: %v", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n++
	if n < len(c.statuses) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(c.statuses[n])
		return
	}
	if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/amer/v3/conversations/") {
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
	c.posts = append(c.posts, posted{Path: path, ID: id, Auth: r.Header.Get("Authorization"), Body: m, Reply: rest != ""})
	close(c.changed)
	c.changed = make(chan struct{})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]string{"id": id})
}

func (c *fakeConnector) all() []posted {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]posted(nil), c.posts...)
}

// waitFor waits until cond holds for the posts so far; it fails the test
// after a generous limit.
func (c *fakeConnector) waitFor(t *testing.T, what string, cond func([]posted) bool) []posted {
	t.Helper()
	limit := time.After(20 * time.Second)
	for {
		c.mu.Lock()
		posts := append([]posted(nil), c.posts...)
		changed := c.changed
		c.mu.Unlock()
		if cond(posts) {
			return posts
		}
		select {
		case <-changed:
		case <-limit:
			t.Fatalf("timed out waiting for %s; connector got %d posts: %+v", what, len(posts), posts)
		}
	}
}

// messages are the posts that are messages (not typing).
func messages(posts []posted) []posted {
	var out []posted
	for _, p := range posts {
		if p.str("type") == typeMessage {
			out = append(out, p)
		}
	}
	return out
}
