package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
)

// Feedback on answers uses Slack's own feedback buttons (👍/👎 in a
// context_actions block): Slack shows which one the user chose, and the
// records keep the user's last choice per answer. "Not helpful" then
// opens a modal asking what was wrong; the reason is recorded with the
// feedback. "Ask a human" stays an ordinary button beside them.

const (
	// ratingBlockID names the context_actions block of the feedback
	// buttons; actionRate is their action.
	ratingBlockID = "faqbot_rating"
	actionRate    = "rate"
	// The buttons' values start with the kind, then the answer's ref.
	ratePositive = "+"
	rateNegative = "-"
	// The reason modal and its inputs.
	reasonCallbackID = "faqbot_not_helpful"
	reasonBlockID    = "reason"
	reasonActionID   = "reason"
	detailsBlockID   = "details"
	detailsActionID  = "details"
)

// answerActions are the blocks under an answer: the feedback buttons, and
// "Ask a human" unless the answer was already handed to people.
func answerActions(ref answerRef, askHuman bool) []slack.Block {
	value := ref.encodeWithin(maxButtonValue - len(ratePositive))
	rating := slack.NewFeedbackButtonsBlockElement(actionRate,
		slack.NewFeedbackButton(slack.NewTextBlockObject(slack.PlainTextType, "Helpful", false, false), ratePositive+value).
			WithAccessibilityLabel("Mark this answer as helpful"),
		slack.NewFeedbackButton(slack.NewTextBlockObject(slack.PlainTextType, "Not helpful", false, false), rateNegative+value).
			WithAccessibilityLabel("Mark this answer as not helpful"),
	)
	blocks := []slack.Block{slack.NewContextActionsBlock(ratingBlockID, rating)}
	if askHuman {
		blocks = append(blocks, feedbackButtonsOnlyAsk(ref.encode()))
	}
	return blocks
}

// encodeWithin fits the reference into limit bytes of JSON, shortening
// the question when it must.
func (r answerRef) encodeWithin(limit int) string {
	for q := 1500; ; q /= 2 {
		r.Question = truncate(r.Question, q)
		b, _ := json.Marshal(r)
		if len(b) <= limit || q < 16 {
			return string(b)
		}
	}
}

// provenance is the line under an answer: who wrote it from which FAQ.
func provenance(mode bot.Mode, dated string) string {
	from := "the FAQ"
	if dated != "" {
		from = "the FAQ dated " + escape(dated)
	}
	if mode == bot.ModeLLM {
		return "AI-generated from " + from + ": check the sources"
	}
	return "Quoted from " + from
}

func (a *App) faqDate() string {
	if a.opts.FAQDate == nil {
		return ""
	}
	return a.opts.FAQDate()
}

// takeRating records a feedback button click before it is acknowledged;
// "Not helpful" then asks for the reason in a modal, in the place among
// the jobs in flight that release gives back.
func (a *App) takeRating(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction, release func()) error {
	kind := bot.FeedbackHelpful
	value, ok := strings.CutPrefix(act.Value, ratePositive)
	if !ok {
		kind = bot.FeedbackNotHelpful
		value = strings.TrimPrefix(act.Value, rateNegative)
	}
	channel, ts := clicked(cb)
	ref := decodeRef(value)
	if err := a.saveFeedback(ctx, feedbackOn(ref, kind, cb.User.ID, channel, ts)); err != nil {
		release()
		return err
	}
	if kind != bot.FeedbackNotHelpful || cb.TriggerID == "" {
		release()
		return nil
	}
	// A trigger expires in 3 s: the modal opens now, off the
	// acknowledgement's path.
	if a.start(release, func(ctx context.Context) {
		a.askReason(ctx, cb.TriggerID, reasonFor{Ref: ref, Channel: channel, TS: ts})
	}) != nil {
		a.log.Warn("shutting down: not-helpful click recorded, no reason asked")
	}
	return nil
}

// reasonFor travels in the modal's private_metadata: which answer the
// reason is about.
type reasonFor struct {
	Ref     answerRef `json:"r"`
	Channel string    `json:"c"`
	TS      string    `json:"t"`
}

func (r reasonFor) encode() string {
	// The reference fits a button (2,000 bytes); with two short ids it
	// fits private_metadata (3,000).
	r.Ref = decodeRef(r.Ref.encodeWithin(maxButtonValue))
	b, _ := json.Marshal(r)
	return string(b)
}

func (a *App) askReason(ctx context.Context, trigger string, about reasonFor) {
	err := a.once(ctx, "views.open", func(ctx context.Context) error {
		_, err := a.api.OpenViewContext(ctx, trigger, reasonModal(about.encode()))
		return err
	})
	if err != nil {
		a.log.Warn("cannot open the reason modal; the not-helpful click is recorded", "err", err)
	}
}

// reasonModal asks what was wrong with an answer.
func reasonModal(metadata string) slack.ModalViewRequest {
	plain := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
	}
	var options []*slack.OptionBlockObject
	for _, r := range bot.FeedbackReasons() {
		options = append(options, slack.NewOptionBlockObject(r.Code, plain(r.Label), nil))
	}
	reason := slack.NewInputBlock(reasonBlockID, plain("What was wrong with the answer?"), nil,
		slack.NewRadioButtonsBlockElement(reasonActionID, options...))
	details := slack.NewPlainTextInputBlockElement(plain("Optional: tell us more"), detailsActionID)
	details.Multiline = true
	details.MaxLength = bot.MaxFeedbackDetails
	detailsBlock := slack.NewInputBlock(detailsBlockID, plain("Anything else?"), nil, details)
	detailsBlock.Optional = true
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      reasonCallbackID,
		Title:           plain("Not helpful"),
		Submit:          plain("Send"),
		Close:           plain("Skip"),
		PrivateMetadata: metadata,
		Blocks:          slack.Blocks{BlockSet: []slack.Block{reason, detailsBlock}},
	}
}

// takeReason records the reason a user gave in the modal, with the
// feedback: it replaces their "not helpful" click on that answer.
func (a *App) takeReason(ctx context.Context, cb slack.InteractionCallback) error {
	if cb.View.CallbackID != reasonCallbackID {
		return nil
	}
	var about reasonFor
	if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &about); err != nil {
		a.log.Warn("reason modal without a readable answer reference", "err", err)
		return nil
	}
	values := cb.View.State.Values
	code := values[reasonBlockID][reasonActionID].SelectedOption.Value
	details := values[detailsBlockID][detailsActionID].Value
	f := feedbackOn(about.Ref, bot.FeedbackNotHelpful, cb.User.ID, about.Channel, about.TS)
	f.Comment = bot.FeedbackComment(code, details)
	if err := a.saveFeedback(ctx, f); err != nil {
		return fmt.Errorf("record the reason: %w", err)
	}
	return nil
}
