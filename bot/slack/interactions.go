package slack

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
)

// acceptInteraction takes a button click on an answer and handles it in
// the background; Slack wants the acknowledgement within 3 s.
func (a *App) acceptInteraction(cb slack.InteractionCallback) {
	if cb.Type != slack.InteractionTypeBlockActions {
		return
	}
	for _, act := range cb.ActionCallback.BlockActions {
		if act == nil {
			continue
		}
		switch act.ActionID {
		case actionHelpful, actionNotHelpful, actionAskHuman:
			action := *act
			if !a.spawn("button", func(ctx context.Context) { a.onButton(ctx, cb, action) }) {
				a.log.Warn("shutting down: button click not handled", "action", action.ActionID)
			}
		}
	}
}

func (a *App) onButton(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) {
	channel := first(cb.Channel.ID, cb.Container.ChannelID)
	ts := first(cb.Container.MessageTs, cb.Message.Timestamp)
	ref := decodeRef(act.Value)
	rec := feedbackRecord{
		Time: time.Now().UTC(), Kind: act.ActionID, User: cb.User.ID, Channel: channel, MessageTS: ts,
		QuestionTS: ref.QuestionTS, Asker: ref.Asker, Question: ref.Question, CorpusVersion: ref.Version,
	}
	if act.ActionID == actionAskHuman {
		a.askHuman(ctx, cb, rec, ref)
		return
	}
	note := fmt.Sprintf("👍 <@%s> found this helpful. Thanks for the feedback!", cb.User.ID)
	if act.ActionID == actionNotHelpful {
		note = fmt.Sprintf("👎 <@%s> found this not helpful. Thanks: the team reviews this feedback to improve the answers.", cb.User.ID)
	}
	if err := a.feedback.append(rec); err != nil {
		a.log.Error("cannot record feedback", "err", err)
		note = "Sorry, I couldn't record that feedback. Please try again later."
	}
	keepAsk := hasAskButton(cb.Message) && !a.escalated.has(messageKey(channel, ts))
	a.acknowledge(ctx, cb, channel, ts, acknowledged(cb.Message, note, act.Value, keepAsk))
}

// askHuman escalates an answer with reason user_request, once per answer
// however often the button is clicked.
func (a *App) askHuman(ctx context.Context, cb slack.InteractionCallback, rec feedbackRecord, ref answerRef) {
	if !a.escalated.claim(messageKey(rec.Channel, rec.MessageTS)) {
		a.log.Info("ignored a repeated \"Ask a human\"", "channel", rec.Channel, "ts", rec.MessageTS)
		return
	}
	link := ""
	if rec.Channel != "" && first(ref.QuestionTS, rec.MessageTS) != "" {
		link = a.permalink(ctx, rec.Channel, first(ref.QuestionTS, rec.MessageTS))
	}
	question := first(ref.Question, "(the question is in the linked conversation)")
	h := handoff{
		Escalation: bot.Escalation{
			Question: bot.Question{Text: question, Asker: bot.User{ID: first(ref.Asker, cb.User.ID)}, Transport: "slack"},
			Answer:   bot.Answer{Question: ref.Question, CorpusVersion: ref.Version},
			Reason:   bot.UserRequest,
			Link:     link,
		},
		Draft: cb.Message.Text,
		By:    cb.User.ID,
	}
	note, delivered := a.handOffDraft(ctx, h)
	rec.Escalated = &delivered
	if err := a.feedback.append(rec); err != nil {
		a.log.Error("cannot record \"Ask a human\"", "err", err)
	}
	note = fmt.Sprintf("<@%s> asked for a human. %s", cb.User.ID, note)
	a.acknowledge(ctx, cb, rec.Channel, rec.MessageTS, acknowledged(cb.Message, note, "", false))
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
