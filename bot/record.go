package bot

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// What support teams see of the bot's work: every answer given on a
// transport (an Exchange), what askers said of it (Feedback) and the
// questions handed to people (EscalationRecord). A store keeps them;
// transports reach it only through the small interfaces below.

// Exchange is one answered question: what was asked where, what the bot
// said and how. The recording Asker builds it; transports never do.
type Exchange struct {
	// ID is the store's, empty until recorded.
	ID   string
	Time time.Time
	// Transport is Question.Transport ("api", "slack", "teams").
	Transport    string
	Conversation string
	// Asker is the platform's user ID going into a store; coming out, it is
	// what the privacy setting kept: a keyed hash, the ID, or nothing.
	Asker         string
	Question      string
	Answer        string
	Answered      bool
	Escalate      bool
	Reason        Reason
	Citations     []Citation
	Mode          Mode
	CorpusVersion string
	// Latency is how long the bot took to answer.
	Latency time.Duration
	// QuestionRef and ReplyRef are the platform's ids of the question and
	// of the bot's reply, once the transport links them (ReplyLog).
	QuestionRef string
	ReplyRef    string
}

// NewExchange describes how q was answered with a, asked at `at` and
// answered in latency.
func NewExchange(q Question, a Answer, at time.Time, latency time.Duration) Exchange {
	return Exchange{
		Time:          at,
		Transport:     q.Transport,
		Conversation:  q.Conversation,
		Asker:         q.Asker.ID,
		Question:      a.Question,
		Answer:        a.Text,
		Answered:      a.Answered,
		Escalate:      a.Escalate,
		Reason:        a.EscalationReason,
		Citations:     a.Citations,
		Mode:          a.Mode,
		CorpusVersion: a.CorpusVersion,
		Latency:       latency,
	}
}

// Recorder keeps exchanges; Record returns the new exchange's ID, which
// the answer then carries (Answer.ID) so that feedback can point at it.
type Recorder interface {
	Record(ctx context.Context, e Exchange) (id string, err error)
}

// FeedbackKind is what an asker said of an answer.
type FeedbackKind string

const (
	FeedbackHelpful    FeedbackKind = "helpful"
	FeedbackNotHelpful FeedbackKind = "not_helpful"
)

// Valid reports whether k is a kind stores accept.
func (k FeedbackKind) Valid() bool { return k == FeedbackHelpful || k == FeedbackNotHelpful }

// Feedback is one click on an answer.
type Feedback struct {
	// ExchangeID is the answer's Answer.ID; empty when it was not recorded.
	ExchangeID string
	Time       time.Time
	Kind       FeedbackKind
	// User is who clicked (a platform user ID going in, as Exchange.Asker).
	User string
	// Comment is the user's optional reason, in their words.
	Comment      string
	Transport    string
	Conversation string
	// Message points at the answer on its platform (Slack: channel/ts).
	Message string
	// Question, Asker and CorpusVersion describe the answer when no
	// exchange does: feedback from before the store, or on an answer whose
	// recording failed.
	Question      string
	Asker         string
	CorpusVersion string
}

// FeedbackRecorder keeps feedback. RecordFeedback returns once the
// feedback is durable: transports acknowledge a click only after it.
type FeedbackRecorder interface {
	RecordFeedback(ctx context.Context, f Feedback) error
}

// EscalationState is where an escalation stands.
type EscalationState string

const (
	EscalationOpen     EscalationState = "open"
	EscalationResolved EscalationState = "resolved"
)

// Delivery says whether an escalation reached the people it was posted to.
type Delivery string

const (
	// DeliveryPending: recorded, the hand-off not finished (or the process
	// died during it).
	DeliveryPending   Delivery = "pending"
	DeliveryDelivered Delivery = "delivered"
	DeliveryFailed    Delivery = "failed"
	// DeliveryNone: there was nowhere to post it; the asker was told whom
	// to contact.
	DeliveryNone Delivery = "none"
)

// EscalationRecord is a question handed to people, kept until someone
// resolves it, with everything needed to handle it by hand when the
// hand-off failed.
type EscalationRecord struct {
	// ID is the store's.
	ID string
	// Key makes a hand-off happen once: a store keeps one escalation per
	// non-empty key (Slack: the answer message whose "Ask a human" was
	// clicked). Empty for escalations the bot decided on.
	Key        string
	ExchangeID string
	Time       time.Time
	Reason     Reason
	Transport  string
	// Conversation is the question's Question.Conversation; Link a URL to
	// it, when the platform has one.
	Conversation string
	Link         string
	// Asker asked the question; By asked for a person when someone else
	// did. Both are platform user IDs going in, as Exchange.Asker.
	Asker    string
	By       string
	Question string
	// Draft is the bot's answer as the asker saw it; Sources the URLs it
	// cited.
	Draft         string
	Sources       []string
	CorpusVersion string
	// Destination is where it was posted ("slack", "teams"), "" when
	// nowhere.
	Destination   string
	Delivery      Delivery
	DeliveryError string
	State         EscalationState
	ResolvedAt    time.Time
	ResolvedBy    string
	// HumanAnswer is what the person who resolved it answered.
	HumanAnswer string
	// ReplyTo is where the transport can tell the asker that a person
	// followed up, in a form only that transport reads; empty when it
	// cannot.
	ReplyTo string
	// NotifiedAt is when the asker was told of the resolution; RemindedAt
	// when the open escalation was posted again. Zero until then.
	NotifiedAt time.Time
	RemindedAt time.Time
	// Imported marks escalations read from the JSON Lines files of
	// versions before the store.
	Imported bool
}

// NewEscalationRecord describes the hand-off e at `at`, before delivery.
func NewEscalationRecord(e Escalation, at time.Time) EscalationRecord {
	var sources []string
	for _, c := range e.Answer.Citations {
		sources = append(sources, c.URL)
	}
	return EscalationRecord{
		ExchangeID:    e.Answer.ID,
		Time:          at,
		Reason:        e.Reason,
		Transport:     e.Question.Transport,
		Conversation:  e.Question.Conversation,
		Link:          e.Link,
		Asker:         e.Question.Asker.ID,
		Question:      e.Question.Text,
		Draft:         e.Answer.Text,
		Sources:       sources,
		CorpusVersion: e.Answer.CorpusVersion,
		Delivery:      DeliveryPending,
		State:         EscalationOpen,
	}
}

// Errors of escalation stores.
var (
	ErrNotFound        = errors.New("not found")
	ErrAlreadyResolved = errors.New("escalation already resolved")
)

// EscalationRecorder keeps the hand-offs transports make. Each call
// returns once its change is committed; an escalation a person asked for
// (one with a Key) is also on disk when OpenEscalation returns.
type EscalationRecorder interface {
	// OpenEscalation records e as open, unless one with the same non-empty
	// Key exists: then it returns that one and false.
	OpenEscalation(ctx context.Context, e EscalationRecord) (EscalationRecord, bool, error)
	// EscalationDelivered records how posting escalation id to destination
	// went: delivered when err is nil, DeliveryNone when destination is "".
	EscalationDelivered(ctx context.Context, id, destination string, err error) error
	// EscalationByKey finds the escalation with key, or ErrNotFound.
	EscalationByKey(ctx context.Context, key string) (EscalationRecord, error)
}

// EscalationQuery selects escalations, newest first.
type EscalationQuery struct {
	// State filters by state; "" means any.
	State EscalationState
	// Limit bounds the result (stores cap it).
	Limit int
}

// EscalationDesk is how people work through escalations: the dashboard,
// a Resolve button.
type EscalationDesk interface {
	Escalation(ctx context.Context, id string) (EscalationRecord, error)
	Escalations(ctx context.Context, q EscalationQuery) ([]EscalationRecord, error)
	// ResolveEscalation closes an open escalation with the answer a person
	// gave. Resolving one already resolved returns it and
	// ErrAlreadyResolved; an unknown id, ErrNotFound.
	ResolveEscalation(ctx context.Context, id, by, answer string) (EscalationRecord, error)
}

// RecordedEscalator hands escalations to Next and keeps each in Store:
// open before the hand-off is tried, its delivery after. A store that
// fails is logged and does not stop the hand-off: reaching people comes
// first.
type RecordedEscalator struct {
	Next  Escalator
	Store EscalationRecorder
	// Destination names where Next posts ("teams").
	Destination string
	Logger      *slog.Logger
	// Clock tells the time (time.Now when nil).
	Clock func() time.Time
}

// Escalate implements Escalator.
func (r RecordedEscalator) Escalate(ctx context.Context, e Escalation) error {
	now := time.Now
	if r.Clock != nil {
		now = r.Clock
	}
	log := r.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rec, _, serr := r.Store.OpenEscalation(ctx, NewEscalationRecord(e, now()))
	if serr != nil {
		log.Error("cannot record escalation; handing it off anyway", "err", serr, "reason", e.Reason)
	} else {
		e.ID = rec.ID
	}
	err := r.Next.Escalate(ctx, e)
	if serr == nil {
		if derr := r.Store.EscalationDelivered(context.WithoutCancel(ctx), rec.ID, r.Destination, err); derr != nil {
			log.Error("cannot record escalation delivery", "err", derr, "escalation", rec.ID)
		}
	}
	return err
}
