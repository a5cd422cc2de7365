package slack

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
)

// takeInteraction records what a button click on an answer says, then
// carries it out in the background: Slack wants the acknowledgement within
// 3 s. An error means the click is not recorded, and the transport must
// not acknowledge it: Slack then tells the clicker it failed. A click's
// place among the jobs in flight is reserved before it is recorded, so
// that a busy App refuses the click rather than record what it cannot
// carry out.
func (a *App) takeInteraction(ctx context.Context, cb slack.InteractionCallback) error {
	if cb.Type == slack.InteractionTypeViewSubmission {
		return a.takeReason(ctx, cb)
	}
	if cb.Type != slack.InteractionTypeBlockActions {
		return nil
	}
	for _, act := range cb.ActionCallback.BlockActions {
		if act == nil {
			continue
		}
		action := *act
		switch action.ActionID {
		case actionRate, actionHelpful, actionNotHelpful, actionAskHuman:
		default:
			continue
		}
		release, err := a.reserve()
		if err != nil {
			a.log.Warn("click refused; Slack will tell the user it failed", "action", action.ActionID, "reason", err)
			return fmt.Errorf("take click: %w", err)
		}
		switch action.ActionID {
		case actionRate:
			if err := a.takeRating(ctx, cb, action, release); err != nil {
				return err
			}
		case actionHelpful, actionNotHelpful:
			if err := a.recordFeedback(ctx, cb, action); err != nil {
				release()
				return err
			}
			if a.start(release, func(ctx context.Context) { a.thank(ctx, cb, action) }) != nil {
				a.log.Warn("shutting down: feedback recorded but not acknowledged in Slack", "action", action.ActionID)
			}
		case actionAskHuman:
			esc, created, err := a.openAskHuman(ctx, cb, action)
			if err != nil {
				release()
				return err
			}
			if !created {
				release()
				a.log.Info("ignored a repeated \"Ask a human\"", "escalation", esc.ID)
				continue
			}
			if a.start(release, func(ctx context.Context) { a.askHuman(ctx, cb, action, esc) }) != nil {
				a.log.Warn("shutting down: \"Ask a human\" recorded but not posted", "escalation", esc.ID)
			}
		}
	}
	return nil
}

// clicked is where the clicked answer is: its channel and message ts.
func clicked(cb slack.InteractionCallback) (channel, ts string) {
	return first(cb.Channel.ID, cb.Container.ChannelID), first(cb.Container.MessageTs, cb.Message.Timestamp)
}

func (a *App) recordFeedback(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	channel, ts := clicked(cb)
	return a.saveFeedback(ctx, feedbackOn(decodeRef(act.Value), bot.FeedbackKind(act.ActionID), cb.User.ID, channel, ts))
}

// feedbackOn is what user said of the answer ref describes, the message at
// channel/ts.
func feedbackOn(ref answerRef, kind bot.FeedbackKind, user, channel, ts string) bot.Feedback {
	f := bot.Feedback{
		ExchangeID: ref.ID, Time: time.Now().UTC(), Kind: kind, User: user,
		Transport: transport, Conversation: conversation(channel, first(ref.ThreadTS, ref.QuestionTS)),
		Message: conversation(channel, ts),
	}
	if ref.ID == "" {
		// The answer was not recorded: keep what the button knows of it.
		f.Question, f.Asker, f.CorpusVersion = ref.Question, ref.Asker, ref.Version
	}
	return f
}

// saveFeedback records f; an error means Slack must be told it failed.
func (a *App) saveFeedback(ctx context.Context, f bot.Feedback) error {
	if err := a.records.RecordFeedback(ctx, f); err != nil {
		a.log.Error("cannot record feedback; Slack will tell the user it failed", "err", err)
		return fmt.Errorf("record feedback: %w", err)
	}
	return nil
}

// thank replaces the clicked answer's buttons with a note; "Ask a human"
// stays until someone used it.
func (a *App) thank(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) {
	channel, ts := clicked(cb)
	note := fmt.Sprintf("👍 <@%s> found this helpful. Thanks for the feedback!", cb.User.ID)
	if act.ActionID == actionNotHelpful {
		note = fmt.Sprintf("👎 <@%s> found this not helpful. Thanks: the team reviews this feedback to improve the answers.", cb.User.ID)
	}
	keepAsk := hasAskButton(cb.Message) && !a.escalated(ctx, answerKey(channel, ts))
	a.acknowledge(ctx, cb, channel, ts, acknowledged(cb.Message, note, act.Value, keepAsk))
}

// escalated reports whether key's escalation exists; when the store
// cannot tell, the button stays (a second click does nothing anyway).
func (a *App) escalated(ctx context.Context, key string) bool {
	_, err := a.records.EscalationByKey(ctx, key)
	if err != nil && !errors.Is(err, bot.ErrNotFound) {
		a.log.Warn("cannot tell whether an answer was escalated", "err", err)
	}
	return err == nil
}

// openAskHuman records the escalation an "Ask a human" click asks for,
// once per answer however often the button is clicked, across restarts.
func (a *App) openAskHuman(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) (bot.EscalationRecord, bool, error) {
	channel, ts := clicked(cb)
	ref := decodeRef(act.Value)
	e := bot.EscalationRecord{
		Key: answerKey(channel, ts), ExchangeID: ref.ID, Time: time.Now().UTC(), Reason: bot.UserRequest,
		Transport: transport, Conversation: conversation(channel, first(ref.ThreadTS, ref.QuestionTS)),
		Asker: first(ref.Asker, cb.User.ID), By: cb.User.ID,
		Question: first(ref.Question, "(the question is in the linked conversation)"),
		Draft:    cb.Message.Text, CorpusVersion: ref.Version,
	}
	rec, created, err := a.records.OpenEscalation(ctx, e)
	if err != nil {
		a.log.Error("cannot record \"Ask a human\"; Slack will tell the user it failed", "err", err)
		return rec, false, fmt.Errorf("record escalation: %w", err)
	}
	return rec, created, nil
}

// askHuman posts a recorded "Ask a human" escalation and tells the
// clicker how it went.
func (a *App) askHuman(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction, esc bot.EscalationRecord) {
	channel, ts := clicked(cb)
	ref := decodeRef(act.Value)
	link := ""
	if channel != "" && first(ref.QuestionTS, ts) != "" {
		link = a.permalink(ctx, channel, first(ref.QuestionTS, ts))
	}
	h := handoff{
		Escalation: bot.Escalation{
			ID:       esc.ID,
			Question: bot.Question{Text: esc.Question, Asker: bot.User{ID: first(ref.Asker, cb.User.ID)}, Transport: transport},
			Answer:   bot.Answer{ID: ref.ID, Question: ref.Question, CorpusVersion: ref.Version},
			Reason:   bot.UserRequest,
			Link:     link,
		},
		Draft: cb.Message.Text,
		By:    cb.User.ID,
	}
	note, _ := a.deliver(ctx, h, esc.ID)
	note = fmt.Sprintf("<@%s> asked for a human. %s", cb.User.ID, note)
	a.acknowledge(ctx, cb, channel, ts, acknowledged(cb.Message, note, "", false))
}

// acknowledge replaces the clicked message: with chat.update, or through
// the response URL where the bot cannot update (an ephemeral message, a
// channel it is not in).
func (a *App) acknowledge(ctx context.Context, cb slack.InteractionCallback, channel, ts string, r reply) {
	if channel != "" && ts != "" && !cb.Container.IsEphemeral {
		err := a.update(ctx, channel, ts, r.options()...)
		if err == nil {
			return
		}
		a.log.Warn("cannot update the clicked message", "channel", channel, "ts", ts, "err", err)
	}
	if !validResponseURL(cb.ResponseURL) {
		return
	}
	msg := r.webhook("")
	msg.ReplaceOriginal = true
	if err := a.respond(ctx, cb.ResponseURL, msg); err != nil {
		a.log.Error("cannot acknowledge the click", "channel", channel, "ts", ts, "err", err)
	}
}

func hasAskButton(m slack.Message) bool {
	for _, b := range m.Blocks.BlockSet {
		ab, ok := b.(*slack.ActionBlock)
		if !ok || ab.Elements == nil {
			continue
		}
		for _, e := range ab.Elements.ElementSet {
			if btn, ok := e.(*slack.ButtonBlockElement); ok && btn.ActionID == actionAskHuman {
				return true
			}
		}
	}
	return false
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
