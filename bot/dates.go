package bot

import (
	"fmt"
	"regexp"
	"strings"
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

// todayNote puts clauses about what has passed (passedClause,
// relativeClause) in one note dated today, or "" when there are none.
func todayNote(now time.Time, clauses ...string) string {
	var cs []string
	for _, c := range clauses {
		if c != "" {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		return ""
	}
	return fmt.Sprintf("(Today is %s: %s.)", longDate(now), strings.Join(cs, "; "))
}

// passedClause says which dates in text have passed since the FAQ dated
// dated was written (zero when unknown), or "" when none has. Dates that
// were already past when the FAQ was written are history, not deadlines.
func passedClause(text string, dated, now time.Time) string {
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
	return fmt.Sprintf("%s %s passed since %s", joinAnd(past), verb, since)
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

// relative finds periods counted from an event: "an additional few months
// after outbound marketing is removed", "30 days after the removal".
var relative = regexp.MustCompile(`(?i)\b((?:an? )?(?:additional |extra |further )?(few|couple of|several|\d+|one|two|three|four|five|six|twelve) (day|week|month|year)s?) (after|following) ([^.;:()]{3,60})`)

// removalEvent recognises the event most periods here count from.
var removalEvent = regexp.MustCompile(`(?i)\b(remov\w*|retir\w*|sunset\w*|switch(?:ed)? off|shut ?down)\b`)

// relativeClause says when a period counted from an event has ended: the
// FAQ's "a few months after outbound marketing is removed" reads as
// upcoming unless the removal's date, stated elsewhere in the FAQ, is put
// beside it. c is the corpus to look for that date in.
func relativeClause(text string, c *corpus.Corpus, now time.Time) string {
	if c == nil || !(strings.Contains(text, " after ") || strings.Contains(text, " following ")) {
		return ""
	}
	m := relative.FindStringSubmatch(text)
	if m == nil || !removalEvent.MatchString(m[5]) {
		return ""
	}
	anchor, ok := eventDate(c.Sections())
	if !ok {
		return ""
	}
	end := anchor.AddDate(0, 0, periodDays(m[2], m[3]))
	if !now.After(end) {
		return ""
	}
	phrase := strings.TrimSpace(m[0])
	return fmt.Sprintf("\"%s\" counts from the removal on %s, so that period has ended", phrase, longDate(anchor.AddDate(0, 0, -1)))
}

// eventDate is the date the sections give for the removal: the absolute
// date named most often in a sentence about removal (the latest on a tie).
// It returns the moment the day is over.
func eventDate(sections []*corpus.Section) (time.Time, bool) {
	count := map[time.Time]int{}
	for _, sec := range sections {
		for _, s := range sentences(sec.Plain) {
			if !removalEvent.MatchString(s) {
				continue
			}
			for _, d := range retrieval.Dates(s) {
				// A day, not a month: "June 30, 2025", not "June 2025".
				if end, ok := dateEnd(d); ok && strings.Contains(d, ",") {
					count[end]++
				}
			}
		}
	}
	var best time.Time
	for t, n := range count {
		if n > count[best] || (n == count[best] && t.After(best)) {
			best = t
		}
	}
	return best, count[best] > 0
}

// periodDays is the longest a period can mean: "a few months" is read as up
// to six, "several" as up to twelve, numbers as written.
func periodDays(n, unit string) int {
	count := 0
	switch strings.ToLower(n) {
	case "few", "couple of":
		count = 6
	case "several":
		count = 12
	case "one":
		count = 1
	case "two":
		count = 2
	case "three":
		count = 3
	case "four":
		count = 4
	case "five":
		count = 5
	case "six":
		count = 6
	case "twelve":
		count = 12
	default:
		fmt.Sscan(n, &count)
	}
	switch strings.ToLower(unit) {
	case "day":
		return count
	case "week":
		return 7 * count
	case "month":
		return 31 * count
	}
	return 366 * count
}
