package main

import (
	"context"
	"errors"
	"net/http"

	"github.com/faqbot/faqbot/bot"
	slackbot "github.com/faqbot/faqbot/bot/slack"
	"github.com/faqbot/faqbot/bot/teams"
)

// mountAdapters is where the chat platforms plug in; it runs before the
// server accepts connections, and an error stops the start as a
// configuration error. An adapter:
//
//   - mounts its routes on mux: POST /slack/events, POST /slack/commands,
//     POST /slack/interactions when SLACK_SIGNING_SECRET is set (bot/slack
//     App.Handler or its Serve* methods); POST /teams/messages when
//     TEAMS_WEBHOOK_SECRET is set (bot/teams NewHandler); POST /api/messages
//     when MICROSOFT_APP_ID is set (bot/teams NewBot);
//   - answers through s.asker (the bot, counted in metrics), refreshes
//     through s.app.refresh, reports failed API calls with
//     s.app.metrics.PlatformAPIError and wraps escalators with
//     meteredEscalator;
//   - runs long-lived intake with s.bg.Go, stopping when ctx ends (ctx is
//     cancelled when shutdown starts): Socket Mode when SLACK_APP_TOKEN is
//     set, e.g. s.bg.Go(func(context.Context) { err := app.Run(ctx) ... });
//   - keeps its records (feedback, escalations, delivery claims) in
//     s.store, through bot's interfaces;
//   - registers what must finish last with s.onShutdown, e.g. the Slack
//     App's Close, which waits for answers still being posted.
func (s *server) mountAdapters(ctx context.Context, mux *http.ServeMux) error {
	if err := s.mountSlack(ctx, mux); err != nil {
		return err
	}
	if err := s.mountTeams(mux); err != nil {
		return err
	}
	return s.mountTeamsBot(mux)
}

// mountSlack serves the Slack app when SLACK_BOT_TOKEN is set: over HTTP
// with a signing secret, over Socket Mode with an app token, or both.
func (s *server) mountSlack(ctx context.Context, mux *http.ServeMux) error {
	cfg := s.app.cfg
	if cfg.SlackBotToken == "" {
		return nil
	}
	m := s.app.metrics
	app, err := slackbot.New(slackbot.Options{
		BotToken:          cfg.SlackBotToken,
		AppToken:          cfg.SlackAppToken,
		SigningSecret:     cfg.SlackSigningSecret,
		APIURL:            cfg.SlackAPIURL,
		EscalationChannel: cfg.SlackEscalationChannel,
		AdminUsers:        cfg.SlackAdminUsers,
		Contact:           cfg.Contact,
		Records:           s.store,
		// Claims live in the store, so that restarts and replicas agree.
		Claims:     s.claims(),
		Asker:      s.asker,
		Refresher:  s.app.refresh,
		Suggester:  s.suggestions(),
		FAQDate:    s.faqDate,
		Logger:     s.log,
		OnAPIError: func(method string, _ error) { m.PlatformAPIError("slack", method) },
		OnEscalation: func(r bot.Reason, err error) {
			if !errors.Is(err, slackbot.ErrNoEscalationChannel) {
				m.Escalation("slack", string(r), err)
			}
		},
		Resolver: s.desk,
		AdminURL: cfg.adminURL(),
	})
	if err != nil {
		return bad("SLACK_BOT_TOKEN", "%v", err)
	}
	// Slack askers hear of resolutions in their thread; escalations left
	// open are posted to the channel again.
	s.desk.NotifyVia("slack", app)
	if cfg.SlackEscalationChannel != "" {
		s.desk.RemindVia("slack", app)
		s.slackEscalations = bot.RecordedEscalator{
			Next:  meteredEscalator{next: app, destination: "slack", m: m},
			Store: s.store, Destination: "slack", Logger: s.log,
		}
	}
	if cfg.SlackSigningSecret != "" {
		mux.Handle("/slack/", app.Handler())
	}
	if cfg.SlackAppToken != "" {
		if err := s.joinSocketMode(ctx); err != nil {
			return err
		}
		// ctx ends when shutdown starts, which closes the socket.
		s.bg.Go(func(context.Context) {
			if err := app.Run(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("slack socket mode stopped", "err", err)
			}
		})
	}
	s.onShutdown(app.Close)
	return nil
}

// mountTeams answers the Teams outgoing webhook when TEAMS_WEBHOOK_SECRET
// is set, escalating to the Workflows webhook when one is configured.
func (s *server) mountTeams(mux *http.ServeMux) error {
	cfg := s.app.cfg
	if len(cfg.TeamsWebhookSecret) == 0 {
		return nil
	}
	esc, err := s.teamsWorkflow(true)
	if err != nil {
		return err
	}
	h, err := teams.NewHandler(cfg.TeamsWebhookSecret, s.asker, teams.Options{
		Escalator: esc, Contact: cfg.Contact, Claims: s.claims(), Logger: s.log,
	})
	if err != nil {
		return bad("TEAMS_WEBHOOK_SECRET", "%v", err)
	}
	mux.Handle("POST "+teams.Path, h)
	return nil
}

// teamsWorkflow is the Workflows webhook escalator, counted in metrics and,
// when record is set, recorded in the store (the Bot Framework bot records
// its escalations itself); a nil interface, not a typed nil, when
// TEAMS_ESCALATION_WEBHOOK_URL is unset.
func (s *server) teamsWorkflow(record bool) (bot.Escalator, error) {
	cfg := s.app.cfg
	if cfg.TeamsEscalationURL == "" {
		return nil, nil
	}
	e, err := teams.NewEscalator(cfg.TeamsEscalationURL, teams.EscalatorOptions{Logger: s.log, AdminURL: cfg.adminURL()})
	if err != nil {
		return nil, bad("TEAMS_ESCALATION_WEBHOOK_URL", "%v", err)
	}
	metered := meteredEscalator{next: e, destination: "teams", m: s.app.metrics}
	if !record {
		return metered, nil
	}
	return bot.RecordedEscalator{Next: metered, Store: s.store, Destination: "teams", Logger: s.log}, nil
}

// mountTeamsBot serves the Bot Framework bot when MICROSOFT_APP_ID is set.
// Escalations go to TEAMS_ESCALATION_CONVERSATION through the connector,
// else to the Workflows webhook. Conversation history, feedback,
// escalations and delivery claims are kept in the store, so that restarts
// and replicas agree; the desk tells askers of resolutions through the
// bot's proactive messages.
func (s *server) mountTeamsBot(mux *http.ServeMux) error {
	cfg := s.app.cfg
	if cfg.MicrosoftAppID == "" {
		return nil
	}
	esc, err := s.teamsWorkflow(false)
	if err != nil {
		return err
	}
	records := teams.NewRecords(s.store)
	m := s.app.metrics
	b, err := teams.NewBot(teams.BotOptions{
		AppID:                  cfg.MicrosoftAppID,
		AppPassword:            cfg.MicrosoftAppPassword,
		TenantID:               cfg.MicrosoftTenantID,
		OpenIDMetadataURL:      cfg.BotOpenIDMetadataURL,
		TokenURL:               cfg.BotTokenURL,
		Asker:                  s.asker,
		EscalationConversation: cfg.TeamsEscalationConversation,
		Escalator:              esc,
		OnEscalation:           func(r bot.Reason, err error) { m.Escalation("teams", string(r), err) },
		OnAPIError:             func(call string, _ error) { m.PlatformAPIError("teams", call) },
		Contact:                cfg.Contact,
		Logger:                 s.log,
		History:                records,
		Feedback:               records,
		Escalations:            records,
		Claims:                 s.claims(),
		AdminURL:               cfg.adminURL(),
	})
	if err != nil {
		return bad("MICROSOFT_APP_ID", "%v", err)
	}
	s.desk.NotifyVia("teams", b.Notifier())
	mux.Handle("POST "+teams.BotPath, b)
	s.onShutdown(b.Close)
	return nil
}
