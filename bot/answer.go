// Package bot is faqbot's brain, independent of any chat platform: it takes a
// question, decides whether people must handle it, finds the FAQ sections
// that answer it and writes a cited answer.
package bot

import (
	"context"
	"errors"

	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/retrieval"
)

// ErrEmptyQuestion is returned for a question with no text.
var ErrEmptyQuestion = errors.New("empty question")

// ErrNotReady is returned while no index serves yet. It is retrieval's own
// sentinel, so that adapters can recognise it knowing only this package.
var ErrNotReady = retrieval.ErrNotReady

// Asker answers questions: the Bot, or the Bot wrapped with metrics and
// records. Every transport takes one.
type Asker interface {
	Ask(ctx context.Context, q Question) (Answer, error)
}

// Refresher reloads the corpus for admins (Slack /faq-refresh, POST
// /admin/refresh); source "" means the configured corpus. A refresh that
// fails leaves the serving index untouched.
type Refresher interface {
	Refresh(ctx context.Context, source string) (corpus.Changes, error)
}

// Question is what someone asked, with the conversation it belongs to.
type Question struct {
	Text  string
	Asker User
	// History holds the earlier turns of the thread, oldest first, so that a
	// follow-up ("and what about segments?") can be understood.
	History []Turn
	// Transport names where the question came from ("cli", "api", "slack",
	// "teams"), for metrics and logs.
	Transport string
	// Conversation says where on the transport it was asked, in the
	// platform's terms, so that a person can find it and a reply can reach
	// it: Slack "CHANNEL/THREAD_TS" (or the channel for a slash command),
	// Teams the conversation ID; empty for the API.
	Conversation string
}

// User identifies an asker on their platform.
type User struct {
	ID   string
	Name string
}

// Turn is one earlier message in a thread.
type Turn struct {
	Role Role
	Text string
}

// Role says who wrote a turn.
type Role string

const (
	RoleUser Role = "user"
	RoleBot  Role = "bot"
)

// Reason says why a question goes to people.
type Reason string

const (
	NoEscalation        Reason = ""
	ExtensionRequest    Reason = "extension_request"
	UnsupportedOutbound Reason = "unsupported_outbound"
	UserRequest         Reason = "user_request"
)

// Label says why a question went to people, in words for the team that
// takes it over.
func (r Reason) Label() string {
	switch r {
	case ExtensionRequest:
		return "extension request"
	case UnsupportedOutbound:
		return "outbound marketing topic the bot can't help with"
	case UserRequest:
		return "asked for a person"
	case NoEscalation:
		return "needs a person"
	}
	return string(r)
}

// Mode says who wrote an answer's text.
type Mode string

const (
	ModeExtractive Mode = "extractive"
	ModeLLM        Mode = "llm"
)

// Citation is an FAQ section an answer cites.
type Citation struct {
	Title    string `json:"title"`
	Anchor   string `json:"anchor"`
	URL      string `json:"url"`
	Document string `json:"document"`
	// SnapshotURL is faqbot's own copy of the section as the answer quoted
	// it (GET /faq/{document}/{anchor}?v=), set when FAQBOT_PUBLIC_URL is;
	// URL stays the original. An addition to the contract.
	SnapshotURL string `json:"snapshot_url,omitempty"`
}

// Answer is the bot's reply; its JSON form is the public contract of
// `faqbot ask --json` and POST /api/ask.
type Answer struct {
	// ID names the recorded exchange, so that feedback and "ask a human"
	// can point at it; empty (and left out of JSON) when nothing was
	// recorded, as on the command line. An addition to the contract.
	ID       string `json:"id,omitempty"`
	Question string `json:"question"`
	// Text carries citation markers: [n] refers to Citations[n-1].
	Text             string     `json:"answer"`
	Answered         bool       `json:"answered"`
	Escalate         bool       `json:"escalate"`
	EscalationReason Reason     `json:"escalation_reason"`
	Citations        []Citation `json:"citations"`
	// Confidence is how likely the first cited section answers the
	// question, from 0 to 1; below the bot's threshold it abstains.
	Confidence    float64 `json:"confidence"`
	Mode          Mode    `json:"mode"`
	CorpusVersion string  `json:"corpus_version"`
}

// Escalation is a question handed to people, with what the bot found.
type Escalation struct {
	// ID is the escalation's record (EscalationRecord.ID), when it was
	// recorded before the hand-off: cards link to it.
	ID       string
	Question Question
	Answer   Answer
	Reason   Reason
	// Link points back to the conversation (a Slack permalink), if any.
	Link string
}

// Escalator hands questions to people: a Slack channel, a Teams channel.
type Escalator interface {
	Escalate(ctx context.Context, e Escalation) error
}

// Outcome is how a question ended, for metrics and records.
type Outcome string

const (
	OutcomeAnswered  Outcome = "answered"
	OutcomeAbstained Outcome = "abstained"
	// OutcomeEscalated counts an escalation whether or not the FAQ also
	// answered: what matters to operators is that a person has work to do.
	OutcomeEscalated Outcome = "escalated"
	OutcomeFailed    Outcome = "error"
)

// OutcomeOf classifies what Ask returned.
func OutcomeOf(a Answer, err error) Outcome {
	switch {
	case err != nil:
		return OutcomeFailed
	case a.Escalate:
		return OutcomeEscalated
	case a.Answered:
		return OutcomeAnswered
	}
	return OutcomeAbstained
}
