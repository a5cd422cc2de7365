package slack

import (
	"testing"

	"github.com/faqbot/faqbot/bot"
)

// With snapshots, markers and sources link to faqbot's copy of each
// section, the original beside it in the list.
func TestCitationsLinkToSnapshots(t *testing.T) {
	ans := bot.Answer{Text: "Yes [1].", Answered: true, Citations: []bot.Citation{{
		Title: "Keep it?", URL: "https://learn.microsoft.com/faq#keep",
		SnapshotURL: "https://faq.example.com/faq/transition-faqs.md/keep?v=v1&x=<y>",
	}}}
	if got, want := mrkdwn(ans.Text, ans.Citations), "Yes <https://faq.example.com/faq/transition-faqs.md/keep?v=v1&amp;x=%3Cy%3E|[1]>."; got != want {
		t.Errorf("mrkdwn = %q, want %q", got, want)
	}
	want := "*Sources*\n1. <https://faq.example.com/faq/transition-faqs.md/keep?v=v1&amp;x=%3Cy%3E|Keep it?> (<https://learn.microsoft.com/faq#keep|original>)"
	if got := sources(ans); got != want {
		t.Errorf("sources =\n%q\nwant\n%q", got, want)
	}
}
