package bot

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/faqbot/faqbot/corpus"
)

// FeedbackReason is what someone can say was wrong with an answer they
// found not helpful: in Slack's reason modal and the web chat alike.
type FeedbackReason struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// FeedbackReasons are the reasons offered, in the order shown.
func FeedbackReasons() []FeedbackReason {
	return []FeedbackReason{
		{Code: "wrong_section", Label: "It cited the wrong FAQ section"},
		{Code: "out_of_date", Label: "It's out of date"},
		{Code: "did_not_answer", Label: "It didn't answer my question"},
		{Code: "other", Label: "Something else"},
	}
}

// MaxFeedbackDetails bounds the free text given with a reason.
const MaxFeedbackDetails = 500

// FeedbackComment is how a reason and its free text are kept in
// Feedback.Comment: "code" or "code: details", the code one of
// FeedbackReasons ("other" for anything else), the details cut to
// MaxFeedbackDetails characters.
func FeedbackComment(code, details string) string {
	known := false
	for _, r := range FeedbackReasons() {
		known = known || r.Code == code
	}
	if !known {
		code = "other"
	}
	details = strings.TrimSpace(strings.ToValidUTF8(details, ""))
	if utf8.RuneCountInString(details) > MaxFeedbackDetails {
		details = string([]rune(details)[:MaxFeedbackDetails])
	}
	if details == "" {
		return code
	}
	return code + ": " + details
}

// CorpusDate is the date of the FAQ a corpus holds, spelled as answers
// spell it ("April 14, 2025"): its latest document's; "" when no document
// states one.
func CorpusDate(c *corpus.Corpus) string {
	if c == nil {
		return ""
	}
	var dated time.Time
	for _, d := range c.Documents {
		if d.Date.After(dated) {
			dated = d.Date
		}
	}
	if dated.IsZero() {
		return ""
	}
	return longDate(dated)
}
