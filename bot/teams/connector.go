package teams

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/faqbot/faqbot/internal/retry"
)

// The Bot Connector REST API: the bot posts activities to the serviceUrl
// an activity came from, with a token from the client-credentials flow.

// botFrameworkScope is what the bot's token is for.
const botFrameworkScope = "https://api.botframework.com/.default"

// Outbound limits.
const (
	// tokenEarlyExpiry renews a token this long before it expires, so that
	// one fetched just in time does not expire on its way.
	tokenEarlyExpiry = 5 * time.Minute
	// callTimeout bounds one connector or token call, retries included.
	callTimeout = 30 * time.Second
	// maxConnectorResponse bounds what is read of a connector response.
	maxConnectorResponse = 64 << 10
)

// connector posts activities to the Bot Connector.
type connector struct {
	client *http.Client
	tokens oauth2.TokenSource
	// onError is told of every failed call ("reply", "send", "typing",
	// "token"), for metrics.
	onError func(call string, err error)
}

type connectorConfig struct {
	appID, password, tokenURL string
	// base sends the requests (http.DefaultTransport when nil); retries
	// wrap it.
	base    http.RoundTripper
	log     *slog.Logger
	onError func(call string, err error)
}

func newConnector(cfg connectorConfig) *connector {
	log := cfg.log
	retrying := &retry.Transport{
		Base: cfg.base,
		OnRetry: func(req *http.Request, attempt, status int, err error, wait time.Duration) {
			// The path names the conversation, never a secret; the token
			// is in a header.
			log.Warn("retrying Bot Framework call", "host", req.URL.Host, "path", req.URL.Path, "attempt", attempt, "status", status, "err", err, "wait", wait)
		},
	}
	client := &http.Client{Transport: retrying, Timeout: callTimeout}
	cc := &clientcredentials.Config{
		ClientID:     cfg.appID,
		ClientSecret: cfg.password,
		TokenURL:     cfg.tokenURL,
		Scopes:       []string{botFrameworkScope},
		// Entra ID takes the secret in the form; auto-detection would
		// send a failing Basic attempt first.
		AuthStyle: oauth2.AuthStyleInParams,
	}
	// The token source keeps this context for every later fetch: it only
	// carries the client, whose Timeout bounds each fetch.
	tokenCtx := context.WithValue(context.Background(), oauth2.HTTPClient, client)
	onError := cfg.onError
	if onError == nil {
		onError = func(string, error) {}
	}
	return &connector{
		client:  client,
		tokens:  oauth2.ReuseTokenSourceWithExpiry(nil, cc.TokenSource(tokenCtx), tokenEarlyExpiry),
		onError: onError,
	}
}

// post sends act into the conversation: as a reply to replyToID when it is
// set (POST /v3/conversations/{id}/activities/{replyToId}), else as a new
// message (POST /v3/conversations/{id}/activities). It returns the new
// activity's id ("" when the connector does not say).
func (c *connector) post(ctx context.Context, call, serviceURL, conversationID, replyToID string, act outActivity) (string, error) {
	id, err := c.do(ctx, serviceURL, conversationID, replyToID, act)
	if err != nil {
		c.onError(call, err)
		return "", fmt.Errorf("%s: %w", call, err)
	}
	return id, nil
}

func (c *connector) do(ctx context.Context, serviceURL, conversationID, replyToID string, act outActivity) (string, error) {
	endpoint, err := activitiesURL(serviceURL, conversationID, replyToID)
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(act)
	if err != nil {
		return "", fmt.Errorf("encode activity: %w", err)
	}
	tok, err := c.tokens.Token()
	if err != nil {
		c.onError("token", err)
		return "", fmt.Errorf("get Bot Framework token: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	tok.SetAuthHeader(req)
	resp, err := c.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxConnectorResponse))
	if err != nil {
		return "", fmt.Errorf("read connector response: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", fmt.Errorf("connector answered %s: %s", resp.Status, shorten(strings.TrimSpace(string(data)), 300))
	}
	var created struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(data, &created) // an empty body still means posted
	return created.ID, nil
}

// activitiesURL builds the connector URL of a conversation's activities.
// The serviceUrl comes from a verified token or a reference stored from
// one; it must still be an absolute http(s) URL.
func activitiesURL(serviceURL, conversationID, replyToID string) (string, error) {
	u, err := url.Parse(serviceURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", errors.New("serviceUrl is not an http(s) URL")
	}
	if conversationID == "" {
		return "", errors.New("no conversation id")
	}
	s := strings.TrimRight(serviceURL, "/") + "/v3/conversations/" + url.PathEscape(conversationID) + "/activities"
	if replyToID != "" {
		s += "/" + url.PathEscape(replyToID)
	}
	return s, nil
}
