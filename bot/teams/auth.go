package teams

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Inbound authentication, as the Bot Connector authentication spec has it
// (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication):
// a Bearer JWT signed RS256 by a key the OpenID metadata publishes, issued
// by the Bot Framework (or, for single-tenant tokens, by Entra ID for our
// own tenant only), for our app id, within its validity period give or take
// five minutes, naming the serviceUrl the activity names, with a key
// endorsed for the activity's channel.

// Issuers the bot accepts.
const (
	botFrameworkIssuer = "https://api.botframework.com"
	entraIssuerFormat  = "https://sts.windows.net/%s/"
)

// Limits of inbound tokens.
const (
	clockSkew     = 5 * time.Minute
	maxTokenBytes = 16 << 10
)

// errUnauthorized marks every reason to answer 401.
var errUnauthorized = errors.New("unauthorized")

// authenticator verifies the Authorization header of inbound activities.
type authenticator struct {
	appID        string
	entraIssuer  string
	botFramework *openIDKeys
	entra        *openIDKeys // keys for entraIssuer; nil accepts no Entra token
	parser       *jwt.Parser
}

// botClaims are the claims of a Bot Connector token that the bot checks.
type botClaims struct {
	jwt.RegisteredClaims
	// ServiceURL is the claim the Bot Connector names "serviceurl".
	ServiceURL string `json:"serviceurl"`
}

// verified is what a valid token vouches for.
type verified struct {
	serviceURL string
	// endorsements are the channels the signing key may sign for; nil
	// when the issuer does not endorse channels (Entra ID).
	endorsements []string
}

func newAuthenticator(appID, tenantID string, botFramework, entra *openIDKeys, now func() time.Time) *authenticator {
	a := &authenticator{
		appID:        appID,
		botFramework: botFramework,
		entra:        entra,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
			jwt.WithAudience(appID),
			jwt.WithExpirationRequired(),
			jwt.WithLeeway(clockSkew),
			jwt.WithTimeFunc(now),
		),
	}
	if tenantID != "" && entra != nil {
		a.entraIssuer = fmt.Sprintf(entraIssuerFormat, tenantID)
	}
	return a
}

// verify checks an Authorization header. Errors wrap errUnauthorized, or
// errKeysUnavailable when no key could be fetched to check against. They
// never quote the token.
func (a *authenticator) verify(ctx context.Context, authorization string) (verified, error) {
	scheme, raw, ok := strings.Cut(strings.TrimSpace(authorization), " ")
	raw = strings.TrimSpace(raw)
	switch {
	case authorization == "":
		return verified{}, fmt.Errorf("%w: no Authorization header", errUnauthorized)
	case !ok || !strings.EqualFold(scheme, "Bearer") || raw == "":
		return verified{}, fmt.Errorf("%w: Authorization is not a Bearer token", errUnauthorized)
	case len(raw) > maxTokenBytes:
		return verified{}, fmt.Errorf("%w: token longer than %d bytes", errUnauthorized, maxTokenBytes)
	}
	var claims botClaims
	var endorsements []string
	keyOf := func(t *jwt.Token) (any, error) {
		// The issuer decides whose keys may have signed: a Bot Framework
		// key cannot vouch for an Entra token, nor the other way round.
		iss, _ := t.Claims.GetIssuer()
		var keys *openIDKeys
		switch {
		case iss == botFrameworkIssuer:
			keys = a.botFramework
		case iss == a.entraIssuer && a.entraIssuer != "":
			keys = a.entra
		default:
			return nil, fmt.Errorf("issuer %q is not accepted", iss)
		}
		pub, endorsed, err := keys.key(ctx, t)
		if keys == a.botFramework {
			endorsements = endorsed
		} else if errors.Is(err, errKeysUnavailable) {
			// Teams signs with the Bot Framework's keys; a token that
			// needs Entra's while they are out of reach is refused, not
			// worth a 503.
			err = fmt.Errorf("entra keys: %v", err)
		}
		return pub, err
	}
	if _, err := a.parser.ParseWithClaims(raw, &claims, keyOf); err != nil {
		if errors.Is(err, errKeysUnavailable) {
			return verified{}, err
		}
		return verified{}, fmt.Errorf("%w: %v", errUnauthorized, err)
	}
	if claims.ServiceURL == "" {
		return verified{}, fmt.Errorf("%w: token has no serviceurl claim", errUnauthorized)
	}
	return verified{serviceURL: claims.ServiceURL, endorsements: endorsements}, nil
}

// admits reports whether the token vouches for the activity: the
// serviceUrl it will be answered at, and its channel.
func (v verified) admits(act botActivity) error {
	if act.ServiceURL != v.serviceURL {
		return fmt.Errorf("%w: the activity's serviceUrl is not the token's", errUnauthorized)
	}
	if v.endorsements != nil && !slices.Contains(v.endorsements, act.ChannelID) {
		return fmt.Errorf("%w: the signing key is not endorsed for channel %q", errUnauthorized, act.ChannelID)
	}
	return nil
}
