package bot

import (
	"context"
	"time"
)

// DefaultDeflectionWindow is how long after an answer a "not helpful" or a
// request for a person still counts against it.
const DefaultDeflectionWindow = 24 * time.Hour

// MaxReportPeriod bounds the period of statistics and exports.
const MaxReportPeriod = 366 * 24 * time.Hour

// Period is the half-open interval [From, To).
type Period struct {
	From, To time.Time
}

// Stats is what support teams read about the bot over a period
// (GET /admin/api/stats, `faqbot report`). Every count is of exchanges
// asked in the period, except Feedback, which counts clicks made in it.
//
//   - answered: the FAQ held an answer; abstained: it did not.
//   - escalated: handed to people, by the bot (whether or not it also
//     answered) or by an "ask a human" afterwards.
//   - deflected: answered, not escalated, and no "not helpful" and no
//     "ask a human" within the deflection window after the answer. An
//     answer younger than the window counts as deflected until someone
//     says otherwise.
//   - deflection_rate: deflected / questions (0 without questions).
type Stats struct {
	From           time.Time      `json:"from"`
	To             time.Time      `json:"to"`
	Questions      int            `json:"questions"`
	Answered       int            `json:"answered"`
	Abstained      int            `json:"abstained"`
	Escalated      int            `json:"escalated"`
	Deflected      int            `json:"deflected"`
	DeflectionRate float64        `json:"deflection_rate"`
	ByTransport    map[string]int `json:"by_transport"`
	// ByReason counts escalated exchanges by escalation reason ("ask a
	// human" is user_request).
	ByReason map[string]int `json:"by_reason"`
	// ByDay has one entry per UTC day of the period, oldest first, days
	// without questions included.
	ByDay    []DayStats     `json:"by_day"`
	Feedback FeedbackCounts `json:"feedback"`
	// TopSections are the sections cited most by answered questions.
	TopSections []SectionCount `json:"top_sections"`
	// Gaps will list what askers ask that the FAQ does not cover; empty
	// until coverage-gap grouping exists.
	Gaps []Gap `json:"gaps"`
}

// DayStats counts one UTC day's exchanges.
type DayStats struct {
	// Day is the date, YYYY-MM-DD.
	Day       string `json:"day"`
	Questions int    `json:"questions"`
	Answered  int    `json:"answered"`
	Abstained int    `json:"abstained"`
	Escalated int    `json:"escalated"`
	Deflected int    `json:"deflected"`
}

// FeedbackCounts counts clicks by kind.
type FeedbackCounts struct {
	Helpful    int `json:"helpful"`
	NotHelpful int `json:"not_helpful"`
}

// SectionCount is how many answered questions cited a section.
type SectionCount struct {
	Anchor   string `json:"anchor"`
	Title    string `json:"title"`
	Document string `json:"document"`
	Count    int    `json:"count"`
}

// Gap is a kind of question the FAQ does not answer.
type Gap struct {
	Question string `json:"question"`
	Count    int    `json:"count"`
}

// Conversation is an exchange with what followed it, one row of the
// conversations export.
type Conversation struct {
	Exchange
	Helpful    int
	NotHelpful int
	// Deflected applies the Stats definition to this exchange.
	Deflected bool
	// Escalation is the latest escalation of the exchange, if any.
	Escalation *EscalationRecord
}

// Reports is where statistics and the conversations export come from: one
// implementation for the endpoint and the command alike.
type Reports interface {
	Stats(ctx context.Context, p Period) (Stats, error)
	// Conversations calls fn for each exchange of p, oldest first, at most
	// limit of them; an error from fn stops the walk and is returned.
	Conversations(ctx context.Context, p Period, limit int, fn func(Conversation) error) error
	// CountConversations counts the exchanges of p, so that an export
	// larger than allowed can be refused before it starts.
	CountConversations(ctx context.Context, p Period) (int, error)
}
