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
	"strings"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/internal/httpserver"
)

// BotPath is the Bot Framework messaging endpoint, by convention.
const BotPath = "/api/messages"

// Defaults of BotOptions, for Azure's public cloud.
const (
	DefaultOpenIDMetadataURL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
	// DefaultTokenURL has the tenant id in place of {tenant}.
	DefaultTokenURL = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
	// DefaultMaxAnswers bounds the questions answered at once.
	DefaultMaxAnswers = 256
	// DefaultJobTimeout bounds one answer, escalation included. There is
	// no five-second window to meet: this only stops stuck work.
	DefaultJobTimeout = 3 * time.Minute
)

// BotOptions configure a Bot. AppID, AppPassword, TenantID and Asker are
// required.
type BotOptions struct {
	// AppID, AppPassword and TenantID are the Azure Bot's single-tenant
	// Entra ID app registration (MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD,
	// MICROSOFT_APP_TENANT_ID).
	AppID, AppPassword, TenantID string
	// OpenIDMetadataURL publishes the keys that sign inbound tokens
	// (DefaultOpenIDMetadataURL when empty).
	OpenIDMetadataURL string
	// TokenURL is the client-credentials token endpoint (DefaultTokenURL
	// for TenantID when empty).
	TokenURL string
	// EntraMetadataURL publishes the keys of Entra ID tokens issued by
	// https://sts.windows.net/{TenantID}/ (the OpenID metadata of the tenant
	// on TokenURL's host when empty).
	EntraMetadataURL string

	Asker bot.Asker
	// Claims make each activity count once (in memory when nil).
	Claims bot.Claims
	// History, Feedback and Escalations keep what the bot needs between
	// activities (in memory when nil).
	History     ConversationHistory
	Feedback    FeedbackRecorder
	Escalations EscalationTracker
	// EscalationConversation is a channel conversation id escalations are
	// posted to through the connector (TEAMS_ESCALATION_CONVERSATION).
	// Without it, Escalator takes them; without either the asker is told
	// whom to contact.
	EscalationConversation string
	Escalator              bot.Escalator
	// OnEscalation, when set, is told of every escalation posted to
	// EscalationConversation (Escalator's are the caller's to count).
	OnEscalation func(reason bot.Reason, err error)
	// OnAPIError, when set, is told of every failed connector or token
	// call, for metrics.
	OnAPIError func(call string, err error)
	// Contact is whom askers turn to when no one here can help
	// (DefaultContact when empty).
	Contact string
	// AdminURL is the dashboard's public address (…/admin); escalation
	// cards then link to their page there.
	AdminURL string
	// Transport sends every outbound request: keys, tokens, the connector
	// (http.DefaultTransport when nil). Tests point it at local servers.
	Transport http.RoundTripper
	// MaxBody caps an activity's size (DefaultMaxBody when zero).
	MaxBody int64
	// MaxAnswers bounds the questions answered at once (DefaultMaxAnswers
	// when zero); past it activities get 503, for the connector to retry.
	MaxAnswers int
	// JobTimeout bounds one answer (DefaultJobTimeout when zero).
	JobTimeout time.Duration
	// Clock tells the time (time.Now when nil); tests move it.
	Clock  func() time.Time
	Logger *slog.Logger
}

// Bot is faqbot as a Bot Framework bot in Teams: personal chats, group chats
// and channels, answers posted asynchronously through the Bot Connector,
// feedback, "Ask a human" and proactive follow-ups. It is safe for
// concurrent use.
type Bot struct {
	opts        BotOptions
	auth        *authenticator
	conn        *connector
	claims      bot.Claims
	history     ConversationHistory
	feedback    FeedbackRecorder
	escalations EscalationTracker
	log         *slog.Logger
	now         func() time.Time
	answering   chan struct{}
	bg          *httpserver.Background
}

// NewBot returns a Bot. It makes no network calls: keys and tokens are
// fetched when first needed.
func NewBot(opts BotOptions) (*Bot, error) {
	switch {
	case opts.AppID == "":
		return nil, errors.New("teams bot: app id is required")
	case opts.AppPassword == "":
		return nil, errors.New("teams bot: app password is required")
	case opts.TenantID == "":
		return nil, errors.New("teams bot: tenant id is required (single-tenant bots only)")
	case opts.Asker == nil:
		return nil, errors.New("teams bot: asker is required")
	}
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	log := opts.Logger.With("transport", "teams-bot")
	keysClient := &http.Client{Transport: opts.Transport, Timeout: keyFetchTimeout}
	botFramework := newOpenIDKeys(opts.OpenIDMetadataURL, keysClient, opts.Clock, log)
	entra := newOpenIDKeys(opts.EntraMetadataURL, keysClient, opts.Clock, log)
	b := &Bot{
		opts: opts,
		auth: newAuthenticator(opts.AppID, opts.TenantID, botFramework, entra, opts.Clock),
		conn: newConnector(connectorConfig{
			appID: opts.AppID, password: opts.AppPassword, tokenURL: opts.TokenURL,
			base: opts.Transport, log: log, onError: opts.OnAPIError,
		}),
		claims:      opts.Claims,
		history:     opts.History,
		feedback:    opts.Feedback,
		escalations: opts.Escalations,
		log:         log,
		now:         opts.Clock,
		answering:   make(chan struct{}, opts.MaxAnswers),
		bg:          httpserver.NewBackground(log),
	}
	return b, nil
}

func (o *BotOptions) defaults() error {
	if o.OpenIDMetadataURL == "" {
		o.OpenIDMetadataURL = DefaultOpenIDMetadataURL
	}
	if o.TokenURL == "" {
		o.TokenURL = DefaultTokenURL
	}
	o.TokenURL = strings.ReplaceAll(o.TokenURL, "{tenant}", url.PathEscape(o.TenantID))
	if o.EntraMetadataURL == "" {
		u, err := url.Parse(o.TokenURL)
		if err != nil || u.Host == "" {
			return fmt.Errorf("teams bot: token URL is not a URL")
		}
		o.EntraMetadataURL = u.Scheme + "://" + u.Host + "/" + url.PathEscape(o.TenantID) + "/.well-known/openid-configuration"
	}
	if o.Claims == nil {
		o.Claims = bot.NewMemoryClaims(0, 0, nil)
	}
	if o.History == nil {
		o.History = NewMemoryHistory()
	}
	if o.Feedback == nil {
		o.Feedback = &MemoryFeedback{}
	}
	if o.Escalations == nil {
		o.Escalations = NewMemoryEscalations()
	}
	if o.Contact == "" {
		o.Contact = DefaultContact
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.MaxAnswers <= 0 {
		o.MaxAnswers = DefaultMaxAnswers
	}
	if o.JobTimeout <= 0 {
		o.JobTimeout = DefaultJobTimeout
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.OnEscalation == nil {
		o.OnEscalation = func(bot.Reason, error) {}
	}
	return nil
}

// ServeHTTP takes an activity from the Bot Connector: it verifies the
// token, drops redeliveries, acknowledges messages at once and answers
// them in the background, and answers invokes (feedback, card actions) in
// the response as Teams expects.
func (b *Bot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	v, err := b.auth.verify(r.Context(), r.Header.Get("Authorization"))
	if errors.Is(err, errKeysUnavailable) {
		b.log.Error("cannot verify Bot Framework requests", "err", err)
		http.Error(w, "cannot verify the request now", http.StatusServiceUnavailable)
		return
	}
	if err != nil {
		b.reject(w, r, err)
		return
	}
	act, ok := b.readActivity(w, r)
	if !ok {
		return
	}
	if err := v.admits(act); err != nil {
		b.reject(w, r, err)
		return
	}
	key := activityKey(act)
	if !b.claim(r.Context(), key) {
		b.log.Debug("dropped a redelivered activity", "type", act.Type, "conversation", act.Conversation.ID, "id", act.ID)
		if act.Type == typeInvoke {
			writeJSON(w, http.StatusOK, struct{}{})
			return
		}
		w.WriteHeader(http.StatusOK)
		return
	}
	switch act.Type {
	case typeMessage:
		b.acceptMessage(w, act, key)
	case typeInvoke:
		b.serveInvoke(r.Context(), w, act, key)
	default:
		// conversationUpdate, messageReaction, typing…: nothing to do.
		w.WriteHeader(http.StatusOK)
	}
}

// readActivity reads the activity, bounded; on failure it has answered.
func (b *Bot) readActivity(w http.ResponseWriter, r *http.Request) (botActivity, bool) {
	var act botActivity
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, b.opts.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, fmt.Sprintf("body larger than %d bytes", b.opts.MaxBody), http.StatusRequestEntityTooLarge)
			return act, false
		}
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return act, false
	}
	if err := json.Unmarshal(body, &act); err != nil {
		http.Error(w, "malformed activity JSON", http.StatusBadRequest)
		return act, false
	}
	if act.Type == "" || act.Conversation.ID == "" {
		http.Error(w, "activity without a type or conversation", http.StatusBadRequest)
		return act, false
	}
	return act, true
}

// reject answers 401. The log says why, never with the token.
func (b *Bot) reject(w http.ResponseWriter, r *http.Request, err error) {
	b.log.Warn("rejected a Bot Framework request", "reason", err.Error(), "remote", r.RemoteAddr)
	http.Error(w, "unauthorized", http.StatusUnauthorized)
}

// activityKey names an activity for Claims. Teams message ids are only
// unique within a conversation.
func activityKey(act botActivity) string {
	if act.ID == "" {
		return ""
	}
	return "teams:activity:" + act.Conversation.ID + "/" + act.ID
}

// acceptMessage acknowledges a message and answers it in the background,
// or refuses it with 503 when as many are in flight as allowed, forgetting
// it so that a redelivery is answered.
func (b *Bot) acceptMessage(w http.ResponseWriter, act botActivity, key string) {
	if strings.HasPrefix(act.From.ID, "28:") {
		w.WriteHeader(http.StatusOK) // another bot, or this one
		return
	}
	select {
	case b.answering <- struct{}{}:
	default:
		b.release(key)
		b.log.Warn("busy: activity refused for the connector to deliver again", "in_flight", cap(b.answering))
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
	b.spawn(func(ctx context.Context) {
		defer func() { <-b.answering }()
		if isAskHuman(act.Value) {
			b.askHumanFromSubmit(ctx, act)
			return
		}
		b.answer(ctx, act)
	})
}

// spawn runs fn in the background, bounded by the job timeout; Close waits
// for it.
func (b *Bot) spawn(fn func(ctx context.Context)) {
	b.bg.Go(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, b.opts.JobTimeout)
		defer cancel()
		fn(ctx)
	})
}

// Close waits for answers in flight, or until ctx ends, when it cancels
// them.
func (b *Bot) Close(ctx context.Context) error {
	if err := b.bg.Wait(ctx); err != nil {
		return fmt.Errorf("teams bot: close: %w", err)
	}
	return nil
}

// claim reports whether this delivery of key is the first. A claim that
// cannot be checked counts as taken: a reply missed is better than a reply
// doubled.
func (b *Bot) claim(ctx context.Context, key string) bool {
	ok, err := b.claims.Claim(ctx, key)
	if err != nil {
		b.log.Error("delivery claim failed; skipping the delivery", "key", key, "err", err)
		return false
	}
	return ok
}

func (b *Bot) release(key string) {
	// The work was refused: free the key even if the caller is gone.
	if err := b.claims.Release(context.Background(), key); err != nil {
		b.log.Error("release delivery claim", "key", key, "err", err)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
