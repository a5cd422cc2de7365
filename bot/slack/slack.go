// Package slack is faqbot's Slack app: it answers mentions and direct
// messages in their thread with cited answers, takes slash commands and
// button clicks, and hands questions that need people to an escalation
// channel. Events arrive over HTTP (the Events API, signature-verified) or
// over Socket Mode; both feed the same handlers.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/internal/httpserver"
	"github.com/faqbot/faqbot/internal/retry"
)

// Options configure an App. BotToken, Asker and Records are required;
// SigningSecret is required for the HTTP handlers.
type Options struct {
	// BotToken is the bot token (xoxb-…).
	BotToken string
	// AppToken is the app-level token (xapp-…) that Run needs for Socket
	// Mode.
	AppToken string
	// SigningSecret verifies HTTP requests from Slack.
	SigningSecret string
	// APIURL points the Web API client elsewhere (a local fake); it must end
	// in "/". Slack's own when empty.
	APIURL string
	// HTTPClient calls the Web API and response URLs; one with a 15 s
	// timeout when nil. It must not retry by itself: the App does.
	HTTPClient *http.Client
	// EscalationChannel is the channel ID escalations are posted to; without
	// one the asker is told to contact Contact.
	EscalationChannel string
	// AdminUsers are the user IDs allowed to run /faq-refresh.
	AdminUsers []string
	// Contact names who to turn to when no one can take an escalation, e.g.
	// "your Microsoft account manager or partner".
	Contact string
	// Records keep feedback and escalations: a click is acknowledged only
	// once it is recorded, and "Ask a human" escalates once per answer,
	// restarts included.
	Records   Records
	Asker     bot.Asker
	Refresher bot.Refresher
	// Claims make each event, message and command count once (in memory
	// when nil; a shared store makes replicas and restarts agree).
	Claims bot.Claims
	Logger *slog.Logger
	// OnAPIError, when set, is told about every failed Slack call (Web API
	// method or "response_url"), retried or not, for metrics.
	OnAPIError func(method string, err error)
	// MaxAnswers bounds the background jobs in flight: answers to events
	// and /faq, clicks, refreshes (DefaultMaxAnswers when zero). Past it,
	// events are refused so that Slack delivers them again later, commands
	// and clicks are refused with a message, instead of goroutines piling
	// up.
	MaxAnswers int
	// Suggester offers the questions shown when someone opens faqbot in
	// Slack's assistant pane (no suggestions when nil).
	Suggester bot.Suggester
	// FAQDate, when set, says the date of the FAQ answers come from
	// ("April 14, 2025"), for the line under each answer.
	FAQDate func() string
	// OnEscalation, when set, is told about every escalation the app hands
	// on: err is nil when it reached the channel, ErrNoEscalationChannel
	// when there is none, else why posting failed.
	OnEscalation func(reason bot.Reason, err error)
	// Resolver, when set, puts Answer and Resolve buttons on escalation
	// posts and takes them (the escalation loop, loop.go).
	Resolver bot.Resolver
	// AdminURL is the dashboard's public address (…/admin); escalation
	// posts then link to their page there.
	AdminURL string
}

// Records is where the app keeps what people do with its answers (the
// store).
type Records interface {
	bot.FeedbackRecorder
	bot.EscalationRecorder
}

// App is the Slack app. It is safe for concurrent use.
type App struct {
	api        *slack.Client
	httpClient *http.Client
	opts       Options
	admins     map[string]bool
	log        *slog.Logger

	claims bot.Claims
	// contexts are the assistant threads' channels beside them.
	contexts threadContexts
	// answering holds a token per job in flight: answers, /faq commands,
	// clicks and refreshes share the MaxAnswers bound.
	answering chan struct{}
	records   Records

	askMu sync.Mutex // one auth.test at a time
	idMu  sync.Mutex
	id    identity

	// bg runs work that outlives the request that started it; Close waits
	// for it.
	bg *httpserver.Background

	// retry is how Web API calls are retried.
	retry      retry.Policy
	jobTimeout time.Duration
	// streamInterval spaces the calls that stream a draft.
	streamInterval time.Duration
}

// DefaultMaxAnswers is the number of questions answered at once. Offline
// answers take well under a millisecond; the bound is for slow Slack or
// model APIs, where each answer waits on the network.
const DefaultMaxAnswers = 512

// New returns an App. It makes no network calls.
func New(opts Options) (*App, error) {
	switch {
	case opts.BotToken == "":
		return nil, errors.New("slack: bot token is required")
	case opts.Asker == nil:
		return nil, errors.New("slack: asker is required")
	case opts.Records == nil:
		return nil, errors.New("slack: records are required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = defaultHTTPClient()
	}
	if opts.Claims == nil {
		opts.Claims = bot.NewMemoryClaims(0, 0, nil)
	}
	if opts.MaxAnswers <= 0 {
		opts.MaxAnswers = DefaultMaxAnswers
	}
	a := &App{
		httpClient: opts.HTTPClient,
		opts:       opts,
		admins:     map[string]bool{},
		log:        opts.Logger.With("transport", "slack"),
		claims:     opts.Claims,
		answering:  make(chan struct{}, opts.MaxAnswers),
		records:    opts.Records,
		retry:      retry.Policy{Retries: 4, MinBackoff: 500 * time.Millisecond, MaxWait: 30 * time.Second},
		jobTimeout: 3 * time.Minute,

		streamInterval: defaultStreamInterval,
	}
	for _, u := range opts.AdminUsers {
		a.admins[u] = true
	}
	clientOpts := []slack.Option{slack.OptionHTTPClient(opts.HTTPClient)}
	if opts.APIURL != "" {
		clientOpts = append(clientOpts, slack.OptionAPIURL(opts.APIURL))
	}
	if opts.AppToken != "" {
		clientOpts = append(clientOpts, slack.OptionAppLevelToken(opts.AppToken))
	}
	a.api = slack.New(opts.BotToken, clientOpts...)
	a.bg = httpserver.NewBackground(a.log)
	return a, nil
}

// defaultHTTPClient keeps enough idle connections to the Web API for
// answers posted concurrently: with the default two per host, a busy
// workspace makes most calls open a new connection (measured: 2,400 in 10 s
// at 1,000 events/s), until ports run out.
func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Timeout: 15 * time.Second, Transport: t}
}

// errClosing means work was refused because Close has begun; Slack
// delivers an event again to whichever instance is up.
var errClosing = errors.New("shutting down")

// reserve takes a place among the jobs in flight, or says why there is
// none: errBusy or errClosing. release gives the place back.
func (a *App) reserve() (release func(), err error) {
	if a.bg.Closing() {
		return nil, errClosing
	}
	select {
	case a.answering <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-a.answering }) }, nil
	default:
		return nil, errBusy
	}
}

// start runs fn in the background in a reserved place, which it gives
// back when fn returns, with its own context bounded by the job timeout:
// the request that started it ends at once. It returns errClosing, and
// gives the place back, when Close has begun.
func (a *App) start(release func(), fn func(ctx context.Context)) error {
	ok := a.bg.Start(func(ctx context.Context) {
		defer release()
		ctx, cancel := context.WithTimeout(ctx, a.jobTimeout)
		defer cancel()
		fn(ctx)
	})
	if !ok {
		release()
		return errClosing
	}
	return nil
}

// spawn reserves a place and starts fn in it.
func (a *App) spawn(fn func(ctx context.Context)) error {
	release, err := a.reserve()
	if err != nil {
		return err
	}
	return a.start(release, fn)
}

// Close stops taking new work and waits for work in flight to finish, or
// for ctx to end, when it cancels what is left and waits for it to stop.
func (a *App) Close(ctx context.Context) error {
	if err := a.bg.Wait(ctx); err != nil {
		return fmt.Errorf("slack: close: %w", err)
	}
	return nil
}

// Wait blocks until no background work is in flight. Tests and callers that
// keep serving use it; Close also stops new work.
func (a *App) Wait() { a.bg.Idle() }

// identity is who the bot is in the workspace.
type identity struct {
	UserID string
	BotID  string
}

// known returns who the bot is if self has found out, without asking.
func (a *App) known() identity {
	a.idMu.Lock()
	defer a.idMu.Unlock()
	return a.id
}

// self asks auth.test who the bot is, once; a failure is retried on the
// next call. Only one call asks at a time, and known never waits for it.
func (a *App) self(ctx context.Context) identity {
	if id := a.known(); id.UserID != "" {
		return id
	}
	a.askMu.Lock()
	defer a.askMu.Unlock()
	if id := a.known(); id.UserID != "" {
		return id
	}
	var resp *slack.AuthTestResponse
	err := a.call(ctx, "auth.test", func(ctx context.Context) error {
		var err error
		resp, err = a.api.AuthTestContext(ctx)
		return err
	})
	if err != nil {
		a.log.Warn("cannot tell the bot's own user ID", "err", err)
		return identity{}
	}
	id := identity{UserID: resp.UserID, BotID: resp.BotID}
	a.idMu.Lock()
	a.id = id
	a.idMu.Unlock()
	return id
}
