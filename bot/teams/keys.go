package teams

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// Key refresh policy. Microsoft rolls the Bot Framework keys every few
// weeks and publishes new ones before using them; the Bot Framework SDKs
// refresh daily. A token naming a key the cache lacks triggers a refresh,
// but at most once per minKeyRefresh, so that made-up key ids cannot turn
// the bot into a load generator against Microsoft's endpoints.
const (
	maxKeyAge     = 24 * time.Hour
	minKeyRefresh = 5 * time.Minute
	// keyRetryWait spaces fetches while there are no keys at all.
	keyRetryWait    = 10 * time.Second
	maxKeyDocBytes  = 1 << 20
	keyFetchTimeout = 15 * time.Second
)

var (
	// errUnknownKey: the token names a key the metadata does not publish.
	errUnknownKey = errors.New("token signed by an unknown key")
	// errKeysUnavailable: the keys could not be fetched at all, so no
	// token can be verified (our failure, not the caller's).
	errKeysUnavailable = errors.New("signing keys unavailable")
)

// openIDKeys are the signing keys that an OpenID metadata document's
// jwks_uri publishes, fetched on first use and cached.
type openIDKeys struct {
	metadataURL string
	client      *http.Client
	now         func() time.Time
	log         *slog.Logger

	refreshMu sync.Mutex // one fetch at a time

	mu          sync.Mutex
	cur         *keySet
	lastAttempt time.Time
}

// keySet is one fetched JWKS: keyfunc finds and checks a token's key,
// endorsements say which channels each key id may sign for.
type keySet struct {
	kf           keyfunc.Keyfunc
	endorsements map[string][]string
	fetched      time.Time
}

func newOpenIDKeys(metadataURL string, client *http.Client, now func() time.Time, log *slog.Logger) *openIDKeys {
	return &openIDKeys{metadataURL: metadataURL, client: client, now: now, log: log}
}

// key returns the public key of the token's key id and the channels that
// key is endorsed for.
func (k *openIDKeys) key(ctx context.Context, token *jwt.Token) (any, []string, error) {
	kid, _ := token.Header["kid"].(string)
	if kid == "" {
		return nil, nil, errors.New("token has no key id")
	}
	set, err := k.fresh(ctx)
	if err != nil {
		return nil, nil, err
	}
	if _, ok := set.endorsements[kid]; !ok && k.mayRefresh() {
		if s, err := k.refresh(ctx); err == nil {
			set = s
		}
	}
	if _, ok := set.endorsements[kid]; !ok {
		return nil, nil, fmt.Errorf("%w (kid %q)", errUnknownKey, kid)
	}
	pub, err := set.kf.KeyfuncCtx(ctx)(token)
	if err != nil {
		return nil, nil, fmt.Errorf("key %q: %w", kid, err)
	}
	return pub, set.endorsements[kid], nil
}

// fresh returns the cached keys, fetching them when there are none or
// they are older than maxKeyAge, at most once per keyRetryWait. Stale keys
// serve while a refresh fails.
func (k *openIDKeys) fresh(ctx context.Context) (*keySet, error) {
	k.mu.Lock()
	set, last := k.cur, k.lastAttempt
	k.mu.Unlock()
	if set != nil && k.now().Sub(set.fetched) < maxKeyAge {
		return set, nil
	}
	if !last.IsZero() && k.now().Sub(last) < keyRetryWait {
		// The last fetch failed a moment ago: no fetch per request.
		if set != nil {
			return set, nil
		}
		return nil, fmt.Errorf("%w: the last fetch failed %v ago", errKeysUnavailable, k.now().Sub(last).Round(time.Second))
	}
	s, err := k.refresh(ctx)
	switch {
	case err == nil:
		return s, nil
	case set != nil:
		k.log.Warn("cannot refresh Bot Framework signing keys; using the cached ones", "err", err)
		return set, nil
	}
	return nil, fmt.Errorf("%w: %v", errKeysUnavailable, err)
}

func (k *openIDKeys) mayRefresh() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.now().Sub(k.lastAttempt) >= minKeyRefresh
}

// refresh fetches the keys. Callers that queued behind another refresh get
// its result instead of fetching again.
func (k *openIDKeys) refresh(ctx context.Context) (*keySet, error) {
	start := k.now()
	k.refreshMu.Lock()
	defer k.refreshMu.Unlock()
	k.mu.Lock()
	if k.cur != nil && !k.cur.fetched.Before(start) {
		set := k.cur
		k.mu.Unlock()
		return set, nil
	}
	k.lastAttempt = start
	k.mu.Unlock()

	ctx, cancel := context.WithTimeout(ctx, keyFetchTimeout)
	defer cancel()
	set, err := k.fetch(ctx)
	if err != nil {
		return nil, err
	}
	set.fetched = k.now()
	k.mu.Lock()
	k.cur = set
	k.mu.Unlock()
	k.log.Info("fetched Bot Framework signing keys", "metadata", k.metadataURL, "keys", len(set.endorsements))
	return set, nil
}

func (k *openIDKeys) fetch(ctx context.Context) (*keySet, error) {
	var meta struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := k.getJSON(ctx, k.metadataURL, &meta); err != nil {
		return nil, fmt.Errorf("openid metadata: %w", err)
	}
	if u, err := url.Parse(meta.JWKSURI); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("openid metadata: jwks_uri %q is not an http(s) URL", meta.JWKSURI)
	}
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := k.getJSON(ctx, meta.JWKSURI, &doc); err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	store := jwkset.NewMemoryStorage()
	set := &keySet{endorsements: map[string][]string{}}
	for _, raw := range doc.Keys {
		kid, endorsed, err := readKey(ctx, store, raw)
		if err != nil {
			// One odd key must not take the others down with it.
			k.log.Warn("skipped a signing key", "kid", kid, "err", err)
			continue
		}
		set.endorsements[kid] = endorsed
	}
	if len(set.endorsements) == 0 {
		return nil, fmt.Errorf("jwks at %s holds no usable key", meta.JWKSURI)
	}
	kf, err := keyfunc.New(keyfunc.Options{Storage: store, UseWhitelist: []jwkset.USE{jwkset.UseSig, ""}})
	if err != nil {
		return nil, err
	}
	set.kf = kf
	return set, nil
}

// readKey adds one JWK to store. The Bot Framework's keys carry an
// "endorsements" list (the channels they sign for) that jwkset ignores,
// so it is read here; nil means the key has none.
func readKey(ctx context.Context, store jwkset.Storage, raw json.RawMessage) (string, []string, error) {
	var extra struct {
		KID          string   `json:"kid"`
		Endorsements []string `json:"endorsements"`
	}
	if err := json.Unmarshal(raw, &extra); err != nil {
		return "", nil, err
	}
	if extra.KID == "" {
		return "", nil, errors.New("key without kid")
	}
	jwk, err := jwkset.NewJWKFromRawJSON(raw, jwkset.JWKMarshalOptions{}, jwkset.JWKValidateOptions{})
	if err != nil {
		return extra.KID, nil, err
	}
	if err := store.KeyWrite(ctx, jwk); err != nil {
		return extra.KID, nil, err
	}
	if extra.Endorsements == nil {
		extra.Endorsements = []string{}
	}
	return extra.KID, extra.Endorsements, nil
}

func (k *openIDKeys) getJSON(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := k.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxKeyDocBytes+1))
	if err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	if len(body) > maxKeyDocBytes {
		return fmt.Errorf("GET %s: larger than %d bytes", u, maxKeyDocBytes)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	return nil
}
