package teams

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// maxFeedbackComment bounds the text kept from a feedback form.
const maxFeedbackComment = 2000

// Invoke responses for Action.Execute: a message Teams shows the person
// who clicked, or an error.
const (
	invokeMessageType = "application/vnd.microsoft.activity.message"
	invokeErrorType   = "application/vnd.microsoft.error"
)

// serveInvoke answers an invoke activity in the HTTP response, as Teams
// waits for it.
func (b *Bot) serveInvoke(ctx context.Context, w http.ResponseWriter, act botActivity, key string) {
	switch act.Name {
	case invokeSubmitAction:
		b.feedbackInvoke(ctx, w, act, key)
	case invokeCardAction:
		b.cardAction(ctx, w, act, key)
	default:
		writeJSON(w, http.StatusNotImplemented, struct{}{})
	}
}

// feedbackInvoke records a click on Teams' feedback buttons
// (channelData.feedbackLoop), durably, before telling Teams it was taken.
func (b *Bot) feedbackInvoke(ctx context.Context, w http.ResponseWriter, act botActivity, key string) {
	var v struct {
		ActionName  string `json:"actionName"`
		ActionValue struct {
			Reaction string `json:"reaction"`
			Feedback string `json:"feedback"`
		} `json:"actionValue"`
	}
	if err := json.Unmarshal(act.Value, &v); err != nil {
		http.Error(w, "malformed submitAction value", http.StatusBadRequest)
		return
	}
	if v.ActionName != "feedback" {
		writeJSON(w, http.StatusOK, struct{}{})
		return
	}
	reaction := v.ActionValue.Reaction
	if reaction != "like" && reaction != "dislike" {
		http.Error(w, "unknown feedback reaction", http.StatusBadRequest)
		return
	}
	f := Feedback{
		Time: b.now().UTC(), ConversationID: act.Conversation.ID, ReplyID: act.ReplyToID,
		By: act.asker(), Reaction: reaction, Comment: feedbackComment(v.ActionValue.Feedback),
	}
	if ex, err := b.history.Answer(ctx, act.Conversation.ID, act.ReplyToID); err == nil {
		f.ExchangeID, f.QuestionID, f.Asker, f.Question, f.CorpusVersion = ex.Answer.ID, ex.QuestionID, ex.Asker, ex.Question, ex.Answer.CorpusVersion
	} else if !errors.Is(err, ErrNotFound) {
		b.log.Warn("cannot look up the answer given feedback", "err", err)
	}
	if err := b.feedback.RecordFeedback(ctx, f); err != nil {
		b.release(key) // let Teams' retry, or the next click, record it
		b.log.Error("cannot record feedback", "err", err)
		http.Error(w, "cannot record feedback", http.StatusInternalServerError)
		return
	}
	b.log.Info("recorded feedback", "reaction", reaction, "with_comment", f.Comment != "")
	writeJSON(w, http.StatusOK, struct{}{})
}

// feedbackComment is the text of the feedback form, which Teams sends as
// a JSON string ({"feedbackText": "…"}).
func feedbackComment(raw string) string {
	var form struct {
		FeedbackText string `json:"feedbackText"`
	}
	text := raw
	if json.Unmarshal([]byte(raw), &form) == nil {
		text = form.FeedbackText
	}
	return shorten(strings.TrimSpace(text), maxFeedbackComment)
}

// cardAction takes Action.Execute: "Ask a human" escalates the answer the
// card is on, once. The escalation is recorded before the response, and
// posted in the background; its outcome follows in the conversation.
func (b *Bot) cardAction(ctx context.Context, w http.ResponseWriter, act botActivity, key string) {
	var v struct {
		Action struct {
			Type string `json:"type"`
			Verb string `json:"verb"`
		} `json:"action"`
	}
	if err := json.Unmarshal(act.Value, &v); err != nil || v.Action.Verb != askHumanVerb {
		writeJSON(w, http.StatusOK, map[string]any{
			"statusCode": http.StatusBadRequest, "type": invokeErrorType,
			"value": map[string]string{"code": "BadRequest", "message": "unknown action"},
		})
		return
	}
	e, deliver, err := b.open(ctx, b.askHumanEscalation(ctx, act))
	switch {
	case err != nil:
		b.release(key)
		writeCardMessage(w, b.unreachable())
		return
	case !deliver:
		writeCardMessage(w, alreadyEscalatedText)
		return
	}
	writeCardMessage(w, "Passing your question to a person…")
	b.spawn(func(ctx context.Context) {
		note := b.handOff(ctx, e)
		out := replyTo(act, textActivity(note))
		out.ReplyToID = act.ReplyToID // the answer the card is on
		if _, err := b.conn.post(ctx, "reply", act.ServiceURL, act.Conversation.ID, act.ReplyToID, out); err != nil {
			b.log.Error("cannot tell the asker about the escalation", "escalation", e.ID, "err", err)
		}
	})
}

func writeCardMessage(w http.ResponseWriter, text string) {
	writeJSON(w, http.StatusOK, map[string]any{"statusCode": http.StatusOK, "type": invokeMessageType, "value": text})
}

// askHumanFromSubmit is "Ask a human" from a client that fell back to
// Action.Submit: a message whose value is the button's data.
func (b *Bot) askHumanFromSubmit(ctx context.Context, act botActivity) {
	e, deliver, err := b.open(ctx, b.askHumanEscalation(ctx, act))
	note := alreadyEscalatedText
	switch {
	case err != nil:
		note = b.unreachable()
	case deliver:
		note = b.handOff(ctx, e)
	}
	b.replyText(ctx, act, note)
}

// askHumanEscalation is the escalation of the answer act's card is on
// (act.ReplyToID), reason user_request. The answer's record supplies the
// question and draft; without it the team is pointed to the conversation.
func (b *Bot) askHumanEscalation(ctx context.Context, act botActivity) Escalation {
	q := bot.Question{Text: "(the question is in the Teams conversation)", Asker: act.asker(), Transport: "teams", Conversation: act.Conversation.ID}
	var ans bot.Answer
	ref := act.reference()
	key := answerKey(act.Conversation.ID, "reply:"+firstNonEmpty(act.ReplyToID, act.ID))
	ex, err := b.history.Answer(ctx, act.Conversation.ID, act.ReplyToID)
	switch {
	case err == nil:
		q.Text, q.Asker, ans = ex.Question, ex.Asker, ex.Answer
		ref.ActivityID, ref.User = ex.QuestionID, ex.Asker
		key = answerKey(act.Conversation.ID, ex.QuestionID)
	case !errors.Is(err, ErrNotFound):
		b.log.Warn("cannot look up the answer to escalate", "err", err)
	}
	e := b.newEscalation(act, key, q, ans, bot.UserRequest)
	e.Asker = ref
	e.By = act.asker()
	return e
}

// isAskHuman reports whether a message's value is the "Ask a human" data.
func isAskHuman(value json.RawMessage) bool {
	if len(value) == 0 {
		return false
	}
	var v struct {
		Action string `json:"action"`
	}
	return json.Unmarshal(value, &v) == nil && v.Action == askHumanVerb
}
