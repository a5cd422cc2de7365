package teams

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// Records keeps what the Bot Framework bot needs between activities in
// faqbot's records (the store), through bot's interfaces, so that history,
// feedback and escalations survive restarts and are shared by replicas:
// it is a ConversationHistory, a FeedbackRecorder and an
// EscalationTracker.
//
// The history is the recorded exchanges themselves (the recording asker
// records every answer), linked to the activity ids of question and
// reply. An answer that could not be recorded is kept in memory instead,
// so that its follow-ups and clicks still work until a restart.
type Records struct {
	store    RecordStore
	fallback *MemoryHistory
}

// RecordStore is what Records needs of the store.
type RecordStore interface {
	bot.ReplyLog
	bot.FeedbackRecorder
	bot.EscalationRecorder
	Escalation(ctx context.Context, id string) (bot.EscalationRecord, error)
	FinishFollowup(ctx context.Context, id string, kind bot.Followup, done bool) error
}

var (
	_ ConversationHistory = (*Records)(nil)
	_ FeedbackRecorder    = (*Records)(nil)
	_ EscalationTracker   = (*Records)(nil)
)

// NewRecords keeps the bot's records in store.
func NewRecords(store RecordStore) *Records {
	return &Records{store: store, fallback: NewMemoryHistory()}
}

// transportName is the Bot Framework bot's transport in the records.
const transportName = "teams"

// Record implements ConversationHistory.
func (r *Records) Record(ctx context.Context, e Exchange) error {
	if e.Answer.ID == "" {
		return r.fallback.Record(ctx, e)
	}
	if err := r.store.LinkReply(ctx, e.Answer.ID, e.QuestionID, e.ReplyID); err != nil {
		return fmt.Errorf("teams records: %w", err)
	}
	return nil
}

// Recent implements ConversationHistory: the recorded exchanges that were
// answered in the conversation, with any kept in memory, oldest first.
func (r *Records) Recent(ctx context.Context, conversationID string, n int) ([]Exchange, error) {
	recorded, err := r.store.RecentExchanges(ctx, transportName, conversationID, n)
	if err != nil {
		return nil, fmt.Errorf("teams records: %w", err)
	}
	var out []Exchange
	for _, e := range recorded {
		if e.ReplyRef != "" { // an answer that was never posted is no turn
			out = append(out, exchangeOf(e))
		}
	}
	mem, _ := r.fallback.Recent(ctx, conversationID, n)
	if len(mem) > 0 {
		out = append(out, mem...)
		slices.SortStableFunc(out, func(a, b Exchange) int { return a.Time.Compare(b.Time) })
	}
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return out, nil
}

// Answer implements ConversationHistory.
func (r *Records) Answer(ctx context.Context, conversationID, replyID string) (Exchange, error) {
	e, err := r.store.ExchangeByReply(ctx, transportName, conversationID, replyID)
	switch {
	case err == nil:
		return exchangeOf(e), nil
	case errors.Is(err, bot.ErrNotFound):
		return r.fallback.Answer(ctx, conversationID, replyID)
	}
	return Exchange{}, fmt.Errorf("teams records: %w", err)
}

// exchangeOf is a recorded exchange as the bot keeps it. The asker is left
// out: the records keep only what the privacy setting allows (a hash
// names no one), and an escalation of the exchange takes the recorded
// value from the store itself.
func exchangeOf(e bot.Exchange) Exchange {
	return Exchange{
		ConversationID: e.Conversation, QuestionID: e.QuestionRef, ReplyID: e.ReplyRef, Time: e.Time,
		Question: e.Question,
		Answer: bot.Answer{
			ID: e.ID, Question: e.Question, Text: e.Answer, Answered: e.Answered, Escalate: e.Escalate,
			EscalationReason: e.Reason, Citations: e.Citations, Mode: e.Mode, CorpusVersion: e.CorpusVersion,
		},
	}
}

// RecordFeedback implements FeedbackRecorder. A click on a recorded answer
// points at it; one on an answer the records lack keeps what the bot knew.
func (r *Records) RecordFeedback(ctx context.Context, f Feedback) error {
	kind := bot.FeedbackHelpful
	if f.Reaction == "dislike" {
		kind = bot.FeedbackNotHelpful
	}
	rec := bot.Feedback{
		ExchangeID: f.ExchangeID, Time: f.Time, Kind: kind, User: f.By.ID, Comment: f.Comment,
		Transport: transportName, Conversation: f.ConversationID, Message: f.ReplyID,
	}
	if f.ExchangeID == "" {
		rec.Question, rec.Asker, rec.CorpusVersion = f.Question, f.Asker.ID, f.CorpusVersion
	}
	if err := r.store.RecordFeedback(ctx, rec); err != nil {
		return fmt.Errorf("teams records: %w", err)
	}
	return nil
}

// escalationKey is the record's key of an answer's escalation.
func escalationKey(answerKey string) string {
	if answerKey == "" {
		return ""
	}
	return "teams:answer:" + answerKey
}

// replyReference is where the asker is told of the resolution, as the record
// keeps it: the conversation reference without the person, whom the
// records name only as the privacy setting allows.
func replyReference(ref ConversationRef) string {
	if ref.ServiceURL == "" || ref.ConversationID == "" {
		return ""
	}
	ref.User = bot.User{}
	b, _ := json.Marshal(ref)
	return string(b)
}

// Open implements EscalationTracker: an escalation per answer, atomic in
// the store.
func (r *Records) Open(ctx context.Context, e Escalation) (string, bool, error) {
	var sources []string
	for _, c := range e.Answer.Citations {
		sources = append(sources, c.URL)
	}
	by := e.By.ID
	if by == e.Question.Asker.ID {
		by = ""
	}
	rec, created, err := r.store.OpenEscalation(ctx, bot.EscalationRecord{
		Key: escalationKey(e.AnswerKey), ExchangeID: e.Answer.ID, Time: e.Created, Reason: e.Reason,
		Transport: transportName, Conversation: e.Asker.ConversationID, Asker: e.Question.Asker.ID, By: by,
		Question: e.Question.Text, Draft: e.Answer.Text, Sources: sources, CorpusVersion: e.Answer.CorpusVersion,
		ReplyTo: replyReference(e.Asker),
	})
	if err != nil {
		return "", false, fmt.Errorf("teams records: %w", err)
	}
	return rec.ID, created, nil
}

// errNotPosted is recorded as the delivery error of an escalation the bot
// could not post; the bot's log has why.
var errNotPosted = errors.New("the Teams bot could not post it (see the log)")

// SetStatus implements EscalationTracker.
func (r *Records) SetStatus(ctx context.Context, id string, s EscalationStatus) error {
	var err error
	switch s {
	case EscalationPosted:
		err = r.store.EscalationDelivered(ctx, id, transportName, nil)
	case EscalationFailed:
		err = r.store.EscalationDelivered(ctx, id, transportName, errNotPosted)
	case EscalationNotified:
		err = r.store.FinishFollowup(ctx, id, bot.FollowupNotify, true)
	}
	if errors.Is(err, bot.ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("teams records: %w", err)
	}
	return nil
}

// Get implements EscalationTracker.
func (r *Records) Get(ctx context.Context, id string) (Escalation, error) {
	rec, err := r.store.Escalation(ctx, id)
	if errors.Is(err, bot.ErrNotFound) {
		return Escalation{}, ErrNotFound
	}
	if err != nil {
		return Escalation{}, fmt.Errorf("teams records: %w", err)
	}
	e := Escalation{
		ID: rec.ID, AnswerKey: strings.TrimPrefix(rec.Key, "teams:answer:"), Reason: rec.Reason, Created: rec.Time,
		Question: bot.Question{Text: rec.Question, Transport: rec.Transport, Conversation: rec.Conversation},
		Answer:   bot.Answer{ID: rec.ExchangeID, Text: rec.Draft, CorpusVersion: rec.CorpusVersion, EscalationReason: rec.Reason},
		Status:   statusOf(rec),
	}
	for _, s := range rec.Sources {
		e.Answer.Citations = append(e.Answer.Citations, bot.Citation{Title: s, URL: s})
	}
	if rec.ReplyTo != "" {
		_ = json.Unmarshal([]byte(rec.ReplyTo), &e.Asker) // a bad reference leaves nowhere to notify
	}
	return e, nil
}

func statusOf(rec bot.EscalationRecord) EscalationStatus {
	switch {
	case !rec.NotifiedAt.IsZero():
		return EscalationNotified
	case rec.Delivery == bot.DeliveryDelivered:
		return EscalationPosted
	case rec.Delivery == bot.DeliveryFailed, rec.Delivery == bot.DeliveryNone:
		return EscalationFailed
	}
	return EscalationOpen
}
