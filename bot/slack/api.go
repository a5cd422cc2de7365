package slack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/internal/retry"
)

// call runs one Slack Web API call by the App's retry policy: rate limits
// (slack.RateLimitedError) wait as long as Slack asks, server errors and
// dropped connections back off, a bounded number of times. Slack's own
// error answers (ok: false) are final.
func (a *App) call(ctx context.Context, method string, fn func(ctx context.Context) error) error {
	attempt := func(ctx context.Context) error {
		err := fn(ctx)
		if err != nil && a.opts.OnAPIError != nil {
			a.opts.OnAPIError(method, err)
		}
		return err
	}
	onRetry := func(n int, err error, wait time.Duration) {
		a.log.Warn("retrying Slack call", "method", method, "attempt", n, "wait", wait, "err", err)
	}
	if err := a.retry.Do(ctx, attempt, retryable, onRetry); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	return nil
}

// once calls a Web API method a single time, reporting a failure.
func (a *App) once(ctx context.Context, method string, fn func(ctx context.Context) error) error {
	err := fn(ctx)
	if err != nil && a.opts.OnAPIError != nil {
		a.opts.OnAPIError(method, err)
	}
	return err
}

// retryable says which slack-go errors pass, and how long Slack asked to
// wait (retry.NotAsked when it did not).
func retryable(err error) (bool, time.Duration) {
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		if rl.RetryAfter > 0 {
			return true, rl.RetryAfter
		}
		return true, retry.NotAsked
	}
	if sc, ok := errors.AsType[slack.StatusCodeError](err); ok {
		return sc.Retryable(), retry.NotAsked
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return true, retry.NotAsked
	}
	return false, retry.NotAsked
}

// post posts a message and returns its ts.
func (a *App) post(ctx context.Context, channel string, opts ...slack.MsgOption) (string, error) {
	var ts string
	err := a.call(ctx, "chat.postMessage", func(ctx context.Context) error {
		var err error
		_, ts, err = a.api.PostMessageContext(ctx, channel, opts...)
		return err
	})
	return ts, err
}

// update replaces a message.
func (a *App) update(ctx context.Context, channel, ts string, opts ...slack.MsgOption) error {
	return a.call(ctx, "chat.update", func(ctx context.Context) error {
		_, _, _, err := a.api.UpdateMessageContext(ctx, channel, ts, opts...)
		return err
	})
}

// respond posts to an interaction's or slash command's response_url.
func (a *App) respond(ctx context.Context, url string, msg *slack.WebhookMessage) error {
	return a.call(ctx, "response_url", func(ctx context.Context) error {
		return slack.PostWebhookCustomHTTPContext(ctx, url, a.httpClient, msg)
	})
}

// permalink links to a message; "" when Slack cannot say.
func (a *App) permalink(ctx context.Context, channel, ts string) string {
	var link string
	err := a.call(ctx, "chat.getPermalink", func(ctx context.Context) error {
		var err error
		link, err = a.api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: channel, Ts: ts})
		return err
	})
	if err != nil {
		a.log.Warn("no permalink for escalation", "channel", channel, "ts", ts, "err", err)
	}
	return link
}

// replies reads a thread, oldest first.
func (a *App) replies(ctx context.Context, channel, threadTS string) ([]slack.Message, error) {
	var msgs []slack.Message
	err := a.call(ctx, "conversations.replies", func(ctx context.Context) error {
		var err error
		msgs, _, _, err = a.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
			ChannelID: channel, Timestamp: threadTS, Limit: 100,
		})
		return err
	})
	return msgs, err
}

// The working signal: 👀 on the question while the bot thinks. It is a
// nicety, so failures are only logged.
const workingReaction = "eyes"

// react and unreact show that the bot is working on a message. The signal
// is decoration: one attempt each, so a rate-limited reactions API never
// holds up the answer.
func (a *App) react(ctx context.Context, channel, ts string) {
	err := a.once(ctx, "reactions.add", func(ctx context.Context) error {
		return a.api.AddReactionContext(ctx, workingReaction, slack.NewRefToMessage(channel, ts))
	})
	if err != nil {
		a.log.Debug("cannot add working reaction", "err", err)
	}
}

func (a *App) unreact(ctx context.Context, channel, ts string) {
	err := a.once(ctx, "reactions.remove", func(ctx context.Context) error {
		return a.api.RemoveReactionContext(ctx, workingReaction, slack.NewRefToMessage(channel, ts))
	})
	if err != nil {
		a.log.Debug("cannot remove working reaction", "err", err)
	}
}

// detached is for the last word after a failure: it outlives ctx (which
// may be what failed) but not by long.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
}

func threadOption(ts string) slack.MsgOption { return slack.MsgOptionTS(ts) }

// threadReply is a plain text reply in a thread.
func threadReply(ts, text string) []slack.MsgOption {
	return []slack.MsgOption{slack.MsgOptionText(text, false), slack.MsgOptionTS(ts)}
}
