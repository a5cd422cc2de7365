package teams

import (
	"context"
	"errors"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// What the Bot Framework bot keeps between activities. Each interface is
// what the bot needs, no more, so that a shared store (SQLite, PostgreSQL)
// implements it in a few lines; the Memory* types serve one process and
// forget on restart.

// ErrNotFound is returned by lookups for what was never recorded or has
// been forgotten.
var ErrNotFound = errors.New("teams: not found")

// ConversationRef is where to reach a conversation later, without an
// incoming activity: what a proactive message needs.
type ConversationRef struct {
	ServiceURL       string `json:"service_url"`
	ConversationID   string `json:"conversation_id"`
	ConversationType string `json:"conversation_type,omitempty"`
	TenantID         string `json:"tenant_id,omitempty"`
	// ActivityID is the message that started it all (the question).
	ActivityID string `json:"activity_id,omitempty"`
	// Bot is the bot's id in the conversation ("28:<app id>").
	Bot  string   `json:"bot,omitempty"`
	User bot.User `json:"user"`
}

// Exchange is one question the bot answered in a conversation.
type Exchange struct {
	ConversationID string
	// QuestionID is the activity id of the question; ReplyID that of the
	// bot's answer, which feedback and card actions point at ("" when the
	// connector did not say).
	QuestionID string
	ReplyID    string
	Time       time.Time
	Asker      bot.User
	Question   string
	Answer     bot.Answer
}

// ConversationHistory keeps the questions and answers of each conversation:
// the last turns make follow-ups understood, and an answer's record tells
// feedback and "Ask a human" what it was about.
type ConversationHistory interface {
	// Record stores an exchange once its answer is posted. It returns after
	// the exchange is durable.
	Record(ctx context.Context, e Exchange) error
	// Recent returns up to n of the conversation's latest exchanges, oldest
	// first; none is not an error.
	Recent(ctx context.Context, conversationID string, n int) ([]Exchange, error)
	// Answer returns the exchange whose answer has activity id replyID in
	// the conversation, or ErrNotFound.
	Answer(ctx context.Context, conversationID, replyID string) (Exchange, error)
}

// Feedback is a click on the thumbs up or down under an answer.
type Feedback struct {
	Time           time.Time
	ConversationID string
	ReplyID        string
	// By is who clicked: in a group chat or channel, not always the asker.
	By bot.User
	// Reaction is "like" or "dislike".
	Reaction string
	// Comment is what the person typed in the feedback form, bounded.
	Comment string
	// The answered exchange, when it is still in the history; ExchangeID
	// is its record (bot.Answer.ID).
	ExchangeID    string
	QuestionID    string
	Asker         bot.User
	Question      string
	CorpusVersion string
}

// FeedbackRecorder keeps feedback on answers.
type FeedbackRecorder interface {
	// RecordFeedback stores one click. It returns after the record is
	// durable: Teams is told the feedback was taken only then.
	RecordFeedback(ctx context.Context, f Feedback) error
}

// EscalationStatus is how far an escalation got.
type EscalationStatus string

const (
	// EscalationOpen: recorded, not yet handed to people.
	EscalationOpen EscalationStatus = "open"
	// EscalationPosted: people have it (the escalation channel or workflow).
	EscalationPosted EscalationStatus = "posted"
	// EscalationFailed: it could not be posted; the asker was told whom to
	// contact, and it waits for someone to hand it over by hand.
	EscalationFailed EscalationStatus = "failed"
	// EscalationNotified: a person resolved it and the asker was told.
	EscalationNotified EscalationStatus = "notified"
)

// Escalation is a question handed to people from Teams, with where to tell
// the asker when a person resolves it.
type Escalation struct {
	ID string
	// AnswerKey names the answer escalated ("conversation/question
	// activity id"): an answer is escalated once, however often its "Ask a
	// human" is clicked.
	AnswerKey string
	Reason    bot.Reason
	Question  bot.Question
	Answer    bot.Answer
	// Asker is the conversation the question was asked in.
	Asker   ConversationRef
	By      bot.User // who asked for a person, when not the asker
	Status  EscalationStatus
	Created time.Time
}

// EscalationTracker remembers escalations: each answer escalates once, and
// the asker can be told in their conversation when a person resolves it.
type EscalationTracker interface {
	// Open records e (status EscalationOpen) unless its AnswerKey already
	// has an escalation: then it returns that one's id and created false.
	// It returns after the record is durable, and is atomic per AnswerKey
	// across callers.
	Open(ctx context.Context, e Escalation) (id string, created bool, err error)
	// SetStatus records how far an escalation got; ErrNotFound for an
	// unknown id.
	SetStatus(ctx context.Context, id string, s EscalationStatus) error
	// Get returns an escalation by id, or ErrNotFound.
	Get(ctx context.Context, id string) (Escalation, error)
}
