package bot

import (
	"fmt"
	"time"

	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/retrieval"
)

// pastDates returns the dates in text that lie before now, as written. A
// month without a day counts as past once the month is over.
func pastDates(text string, now time.Time) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range retrieval.Dates(text) {
		end, ok := dateEnd(m)
		if ok && end.Before(now) && !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}

// dateEnd returns the moment a written date is over.
func dateEnd(s string) (time.Time, bool) {
	for _, layout := range []string{"January 2, 2006", "January 2,2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.AddDate(0, 0, 1), true
		}
	}
	if t, err := time.Parse("January 2006", s); err == nil {
		return t.AddDate(0, 1, 0), true
	}
	return time.Time{}, false
}

// passedNote says which dates in text have passed since the FAQ dated
// dated was written (zero when unknown), or "" when none has. Dates that
// were already past when the FAQ was written are history, not deadlines.
func passedNote(text string, dated, now time.Time) string {
	var past []string
	for _, d := range pastDates(text, now) {
		if end, _ := dateEnd(d); end.After(dated) {
			past = append(past, d)
		}
	}
	if len(past) == 0 {
		return ""
	}
	verb := "has"
	if len(past) > 1 {
		verb = "have"
	}
	since := "the FAQ was written"
	if !dated.IsZero() {
		since = "the FAQ dated " + longDate(dated)
	}
	return fmt.Sprintf("(Today is %s: %s %s passed since %s.)", longDate(now), joinAnd(past), verb, since)
}

// latest returns the most recent date of the sections (zero when none has
// one).
func latest(secs []*corpus.Section) time.Time {
	var t time.Time
	for _, s := range secs {
		if s.Date.After(t) {
			t = s.Date
		}
	}
	return t
}

// longDate writes a date the way the FAQ does.
func longDate(t time.Time) string { return t.Format("January 2, 2006") }
