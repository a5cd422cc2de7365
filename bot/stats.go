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
	// Latency is how long answers took.
	Latency LatencyStats `json:"latency"`
	// Gaps are what askers ask that the FAQ does not serve, grouped (see
	// GapReports); empty from a store alone.
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
	// EscalatedAnswered counts the escalated questions the FAQ also
	// answered, so that a chart can stack the day's questions by outcome.
	EscalatedAnswered int `json:"-"`
	// LatencyP50Ms and LatencyP95Ms are the day's answer latencies (see
	// LatencyStats).
	LatencyP50Ms int `json:"latency_p50_ms"`
	LatencyP95Ms int `json:"latency_p95_ms"`
}

// LatencyBoundsMs are the upper bounds of the latency histogram, in
// milliseconds; the last catches everything slower.
var LatencyBoundsMs = []int{5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000}

// LatencyStats is how long answers took, as a histogram. A percentile is
// the upper bound of the bucket it falls in (so "p95_ms": 250 means 95 %
// of answers took 250 ms or less); 0 without questions.
type LatencyStats struct {
	P50Ms   int             `json:"p50_ms"`
	P95Ms   int             `json:"p95_ms"`
	Buckets []LatencyBucket `json:"buckets"`
}

// LatencyBucket counts the answers that took more than the previous
// bound and at most LeMs (the last bucket: more than the one before it).
type LatencyBucket struct {
	LeMs  int `json:"le_ms"`
	Count int `json:"count"`
}

// NewLatencyStats is the histogram of counts, one per LatencyBoundsMs.
func NewLatencyStats(counts []int) LatencyStats {
	l := LatencyStats{Buckets: make([]LatencyBucket, len(LatencyBoundsMs))}
	for i, le := range LatencyBoundsMs {
		l.Buckets[i].LeMs = le
		if i < len(counts) {
			l.Buckets[i].Count = counts[i]
		}
	}
	l.P50Ms, l.P95Ms = l.Percentile(0.50), l.Percentile(0.95)
	return l
}

// Percentile is the upper bound of the bucket that holds fraction q of
// the answers; 0 without any.
func (l LatencyStats) Percentile(q float64) int {
	total := 0
	for _, b := range l.Buckets {
		total += b.Count
	}
	if total == 0 {
		return 0
	}
	need := q * float64(total)
	seen := 0
	for _, b := range l.Buckets {
		seen += b.Count
		if float64(seen) >= need {
			return b.LeMs
		}
	}
	return l.Buckets[len(l.Buckets)-1].LeMs
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
