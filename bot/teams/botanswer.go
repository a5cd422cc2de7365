package teams

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// historyWindow is how far back a follow-up looks: a question asked after
// a long pause in a personal chat starts afresh.
const historyWindow = time.Hour

// Wording of the bot's own messages.
const (
	botPromptText = "Hi! Ask me a question about the transition from outbound marketing to " +
		"real-time journeys in Dynamics 365 Customer Insights – Journeys, for example: " +
		"*When will outbound marketing be removed?* In a channel or group chat, mention me first."
)

// answer answers a message in its conversation: typing first, then the
// answer as a reply to the message. Whatever fails ends in a reply: the
// answer, a hint, or an apology, never silence.
func (b *Bot) answer(ctx context.Context, act botActivity) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("answering panicked", "conversation", act.Conversation.ID, "id", act.ID, "panic", fmt.Sprint(r))
			b.apologize(ctx, act)
		}
	}()
	b.typing(ctx, act)
	q := bot.Question{Text: act.question(), Asker: act.asker(), Transport: "teams", Conversation: act.Conversation.ID}
	if q.Text == "" {
		b.replyText(ctx, act, botPromptText)
		return
	}
	q.History = b.turns(ctx, act)
	ans, err := b.opts.Asker.Ask(ctx, q)
	switch {
	case errors.Is(err, bot.ErrEmptyQuestion):
		b.replyText(ctx, act, botPromptText)
		return
	case errors.Is(err, bot.ErrNotReady):
		b.replyText(ctx, act, bot.NotReadyText)
		return
	case err != nil:
		b.log.Error("cannot answer", "conversation", act.Conversation.ID, "id", act.ID, "err", err)
		b.apologize(ctx, act)
		return
	}
	var note string
	if ans.Escalate {
		e := b.newEscalation(act, answerKey(act.Conversation.ID, act.ID), q, ans, ans.EscalationReason)
		note = b.escalate(ctx, e)
	}
	out := replyTo(act, answerActivity(ans, note, !ans.Escalate))
	replyID, err := b.conn.post(ctx, "reply", act.ServiceURL, act.Conversation.ID, act.ID, out)
	if err != nil {
		b.log.Error("cannot post the answer", "conversation", act.Conversation.ID, "id", act.ID, "err", err)
		b.apologize(ctx, act)
		return
	}
	b.log.Info("answered", "conversation_type", act.Conversation.ConversationType, "answered", ans.Answered,
		"escalate", ans.Escalate, "citations", len(ans.Citations), "mode", ans.Mode)
	ex := Exchange{
		ConversationID: act.Conversation.ID, QuestionID: act.ID, ReplyID: replyID, Time: b.now(),
		Asker: q.Asker, Question: q.Text, Answer: ans,
	}
	if err := b.history.Record(ctx, ex); err != nil {
		// The answer is out; only follow-ups and feedback lose context.
		b.log.Warn("cannot record the exchange", "conversation", act.Conversation.ID, "err", err)
	}
}

// turns are the conversation's recent exchanges, for follow-ups. Without
// them the question is answered on its own.
func (b *Bot) turns(ctx context.Context, act botActivity) []bot.Turn {
	recent, err := b.history.Recent(ctx, act.Conversation.ID, defaultHistoryLength)
	if err != nil {
		b.log.Warn("cannot read the conversation history; answering without it", "err", err)
		return nil
	}
	var turns []bot.Turn
	for _, e := range recent {
		if b.now().Sub(e.Time) > historyWindow {
			continue
		}
		turns = append(turns, bot.Turn{Role: bot.RoleUser, Text: e.Question}, bot.Turn{Role: bot.RoleBot, Text: e.Answer.Text})
	}
	return turns
}

// typing shows the typing indicator while the bot thinks; failing to is
// only worth a log line.
func (b *Bot) typing(ctx context.Context, act botActivity) {
	out := outActivity{Type: typeTyping}
	out = replyTo(act, out)
	out.ReplyToID = ""
	if _, err := b.conn.post(ctx, "typing", act.ServiceURL, act.Conversation.ID, "", out); err != nil {
		b.log.Warn("cannot send the typing indicator", "err", err)
	}
}

func (b *Bot) replyText(ctx context.Context, act botActivity, text string) {
	if _, err := b.conn.post(ctx, "reply", act.ServiceURL, act.Conversation.ID, act.ID, replyTo(act, textActivity(text))); err != nil {
		b.log.Error("cannot reply", "conversation", act.Conversation.ID, "id", act.ID, "err", err)
	}
}

// apologize tells the asker the bot failed, so they are not left waiting;
// it gets a moment of its own when the job's time ran out.
func (b *Bot) apologize(ctx context.Context, act botActivity) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), callTimeout)
	defer cancel()
	b.replyText(ctx, act, b.sorry())
}

func (b *Bot) sorry() string {
	return bot.ApologyText(b.opts.Contact)
}

// answerKey names one answer: the question's activity in its conversation.
func answerKey(conversationID, questionID string) string {
	return conversationID + "/" + questionID
}
