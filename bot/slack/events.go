package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// envelope is the outer Events API payload, over HTTP and Socket Mode alike.
type envelope struct {
	Type      string          `json:"type"`
	Challenge string          `json:"challenge"`
	EventID   string          `json:"event_id"`
	TeamID    string          `json:"team_id"`
	Event     json.RawMessage `json:"event"`
}

// message is the part of an app_mention or message event the bot uses.
type message struct {
	Type        string          `json:"type"`
	Subtype     string          `json:"subtype"`
	User        string          `json:"user"`
	BotID       string          `json:"bot_id"`
	Text        string          `json:"text"`
	TS          string          `json:"ts"`
	ThreadTS    string          `json:"thread_ts"`
	Channel     string          `json:"channel"`
	ChannelType string          `json:"channel_type"`
	Team        string          `json:"team"`
	Edited      json.RawMessage `json:"edited"`
}

// errMalformed marks a payload that is not what Slack sends (HTTP 400).
var errMalformed = errors.New("malformed payload")

// decodeEnvelope parses an Events API payload.
func decodeEnvelope(body []byte) (envelope, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return env, fmt.Errorf("%w: %v", errMalformed, err)
	}
	if env.Type == "" {
		return env, fmt.Errorf("%w: no type", errMalformed)
	}
	return env, nil
}

// errBusy means work was refused because the App has as many jobs in
// flight as it may; for an event, the transport tells Slack to deliver it
// again.
var errBusy = errors.New("too many questions in flight")

// acceptEvent takes an event_callback: it drops events the bot does not
// answer and starts answering the rest in the background. It returns at
// once so the transport can acknowledge within Slack's 3 s, or errBusy or
// errClosing, so that Slack delivers the event again later.
//
// Redeliveries are dropped by the claims the answer takes before it
// starts: off the acknowledgement's path, since a claim in a shared store
// waits for its turn to write. Whichever delivery claims first answers.
func (a *App) acceptEvent(env envelope, retryNum string) error {
	var m message
	if len(env.Event) == 0 || json.Unmarshal(env.Event, &m) != nil {
		a.log.Debug("ignored event without a readable inner event", "event_id", env.EventID)
		return nil
	}
	if assistant, err := a.acceptAssistant(env, m.Type); assistant {
		return err
	}
	if !a.answers(m) {
		return nil
	}
	if m.Team == "" {
		m.Team = env.TeamID
	}
	err := a.spawn(func(ctx context.Context) {
		if !a.claim(ctx, "slack:event:"+env.EventID) {
			a.log.Debug("dropped redelivered event", "event_id", env.EventID, "retry", retryNum)
			return
		}
		// An app_mention and a message event for the same post, or a
		// Socket Mode redelivery with a new envelope, must not get a
		// second reply.
		if !a.claim(ctx, "slack:msg:"+m.Channel+"/"+m.TS) {
			a.log.Debug("dropped event for a message already taken", "channel", m.Channel, "ts", m.TS)
			return
		}
		a.answerMessage(ctx, m)
	})
	if err != nil {
		a.log.Warn("event refused for Slack to deliver again", "reason", err, "event_id", env.EventID, "in_flight", cap(a.answering))
	}
	return err
}

// answers says whether the bot replies to m: mentions in channels and
// direct messages from people; not bots (itself included), edits,
// deletions or other message subtypes.
func (a *App) answers(m message) bool {
	if m.BotID != "" || m.User == "" || m.Channel == "" || m.TS == "" || len(m.Edited) > 0 {
		return false
	}
	if m.User == a.known().UserID {
		return false
	}
	switch m.Subtype {
	case "", "file_share", "thread_broadcast":
	default:
		return false
	}
	switch m.Type {
	case "app_mention":
		return true
	case "message":
		return m.ChannelType == "im"
	}
	return false
}

// answerMessage answers m in its thread. Whatever fails ends in a reply:
// the answer, a hint, or an apology, never silence.
func (a *App) answerMessage(ctx context.Context, m message) {
	thread := m.ThreadTS
	if thread == "" {
		thread = m.TS
	}
	if inAssistantThread(m) {
		a.setStatus(ctx, m.Channel, thread, statusSearching)
	} else {
		a.react(ctx, m.Channel, m.TS)
		defer func() {
			ctx, cancel := detached(ctx)
			defer cancel()
			a.unreact(ctx, m.Channel, m.TS)
		}()
	}
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("answering panicked", "channel", m.Channel, "ts", m.TS, "panic", r)
			a.apologize(ctx, m.Channel, thread)
		}
	}()
	if err := a.answerInThread(ctx, m, thread); err != nil {
		a.log.Error("cannot answer", "channel", m.Channel, "ts", m.TS, "err", err)
		a.apologize(ctx, m.Channel, thread)
	}
}

func (a *App) answerInThread(ctx context.Context, m message, thread string) error {
	me := a.self(ctx)
	q := bot.Question{
		Text:         plainText(stripMention(m.Text, me.UserID)),
		Asker:        bot.User{ID: m.User},
		Transport:    transport,
		Conversation: conversation(m.Channel, thread),
	}
	if thread != m.TS {
		q.History = a.history(ctx, m, me)
	}
	if inAssistantThread(m) {
		q.History = a.openTurn(ctx, m, thread, q.Text, q.History)
	}
	draft := a.newDraftStream(ctx, m, thread)
	ans, err := a.opts.Asker.Ask(bot.WithDrafts(ctx, draft.add), q)
	streamed := draft.finish()
	if errors.Is(err, bot.ErrEmptyQuestion) {
		_, err = a.post(ctx, m.Channel, threadReply(thread, usage)...)
		return err
	}
	if err != nil {
		return fmt.Errorf("ask: %w", err)
	}
	var note string
	if ans.Escalate {
		link := a.permalink(ctx, m.Channel, m.TS)
		note = a.handOff(ctx, bot.Escalation{Question: q, Answer: ans, Reason: ans.EscalationReason, Link: link}, "")
	}
	ref := answerRef{ID: ans.ID, QuestionTS: m.TS, Asker: m.User, Question: q.Text, Version: ans.CorpusVersion}
	if thread != m.TS {
		ref.ThreadTS = thread
	}
	r := answerReply(ans, note, ref, a.faqDate())
	if err := a.deliverAnswer(ctx, m.Channel, thread, streamed, r); err != nil {
		return err
	}
	a.log.Info("answered", "channel", m.Channel, "ts", m.TS, "answered", ans.Answered,
		"escalate", ans.Escalate, "citations", len(ans.Citations), "mode", ans.Mode, "streamed", streamed != "",
		"viewing", a.contexts.get(conversation(m.Channel, thread)))
	return nil
}

// history reads the thread's earlier turns. Without them a follow-up is
// still answered, as a question of its own.
func (a *App) history(ctx context.Context, m message, me identity) []bot.Turn {
	msgs, err := a.replies(ctx, m.Channel, m.ThreadTS)
	if err != nil {
		a.log.Warn("cannot read the thread; answering without it", "channel", m.Channel, "thread_ts", m.ThreadTS, "err", err)
		return nil
	}
	var turns []bot.Turn
	for _, msg := range msgs {
		if msg.Timestamp == m.TS {
			break
		}
		var t bot.Turn
		switch {
		case msg.BotID != "" && (msg.BotID == me.BotID || msg.User == me.UserID || me.UserID == ""):
			t = bot.Turn{Role: bot.RoleBot, Text: plainText(msg.Text)}
		case msg.BotID != "" || (msg.SubType != "" && msg.SubType != "file_share" && msg.SubType != "thread_broadcast"):
			continue // other bots and notices are not part of the conversation
		default:
			t = bot.Turn{Role: bot.RoleUser, Text: plainText(stripMention(msg.Text, me.UserID))}
		}
		if strings.TrimSpace(t.Text) != "" {
			turns = append(turns, t)
		}
	}
	if len(turns) > bot.MaxHistoryTurns {
		turns = turns[len(turns)-bot.MaxHistoryTurns:]
	}
	return turns
}

const usage = "Ask me a question about the transition from outbound marketing to real-time journeys in Customer Insights – Journeys, e.g. _What happens to my segments?_"

// apologize tells the asker the bot failed, so they are not left waiting.
func (a *App) apologize(ctx context.Context, channel, thread string) {
	text := bot.ApologyText(a.contact())
	ctx, cancel := detached(ctx)
	defer cancel()
	if _, err := a.post(ctx, channel, threadReply(thread, text)...); err != nil {
		a.log.Error("cannot apologize either", "channel", channel, "thread_ts", thread, "err", err)
	}
}

// claim reports whether this delivery is the first of key. A claim that
// cannot be checked counts as taken: a reply missed is better than a reply
// doubled.
func (a *App) claim(ctx context.Context, key string) bool {
	ok, err := a.claims.Claim(ctx, key)
	if err != nil {
		a.log.Error("delivery claim failed; skipping the delivery", "key", key, "err", err)
		return false
	}
	return ok
}
