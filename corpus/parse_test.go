package corpus

import (
	"strings"
	"testing"
	"time"
)

const faqURL = "https://learn.microsoft.com/en-us/dynamics365/customer-insights/journeys/transition-faqs"

func TestDefaultFAQSections(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"what-changes-to-dynamics-365-customer-insights--journeys-did-microsoft-recently-announce",
		"im-an-existing-dynamics-365-customer-insights---journeys-customer-using-outbound-marketing-how-do-these-changes-impact-me",
		"im-a-new-dynamics-365-customer-insights---journeys-customer-how-do-these-changes-impact-me",
		"i-cant-transition-by-the-outbound-marketing-removal-date-can-i-request-an-extension",
		"what-will-happen-after-june-30-2025-will-outbound-marketing-stop-working",
		"what-will-happen-to-outbound-tables-and-data-when-outbound-marketing-is-removed",
		"why-arent-you-supporting-social-posting-in-real-time-journeys-do-you-have-a-recommendation-on-what-to-use-instead",
		"how-should-i-plan-for-the-transition",
		"what-about-my-outbound-marketing-features-that-are-currently-unavailable-in-real-time-journeys",
		"why-should-i-transition-to-real-time-journeys",
		"how-do-i-start-with-real-time-journeys",
		"where-can-i-get-help-setting-up-real-time-journeys",
		"will-transitioning-to-real-time-journeys-require-significant-retraining-due-to-a-new-user-interface",
		"whats-the-new-scale-of-real-time-journeys-and-how-does-it-compare-to-the-previous-level",
		"when-is-the-increased-scale-available-and-is-it-available-only-for-real-time-journeys",
		"are-there-any-additional-costs-associated-with-the-increased-scalability-level-what-is-the-implementation-process",
	}
	secs := c.Sections()
	if len(secs) != len(want) {
		t.Fatalf("got %d sections, want %d", len(secs), len(want))
	}
	for i, s := range secs {
		if s.Anchor != want[i] {
			t.Errorf("section %d anchor = %q, want %q", i, s.Anchor, want[i])
		}
		if s.URL != faqURL+"#"+want[i] {
			t.Errorf("section %d URL = %q", i, s.URL)
		}
		if s.Document != "transition-faqs.md" || s.Hash == "" || len(s.Passages) == 0 {
			t.Errorf("section %d: document %q, hash %q, %d passages", i, s.Document, s.Hash, len(s.Passages))
		}
		if !s.Date.Equal(time.Date(2025, 4, 14, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("section %d date = %v, want 2025-04-14", i, s.Date)
		}
	}
	if c.Documents[0].Title != "Real-time journeys transition FAQs" {
		t.Errorf("title = %q", c.Documents[0].Title)
	}
	if len(c.Version) != 12 {
		t.Errorf("version = %q", c.Version)
	}
}

// The FAQ links to two of its own sections; the anchors the parser makes
// must be exactly those, or the links in answers break.
func TestFAQSelfLinksResolve(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, anchor := range []string{
		"what-will-happen-after-june-30-2025-will-outbound-marketing-stop-working",
		"what-will-happen-to-outbound-tables-and-data-when-outbound-marketing-is-removed",
	} {
		if _, ok := c.Section("transition-faqs.md", anchor); !ok {
			t.Errorf("no section with anchor %q", anchor)
		}
		link := "(" + faqURL + "#" + anchor + ")"
		found := false
		for _, s := range c.Sections() {
			found = found || strings.Contains(s.Text, link)
		}
		if !found {
			t.Errorf("no section text links to %s", link)
		}
	}
}

func TestAnchor(t *testing.T) {
	tests := []struct{ heading, want string }{
		{"What changes to Dynamics 365 Customer Insights – Journeys did Microsoft recently announce?", "what-changes-to-dynamics-365-customer-insights--journeys-did-microsoft-recently-announce"},
		{"I'm a new customer", "im-a-new-customer"},
		{"What's new?", "whats-new"},
		{"snake_case and UPPER", "snake_case-and-upper"},
		{"Operating in multiple countries/regions and/or more", "operating-in-multiple-countriesregions-andor-more"},
		{"Ümlaut façade", "ümlaut-façade"},
	}
	for _, tt := range tests {
		if got := Anchor(tt.heading); got != tt.want {
			t.Errorf("Anchor(%q) = %q, want %q", tt.heading, got, tt.want)
		}
	}
}

func TestDuplicateHeadingsGetSuffixes(t *testing.T) {
	src := "# Title\n\n## Setup\n\none\n\n## Setup\n\ntwo\n\n### Setup\n\nthree\n\n## Setup-1\n\nfour\n"
	doc, err := Parse("dup.md", []byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range doc.Sections {
		got = append(got, s.Anchor)
	}
	want := []string{"setup", "setup-1", "setup-2", "setup-1-1"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("anchors = %v, want %v", got, want)
	}
}

func TestLearnSyntax(t *testing.T) {
	src := `---
title: Guide
ms.date: 02/12/2025
---

# Guide

> [!IMPORTANT]
> **Outbound marketing is removed on June 30, 2025.** See [overview](transition-overview.md).

This guide explains the migration.

## How do I migrate?

Read [the FAQ](transition-faqs.md#what-will-happen-after-june-30-2025-will-outbound-marketing-stop-working) and [this page](https://example.com/page), [a local anchor](#how-do-i-migrate) and [nowhere](javascript:alert(1)).

> [!TIP]
> Start small.

> [!div class="mx-imgBorder"]
> ![A screenshot](media/shot.png "Shot")

![Another picture](media/other.png)

[!INCLUDE [footer](./includes/footer.md)]

- Top item
    - Nested item
- Second item

| Feature | Outbound | Real-time |
|---|---|---|
| Forms | Yes | Yes |

<!-- a comment -->
`
	doc, err := Parse("guide.md", []byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Sections) != 2 {
		t.Fatalf("got %d sections, want the lead and one question", len(doc.Sections))
	}
	lead, s := doc.Sections[0], doc.Sections[1]
	if lead.Anchor != "" || !strings.HasPrefix(lead.Text, "Important: **Outbound marketing is removed") {
		t.Errorf("lead section = %q (anchor %q)", lead.Text, lead.Anchor)
	}
	if !strings.Contains(lead.Text, "[overview](https://learn.microsoft.com/en-us/dynamics365/customer-insights/journeys/transition-overview)") {
		t.Errorf("relative link not made absolute: %q", lead.Text)
	}
	for _, want := range []string{
		"[the FAQ](" + faqURL + "#what-will-happen-after-june-30-2025-will-outbound-marketing-stop-working)",
		"[this page](https://example.com/page)",
		"[a local anchor](https://learn.microsoft.com/en-us/dynamics365/customer-insights/journeys/guide#how-do-i-migrate)",
		"Tip: Start small.",
		"- Top item\n  - Nested item\n- Second item",
		"Feature | Outbound | Real-time\nForms | Yes | Yes",
	} {
		if !strings.Contains(s.Text, want) {
			t.Errorf("section text lacks %q:\n%s", want, s.Text)
		}
	}
	for _, unwanted := range []string{"javascript:", "INCLUDE", "[!div", "screenshot", "media/", "Another picture", "<!--", "[!TIP]"} {
		if strings.Contains(s.Text, unwanted) {
			t.Errorf("section text keeps %q:\n%s", unwanted, s.Text)
		}
	}
	if strings.Contains(s.Plain, "](") || strings.Contains(s.Plain, "**") {
		t.Errorf("plain text keeps markup: %q", s.Plain)
	}
	if doc.DateText != "02/12/2025" || doc.Date.Format("2006-01-02") != "2025-02-12" {
		t.Errorf("date = %q / %v", doc.DateText, doc.Date)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"bad-yaml.md", "---\ntitle: [unclosed\n---\n\n## Q\n\nA\n", "parse bad-yaml.md: front matter"},
		{"unclosed.md", "---\ntitle: x\n\n## Q\n\nA\n", "parse unclosed.md: front matter: no closing ---"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.name, []byte(tt.src), "")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%s) error = %v, want %q", tt.name, err, tt.want)
		}
	}
}
