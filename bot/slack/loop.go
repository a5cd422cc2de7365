package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
)

// The escalation loop in Slack: escalation posts carry Answer and Resolve
// buttons; Answer opens a form whose text the bot posts in the asker's
// thread, naming who answered; Resolve closes the escalation and tells the
// asker so. Both go through the desk (Options.Resolver), which records
// the resolution before Slack gets its acknowledgement.

// Block, action and view IDs of the loop.
const (
	escalationBlockID = "faqbot_escalation"
	actionAnswer      = "escalation_answer"
	actionResolve     = "escalation_resolve"
	answerCallbackID  = "faqbot_answer"
	answerBlockID     = "answer"
	answerActionID    = "answer"
	// maxAnswerInput is Slack's limit on a plain-text input.
	maxAnswerInput = 3000
	// viewTimeout bounds views.open: the trigger expires after 3 s.
	viewTimeout = 2500 * time.Millisecond
)

// interact dispatches an interaction: the escalation loop's buttons and
// form, or the answer buttons. It returns what to answer Slack with (nil
// for an empty 200); an error means the action was not taken, and Slack
// must not get an acknowledgement.
func (a *App) interact(ctx context.Context, cb slack.InteractionCallback) (any, error) {
	switch cb.Type {
	case slack.InteractionTypeViewSubmission:
		if cb.View.CallbackID == answerCallbackID {
			return a.submitAnswer(ctx, cb), nil
		}
		// Other forms (the "not helpful" reasons) are the answer's.
		return nil, a.takeInteraction(ctx, cb)
	case slack.InteractionTypeBlockActions:
		for _, act := range cb.ActionCallback.BlockActions {
			if act != nil && (act.ActionID == actionAnswer || act.ActionID == actionResolve) {
				return nil, a.escalationAction(ctx, cb, *act)
			}
		}
	}
	return nil, a.takeInteraction(ctx, cb)
}

// escalationButtons go under an escalation post; their value is the
// escalation's ID.
func escalationButtons(id string) *slack.ActionBlock {
	answer := slack.NewButtonBlockElement(actionAnswer, id, slack.NewTextBlockObject(slack.PlainTextType, "💬 Answer", true, false))
	answer.Style = slack.StylePrimary
	resolve := slack.NewButtonBlockElement(actionResolve, id, slack.NewTextBlockObject(slack.PlainTextType, "✅ Resolve", true, false))
	return slack.NewActionBlock(escalationBlockID, answer, resolve)
}

// escalationMessage is an escalation post: its text, a link to its page
// on the dashboard, and the buttons when the loop is on and the
// escalation was recorded.
func (a *App) escalationMessage(text, id string) []slack.MsgOption {
	blocks := []slack.Block{}
	for _, c := range chunks(text, maxSectionText) {
		blocks = append(blocks, section(c))
	}
	if id != "" && a.opts.AdminURL != "" {
		blocks = append(blocks, contextBlock(link(a.opts.AdminURL+"/escalations/"+url.PathEscape(id), "Open on the dashboard")))
	}
	if id != "" && a.opts.Resolver != nil {
		blocks = append(blocks, escalationButtons(id))
	}
	return []slack.MsgOption{slack.MsgOptionText(truncate(text, maxMessageText), false), slack.MsgOptionBlocks(blocks...),
		slack.MsgOptionDisableLinkUnfurl()}
}

// escalationAction takes a click on Answer or Resolve. Only clicks in the
// escalation channel count: the buttons are posted nowhere else.
func (a *App) escalationAction(ctx context.Context, cb slack.InteractionCallback, act slack.BlockAction) error {
	channel, ts := clicked(cb)
	if a.opts.Resolver == nil || channel != a.opts.EscalationChannel || act.Value == "" {
		a.log.Warn("ignored an escalation button outside the escalation channel", "channel", channel)
		return nil
	}
	id := act.Value
	switch act.ActionID {
	case actionResolve:
		// As for any click, the follow-up's place is reserved before the
		// resolution is recorded: a busy App refuses the click instead.
		release, err := a.reserve()
		if err != nil {
			a.log.Warn("click refused; Slack will tell the user it failed", "action", act.ActionID, "reason", err)
			return fmt.Errorf("take click: %w", err)
		}
		rec, err := a.opts.Resolver.Resolve(ctx, id, resolverName(cb.User), "")
		if err != nil && !errors.Is(err, bot.ErrAlreadyResolved) {
			release()
			a.log.Error("cannot resolve the escalation; Slack will tell the user it failed", "escalation", id, "err", err)
			return fmt.Errorf("resolve escalation: %w", err)
		}
		if err != nil {
			a.startFollowup(release, rec, channel, ts, "", false) // someone else was first
			return nil
		}
		a.startFollowup(release, rec, channel, ts, cb.User.ID, true)
	case actionAnswer:
		rec, err := a.opts.Resolver.Escalation(ctx, id)
		if err != nil {
			a.log.Error("cannot read the escalation to answer", "escalation", id, "err", err)
			return fmt.Errorf("read escalation: %w", err)
		}
		if rec.State != bot.EscalationOpen {
			a.spawnFollowup(rec, channel, ts)
			return nil
		}
		return a.openAnswerForm(ctx, cb.TriggerID, rec, channel, ts)
	}
	return nil
}

// answerMeta travels in the form's private_metadata: which escalation,
// and where its post is.
type answerMeta struct {
	ID      string `json:"id"`
	Channel string `json:"c"`
	TS      string `json:"ts"`
}

// openAnswerForm opens the Answer form; the trigger lasts 3 s, so this
// happens before the click is acknowledged.
func (a *App) openAnswerForm(ctx context.Context, trigger string, rec bot.EscalationRecord, channel, ts string) error {
	meta, _ := json.Marshal(answerMeta{ID: rec.ID, Channel: channel, TS: ts})
	input := slack.NewPlainTextInputBlockElement(slack.NewTextBlockObject(slack.PlainTextType, "Your answer", false, false), answerActionID).
		WithMultiline(true).WithMaxLength(maxAnswerInput)
	view := slack.ModalViewRequest{
		Type:       slack.VTModal,
		CallbackID: answerCallbackID,
		Title:      slack.NewTextBlockObject(slack.PlainTextType, "Answer the asker", false, false),
		Submit:     slack.NewTextBlockObject(slack.PlainTextType, "Post answer", false, false),
		Close:      slack.NewTextBlockObject(slack.PlainTextType, "Cancel", false, false),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			section("*Question:*\n" + quote(escape(truncate(orNone(rec.Question), 2500)))),
			slack.NewInputBlock(answerBlockID, slack.NewTextBlockObject(slack.PlainTextType, "Answer", false, false),
				slack.NewTextBlockObject(slack.PlainTextType, "faqbot posts it in the asker's thread, with your name, and records it.", false, false), input),
		}},
		PrivateMetadata: string(meta),
	}
	ctx, cancel := context.WithTimeout(ctx, viewTimeout)
	defer cancel()
	err := a.once(ctx, "views.open", func(ctx context.Context) error {
		_, err := a.api.OpenViewContext(ctx, trigger, view)
		return err
	})
	if err != nil {
		a.log.Error("cannot open the answer form", "escalation", rec.ID, "err", err)
		return fmt.Errorf("open the answer form: %w", err)
	}
	return nil
}

// submitAnswer takes the Answer form: it records the answer as the
// resolution, then tells the asker and updates the post in the
// background. What it returns is the form's response: nil closes it,
// errors keep it open with a message.
func (a *App) submitAnswer(ctx context.Context, cb slack.InteractionCallback) any {
	var meta answerMeta
	if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta); err != nil || meta.ID == "" || a.opts.Resolver == nil {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{answerBlockID: "This form is out of date: close it and click Answer again."})
	}
	var text string
	if cb.View.State != nil {
		text = strings.TrimSpace(cb.View.State.Values[answerBlockID][answerActionID].Value)
	}
	if text == "" {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{answerBlockID: "Write the answer for the asker."})
	}
	release, err := a.reserve()
	if err != nil {
		a.log.Warn("answer form refused; it stays open", "escalation", meta.ID, "reason", err)
		return slack.NewErrorsViewSubmissionResponse(map[string]string{answerBlockID: "faqbot is busy or restarting: your answer was not recorded. Try again in a moment."})
	}
	rec, err := a.opts.Resolver.Resolve(ctx, meta.ID, resolverName(cb.User), truncate(text, bot.MaxHumanAnswer))
	switch {
	case errors.Is(err, bot.ErrAlreadyResolved):
		a.startFollowup(release, rec, meta.Channel, meta.TS, "", false)
		return slack.NewErrorsViewSubmissionResponse(map[string]string{answerBlockID: "Already resolved by " + rec.ResolvedBy + ": your answer was not posted."})
	case err != nil:
		release()
		a.log.Error("cannot record the answer to an escalation", "escalation", meta.ID, "err", err)
		return slack.NewErrorsViewSubmissionResponse(map[string]string{answerBlockID: "Your answer could not be recorded. Try again in a moment."})
	}
	a.startFollowup(release, rec, meta.Channel, meta.TS, cb.User.ID, true)
	return nil
}

// resolverName is how a Slack user is recorded as the person who
// resolved an escalation, and named to the asker.
func resolverName(u slack.User) string {
	return first(u.Name, u.Username, u.ID)
}

// spawnFollowup updates the escalation post at channel/ts to show rec's
// state, which someone else set, if the App has a place for it: it is a
// courtesy.
func (a *App) spawnFollowup(rec bot.EscalationRecord, channel, ts string) {
	release, err := a.reserve()
	if err != nil {
		a.log.Warn("escalation post not updated", "escalation", rec.ID, "reason", err)
		return
	}
	a.startFollowup(release, rec, channel, ts, "", false)
}

// startFollowup updates the escalation post at channel/ts to show rec's
// state and, when this click resolved it (fresh), tells the asker, in the
// place release gives back.
func (a *App) startFollowup(release func(), rec bot.EscalationRecord, channel, ts, by string, fresh bool) {
	err := a.start(release, func(ctx context.Context) {
		if fresh {
			if err := a.opts.Resolver.Notify(ctx, rec); err != nil && !errors.Is(err, bot.ErrNotifyingElsewhere) {
				a.log.Warn("the asker was not told yet; the desk retries", "escalation", rec.ID, "err", err)
			}
		}
		if channel != "" && ts != "" {
			if err := a.update(ctx, channel, ts, a.resolvedPost(rec, by)...); err != nil {
				a.log.Warn("cannot update the escalation post", "escalation", rec.ID, "err", err)
			}
		}
	})
	if err != nil {
		a.log.Warn("shutting down: escalation resolved, the asker is told by the desk later", "escalation", rec.ID)
	}
}

// resolvedPost is an escalation post once resolved: what was escalated,
// then who resolved it and what they answered, without buttons.
func (a *App) resolvedPost(rec bot.EscalationRecord, by string) []slack.MsgOption {
	who := "*" + escape(rec.ResolvedBy) + "*"
	if by != "" {
		who = "<@" + by + ">"
	}
	status := "✅ Resolved by " + who + ". The asker has been told."
	if rec.HumanAnswer != "" {
		status = "💬 Answered by " + who + " in the asker's thread:\n" + quote(escape(truncate(rec.HumanAnswer, 2500)))
	}
	text := recordText(rec, "") + "\n" + status
	return []slack.MsgOption{slack.MsgOptionText(truncate(text, maxMessageText), false),
		slack.MsgOptionBlocks(blocksOf(text)...), slack.MsgOptionDisableLinkUnfurl()}
}

func blocksOf(text string) []slack.Block {
	var blocks []slack.Block
	for _, c := range chunks(text, maxSectionText) {
		blocks = append(blocks, section(c))
	}
	return blocks
}

// slackUserID matches a Slack user ID, as raw asker IDs are recorded.
var slackUserID = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)

// recordText is an escalation as the channel sees it, from its record:
// headline first (a reminder's, when given).
func recordText(rec bot.EscalationRecord, headline string) string {
	var b strings.Builder
	if headline != "" {
		b.WriteString(headline + "\n")
	}
	fmt.Fprintf(&b, ":rotating_light: *Escalation: %s*\n", escape(rec.Reason.Label()))
	if slackUserID.MatchString(rec.Asker) {
		// Recorded raw (FAQBOT_ASKER_IDS=raw); a hash names no one.
		fmt.Fprintf(&b, "*Asked by:* <@%s>\n", rec.Asker)
	}
	fmt.Fprintf(&b, "*Question:*\n%s\n", quote(escape(truncate(orNone(rec.Question), 2000))))
	if rec.Link != "" {
		fmt.Fprintf(&b, "*Conversation:* %s\n", link(rec.Link, "open the thread"))
	}
	if len(rec.Sources) > 0 {
		b.WriteString("*Sources*")
		for i, s := range rec.Sources {
			fmt.Fprintf(&b, "\n%d. %s", i+1, link(s, s))
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(none recorded)"
	}
	return s
}

// askerThread is where a Slack escalation's asker asked: the channel and
// thread of its conversation ("CHANNEL/THREAD_TS").
func askerThread(rec bot.EscalationRecord) (channel, ts string) {
	channel, ts, _ = strings.Cut(rec.Conversation, "/")
	return channel, ts
}

// NotifyResolved tells the asker in their thread that a person followed
// up: the answer, as the bot, naming who answered; or that it was
// resolved. It implements bot.ResolutionNotifier.
func (a *App) NotifyResolved(ctx context.Context, rec bot.EscalationRecord) error {
	channel, ts := askerThread(rec)
	if channel == "" {
		return nil // nowhere to tell them
	}
	who := escape(first(rec.ResolvedBy, "a person"))
	text := fmt.Sprintf("✅ *%s* from the team has followed up and marked this as resolved.", who)
	if answer := strings.TrimSpace(rec.HumanAnswer); answer != "" {
		text = fmt.Sprintf("💬 *%s* from the team answered:\n%s", who, quote(escape(truncate(answer, maxSectionText-200))))
	}
	opts := []slack.MsgOption{slack.MsgOptionText(text, false), slack.MsgOptionDisableLinkUnfurl()}
	if ts != "" {
		opts = append(opts, threadOption(ts))
	}
	if _, err := a.post(ctx, channel, opts...); err != nil {
		return fmt.Errorf("slack: tell the asker of %s: %w", rec.ID, err)
	}
	a.log.Info("told the asker their escalation was resolved", "escalation", rec.ID, "channel", channel)
	return nil
}

// Remind posts an escalation still open to the escalation channel again,
// with its buttons. It implements bot.Reminder.
func (a *App) Remind(ctx context.Context, rec bot.EscalationRecord, open time.Duration) error {
	ch := a.opts.EscalationChannel
	if ch == "" {
		return ErrNoEscalationChannel
	}
	headline := fmt.Sprintf(":alarm_clock: *Still open after %s.* Can someone take it?", openFor(open))
	if _, err := a.post(ctx, ch, a.escalationMessage(recordText(rec, headline), rec.ID)...); err != nil {
		return fmt.Errorf("slack: remind of %s: %w", rec.ID, err)
	}
	return nil
}

// openFor says how long an escalation has been open: hours, or days past
// two.
func openFor(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	}
	return fmt.Sprintf("%d hours", int(d/time.Hour))
}
