package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// ErrNoAppToken is returned by Run without an app-level token.
var ErrNoAppToken = errors.New("slack: socket mode needs an app-level token (xapp-…)")

// Run receives events over Socket Mode until ctx ends, reconnecting as
// Slack asks. Every envelope is acknowledged at once; its work goes to the
// same handlers as the HTTP endpoints. It returns nil when ctx ends and an
// error when Slack refuses the app token.
func (a *App) Run(ctx context.Context) error {
	if a.opts.AppToken == "" {
		return ErrNoAppToken
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	smc := socketmode.New(a.api, socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)))
	done := make(chan error, 1)
	go func() { done <- smc.RunContext(ctx) }()
	for {
		select {
		case err := <-done:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("socket mode: %w", err)
		case evt := <-smc.Events:
			a.onSocketEvent(ctx, smc, evt)
		}
	}
}

// onSocketEvent acknowledges and dispatches one Socket Mode event.
func (a *App) onSocketEvent(ctx context.Context, smc *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		a.log.Info("socket mode connected")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed:
		a.log.Warn("socket mode trouble", "type", evt.Type, "detail", fmt.Sprint(evt.Data))
	case socketmode.EventTypeInvalidAuth:
		a.log.Error("socket mode: Slack refused the app token")
	case socketmode.EventTypeEventsAPI:
		env, err := decodeEnvelope(evt.Request.Payload)
		if err != nil {
			a.ack(ctx, smc, evt.Request, nil)
			a.log.Warn("socket mode: malformed events_api payload", "err", err)
			return
		}
		if env.Type == "event_callback" && a.acceptEvent(env, fmt.Sprint(evt.Request.RetryAttempt)) != nil {
			return // not acknowledged: Slack delivers it again
		}
		a.ack(ctx, smc, evt.Request, nil)
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok {
			a.ack(ctx, smc, evt.Request, nil)
			return
		}
		a.ack(ctx, smc, evt.Request, a.command(cmd, evt.Request.Payload))
	case socketmode.EventTypeInteractive:
		var resp any
		if cb, ok := evt.Data.(slack.InteractionCallback); ok {
			var err error
			if resp, err = a.interact(ctx, cb); err != nil {
				return // not acknowledged: Slack tells the clicker it failed
			}
		}
		a.ack(ctx, smc, evt.Request, resp)
	case socketmode.EventTypeErrorBadMessage:
		// An envelope the client cannot parse (an event type it does not
		// know) is still acknowledged, or Slack delivers it again and again.
		if bad, ok := evt.Data.(*socketmode.ErrorBadMessage); ok {
			var req socketmode.Request
			if json.Unmarshal(bad.Message, &req) == nil && req.EnvelopeID != "" {
				a.ack(ctx, smc, &req, nil)
			}
		}
	}
}

func (a *App) ack(ctx context.Context, smc *socketmode.Client, req *socketmode.Request, payload any) {
	if req == nil || req.EnvelopeID == "" {
		return
	}
	if err := smc.AckCtx(ctx, req.EnvelopeID, payload); err != nil {
		a.log.Warn("socket mode: cannot acknowledge", "envelope_id", req.EnvelopeID, "err", err)
	}
}
