package slack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/internal/redact"
)

// commandReply is the immediate reply to a slash command: the HTTP response
// body, or the Socket Mode acknowledgement's payload.
type commandReply struct {
	ResponseType string `json:"response_type,omitempty"`
	Text         string `json:"text,omitempty"`
}

func ephemeral(text string) commandReply {
	return commandReply{ResponseType: slack.ResponseTypeEphemeral, Text: text}
}

// command starts a slash command and returns the immediate reply. Work that
// may take longer than Slack's 3 s goes on in the background and answers
// through the response URL. raw is the command as signed, which tells a
// replay apart when Slack sent no trigger id.
func (a *App) command(cmd slack.SlashCommand, raw []byte) commandReply {
	if !a.claim(context.Background(), commandKey(cmd, raw)) {
		return commandReply{}
	}
	switch cmd.Command {
	case "/faq":
		return a.faqCommand(cmd)
	case "/faq-refresh":
		return a.refreshCommand(cmd)
	}
	return ephemeral("I don't know the command " + escape(cmd.Command) + ". Try `/faq QUESTION`.")
}

// commandKey names a slash command for Claims: its trigger id, or a hash
// of the signed body. A replay within the signature's five minutes is the
// same body; a new command differs at least in its response URL.
func commandKey(cmd slack.SlashCommand, raw []byte) string {
	if cmd.TriggerID != "" {
		return "slack:command:" + cmd.TriggerID
	}
	sum := sha256.Sum256(raw)
	return "slack:command:body:" + hex.EncodeToString(sum[:])
}

func (a *App) faqCommand(cmd slack.SlashCommand) commandReply {
	q := strings.TrimSpace(plainText(cmd.Text))
	if q == "" {
		return ephemeral("Usage: `/faq QUESTION`. " + usage)
	}
	if !validResponseURL(cmd.ResponseURL) {
		return ephemeral("Sorry, Slack sent no way to reply to this command. Please try again.")
	}
	if err := a.spawn(func(ctx context.Context) { a.answerCommand(ctx, cmd, q) }); err != nil {
		return a.refused("/faq", err)
	}
	// in_channel with no text shows the command itself to the channel; the
	// answer follows.
	return commandReply{ResponseType: slack.ResponseTypeInChannel}
}

func (a *App) answerCommand(ctx context.Context, cmd slack.SlashCommand, text string) {
	q := bot.Question{Text: text, Asker: bot.User{ID: cmd.UserID, Name: cmd.UserName}, Transport: transport, Conversation: cmd.ChannelID}
	ans, err := a.opts.Asker.Ask(ctx, q)
	if err != nil {
		a.log.Error("cannot answer /faq", "channel", cmd.ChannelID, "user", cmd.UserID, "err", err)
		msg := &slack.WebhookMessage{ResponseType: slack.ResponseTypeEphemeral,
			Text: bot.ApologyText(a.contact())}
		if err := a.respond(ctx, cmd.ResponseURL, msg); err != nil {
			a.log.Error("cannot apologize for /faq either", "err", err)
		}
		return
	}
	var note string
	if ans.Escalate {
		where := "asked with `/faq`"
		if cmd.ChannelID != "" {
			where += " in <#" + cmd.ChannelID + ">"
		}
		note = a.handOff(ctx, bot.Escalation{Question: q, Answer: ans, Reason: ans.EscalationReason}, where)
	}
	r := answerReply(ans, note, answerRef{ID: ans.ID, Asker: cmd.UserID, Question: text, Version: ans.CorpusVersion}, a.faqDate())
	asked := contextBlock(fmt.Sprintf("<@%s> asked: %s", cmd.UserID, escape(truncate(text, 2000))))
	r.blocks = append([]slack.Block{asked}, r.blocks...)
	if err := a.respond(ctx, cmd.ResponseURL, r.webhook(slack.ResponseTypeInChannel)); err != nil {
		a.log.Error("cannot post /faq answer", "channel", cmd.ChannelID, "err", err)
		return
	}
	a.log.Info("answered /faq", "channel", cmd.ChannelID, "answered", ans.Answered, "escalate", ans.Escalate, "mode", ans.Mode)
}

func (a *App) refreshCommand(cmd slack.SlashCommand) commandReply {
	if !a.admins[cmd.UserID] {
		a.log.Warn("refused /faq-refresh from a non-admin", "user", cmd.UserID)
		return ephemeral("Sorry, only faqbot admins can refresh the FAQ.")
	}
	if a.opts.Refresher == nil {
		return ephemeral("Refreshing isn't set up on this faqbot.")
	}
	if !validResponseURL(cmd.ResponseURL) {
		return ephemeral("Sorry, Slack sent no way to reply to this command. Please try again.")
	}
	source := strings.TrimSpace(plainText(cmd.Text))
	if err := a.spawn(func(ctx context.Context) { a.refresh(ctx, cmd, source) }); err != nil {
		return a.refused("/faq-refresh", err)
	}
	return ephemeral("Refreshing the FAQ from " + describeSource(source) + "…")
}

func (a *App) refresh(ctx context.Context, cmd slack.SlashCommand, source string) {
	changes, err := a.opts.Refresher.Refresh(ctx, source)
	var text string
	if err != nil {
		a.log.Error("refresh failed; the old index keeps serving", "user", cmd.UserID, "source", redact.URL(source), "err", err)
		text = "❌ Refresh failed: " + escape(err.Error()) + "\nI'm still answering from the FAQ I had."
	} else {
		a.log.Info("refreshed", "user", cmd.UserID, "source", redact.URL(source), "changes", changes.Summary())
		text = changesText(changes)
	}
	msg := &slack.WebhookMessage{ResponseType: slack.ResponseTypeEphemeral, Text: truncate(text, maxMessageText)}
	if err := a.respond(ctx, cmd.ResponseURL, msg); err != nil {
		a.log.Error("cannot report refresh", "user", cmd.UserID, "err", err)
	}
}

// refused is the reply to a command that could not start: the App is busy
// or restarting. Slack does not deliver a command again, so the person is
// told to.
func (a *App) refused(command string, err error) commandReply {
	a.log.Warn("command refused", "command", command, "reason", err)
	if errors.Is(err, errBusy) {
		return ephemeral("I'm answering a lot of questions right now. Please try again in a minute.")
	}
	return ephemeral("I'm restarting. Please try again in a minute.")
}

func describeSource(source string) string {
	if source == "" {
		return "the configured corpus"
	}
	return "`" + escape(redact.URL(source)) + "`"
}

// changesText reports a refresh: the counts, the versions and the sections
// by title.
func changesText(d corpus.Changes) string {
	var b strings.Builder
	fmt.Fprintf(&b, "✅ FAQ refreshed: %d added, %d changed, %d removed.\n", len(d.Added), len(d.Changed), len(d.Removed))
	old := d.OldVersion
	if old == "" {
		old = "none"
	}
	fmt.Fprintf(&b, "Corpus version `%s` → `%s`", escape(old), escape(d.NewVersion))
	for _, g := range []struct {
		label   string
		changes []corpus.Change
	}{{"Added", d.Added}, {"Changed", d.Changed}, {"Removed", d.Removed}} {
		if len(g.changes) == 0 {
			continue
		}
		titles := make([]string, 0, len(g.changes))
		for _, c := range g.changes {
			titles = append(titles, c.Title)
		}
		sort.Strings(titles)
		fmt.Fprintf(&b, "\n*%s*", g.label)
		for i, t := range titles {
			if i == 25 {
				fmt.Fprintf(&b, "\n• … and %d more", len(titles)-i)
				break
			}
			b.WriteString("\n• " + escape(t))
		}
	}
	return b.String()
}

// validResponseURL accepts the http(s) URLs Slack sends. The request is
// signed, so the URL is Slack's; this only keeps junk out of the client.
func validResponseURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
