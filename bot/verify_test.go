package bot

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/corpus"
)

func testSections() []*corpus.Section {
	const faq = "https://learn.microsoft.com/en-us/dynamics365/customer-insights/journeys/transition-faqs"
	return []*corpus.Section{
		{Title: "Can I request an extension?", Anchor: "extension", URL: faq + "#extension", Document: "transition-faqs.md",
			Text: "See [Requesting an extension](https://download.microsoft.com/download/OBMtoRTM.pdf) (PDF)."},
		{Title: "What happens after June 30, 2025?", Anchor: "after", URL: faq + "#after", Document: "transition-faqs.md",
			Text: "Read the [blog](https://www.microsoft.com/blog/post)."},
		{Title: "How do I start?", Anchor: "start", URL: faq + "#start", Document: "transition-faqs.md", Text: "Start here."},
	}
}

func TestVerify(t *testing.T) {
	secs := testSections()
	tests := []struct {
		name      string
		in        string
		want      string
		wantCited []string // anchors, in citation order
		wantErr   error
	}{
		{"invented marker is removed", "You can ask for one [1]. It is automatic [7].", "You can ask for one [1]. It is automatic.", []string{"extension"}, nil},
		{"renumbered by first use", "After the date [2]. Ask [1]. Again [2].", "After the date [1]. Ask [2]. Again [1].", []string{"after", "extension"}, nil},
		{"groups split and deduplicated", "Both say so [3, 1, 3, 9].", "Both say so [1][2].", []string{"start", "extension"}, nil},
		{"marker written as link", "See [2](https://evil.example/x).", "See [1].", []string{"after"}, nil},
		{"zero is no source", "Nothing [0]. Something [3].", "Nothing. Something [1].", []string{"start"}, nil},
		{"section URL kept", "See [the FAQ](" + secs[0].URL + ") [1].", "See [the FAQ](" + secs[0].URL + ") [1].", []string{"extension"}, nil},
		{"link from a cited section kept", "Use [the form](https://download.microsoft.com/download/OBMtoRTM.pdf) [1].", "Use [the form](https://download.microsoft.com/download/OBMtoRTM.pdf) [1].", []string{"extension"}, nil},
		{"link from an uncited section stripped", "Read [the blog](https://www.microsoft.com/blog/post) [1].", "Read the blog [1].", []string{"extension"}, nil},
		{"foreign link keeps its text", "Apply at [our portal](https://evil.example/apply) [1].", "Apply at our portal [1].", []string{"extension"}, nil},
		{"bare foreign URL removed", "Apply at https://evil.example/apply. It is quick [1].", "Apply at. It is quick [1].", []string{"extension"}, nil},
		{"angled foreign URL removed", "Go to <https://evil.example> now [1].", "Go to now [1].", []string{"extension"}, nil},
		{"bare corpus URL kept", "PDF: https://download.microsoft.com/download/OBMtoRTM.pdf. [1]", "PDF: https://download.microsoft.com/download/OBMtoRTM.pdf. [1]", []string{"extension"}, nil},
		{"image removed", "![logo](https://evil.example/x.png)Done [1].", "logoDone [1].", []string{"extension"}, nil},
		{"no citation", "Outbound marketing stays forever.", "", nil, errNoCitation},
		{"only invented citations", "Outbound marketing stays forever [4][12].", "", nil, errNoCitation},
		{"markers only", " [1] [2] ", "", nil, errEmptyText},
		{"approval claim", "Your extension is approved [1].", "", nil, errApprovalClaim},
		{"first-person grant", "I have granted you three more months [1].", "", nil, errApprovalClaim},
		{"deadline moved", "Good news: your deadline has been extended [2].", "", nil, errApprovalClaim},
		{"refusal is fine", "I can't approve or grant an extension; Microsoft decides case by case [1].", "I can't approve or grant an extension; Microsoft decides case by case [1].", []string{"extension"}, nil},
		{"FAQ wording is fine", "If approved, extensions are granted for a limited period only [1].", "If approved, extensions are granted for a limited period only [1].", []string{"extension"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cited, err := verify(tt.in, secs)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("text = %q, want %q", got, tt.want)
			}
			var anchors []string
			for _, s := range cited {
				anchors = append(anchors, s.Anchor)
			}
			if strings.Join(anchors, ",") != strings.Join(tt.wantCited, ",") {
				t.Errorf("cited = %v, want %v", anchors, tt.wantCited)
			}
		})
	}
}

func TestPastNote(t *testing.T) {
	sec := &corpus.Section{Date: time.Date(2025, 4, 14, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		name, text string
		now        time.Time
		want       string
	}{
		{"deadline passed", "Outbound is removed on June 30, 2025 [1].", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
			"\n\n(Today is March 1, 2026: June 30, 2025 has passed since the FAQ dated April 14, 2025.)"},
		{"deadline ahead", "Outbound is removed on June 30, 2025 [1].", time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), ""},
		{"date already past when written", "Social posting was removed in December 2024 [1].", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), ""},
	}
	for _, tt := range tests {
		if got := pastNote(tt.text, []*corpus.Section{sec}, tt.now); got != tt.want {
			t.Errorf("%s: pastNote = %q, want %q", tt.name, got, tt.want)
		}
	}
}
