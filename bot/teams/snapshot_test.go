package teams

import (
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
)

func TestCitationsLinkToSnapshots(t *testing.T) {
	a := bot.Answer{Text: "Yes [1].", Answered: true, Citations: []bot.Citation{{
		Title: "Segments", URL: "https://learn.microsoft.com/faq#segments",
		SnapshotURL: "https://faq.example.com/faq/transition-faqs.md/segments?v=v1",
	}}}
	got := answerMarkdown(a, "")
	want := "1. [Segments](https://faq.example.com/faq/transition-faqs.md/segments?v=v1) ([original](https://learn.microsoft.com/faq#segments))"
	if !strings.Contains(got, want) {
		t.Errorf("sources:\n%s\nwant the line %q", got, want)
	}
	a.Citations[0].SnapshotURL = ""
	if got := answerMarkdown(a, ""); !strings.Contains(got, "1. [Segments](https://learn.microsoft.com/faq#segments)") || strings.Contains(got, "original") {
		t.Errorf("without a snapshot:\n%s", got)
	}
}
