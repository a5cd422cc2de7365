package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/faqbot/faqbot/corpus"
)

func TestSectionSuggestions(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	ext := "i-cant-transition-by-the-outbound-marketing-removal-date-can-i-request-an-extension"
	calls := 0
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := &SectionSuggestions{
		Corpus: func() *corpus.Corpus { return c },
		Top: func(context.Context) ([]SectionCount, error) {
			calls++
			return []SectionCount{{Document: "transition-faqs.md", Anchor: ext, Count: 9}, {Document: "gone.md", Anchor: "x"}}, nil
		},
		Clock: func() time.Time { return now },
	}
	got := s.Suggest(context.Background(), 4)
	if len(got) != 4 {
		t.Fatalf("got %d suggestions, want 4: %+v", len(got), got)
	}
	if got[0].Title != "Can I request an extension?" || !strings.HasPrefix(got[0].Question, "I can't transition") {
		t.Errorf("first suggestion = %+v, want the most-cited section's question", got[0])
	}
	seen, titles := map[string]bool{}, map[string]bool{}
	for _, g := range got {
		if titles[g.Title] {
			t.Errorf("title %q offered twice", g.Title)
		}
		titles[g.Title] = true
		if _, ok := c.Section("transition-faqs.md", anchorOf(c, g.Question)); !ok {
			t.Errorf("%q is not a section of the FAQ", g.Question)
		}
		if n := utf8.RuneCountInString(g.Title); n > maxSuggestionTitle || n < 12 {
			t.Errorf("title %q has %d characters", g.Title, n)
		}
		if seen[g.Question] {
			t.Errorf("%q suggested twice", g.Question)
		}
		seen[g.Question] = true
	}
	s.Suggest(context.Background(), 4)
	if calls != 1 {
		t.Errorf("the store was asked %d times within %v, want once", calls, topSectionsTTL)
	}

	failing := &SectionSuggestions{Corpus: func() *corpus.Corpus { return c },
		Top: func(context.Context) ([]SectionCount, error) { return nil, errors.New("down") }}
	if got := failing.Suggest(context.Background(), 3); len(got) != 3 {
		t.Errorf("with a failing store: %d suggestions, want 3 in the FAQ's order", len(got))
	}
	if got := (&SectionSuggestions{Corpus: func() *corpus.Corpus { return nil }}).Suggest(context.Background(), 3); got != nil {
		t.Errorf("before the first index: %+v", got)
	}
}

func anchorOf(c *corpus.Corpus, title string) string {
	for _, s := range c.Sections() {
		if s.Title == title {
			return s.Anchor
		}
	}
	return ""
}

func TestShortQuestion(t *testing.T) {
	for in, want := range map[string]string{
		"What will happen after June 30, 2025? Will outbound marketing stop working?":                "Will outbound marketing stop working?",
		"How should I plan for the transition?":                                                      "How should I plan for the transition?",
		"What changes to Dynamics 365 Customer Insights – Journeys did Microsoft recently announce?": "What changes to Dynamics 365 Customer Insights – Journeys…",
	} {
		if got := shortQuestion(in); got != want {
			t.Errorf("shortQuestion(%q) = %q, want %q", in, got, want)
		}
	}
}
