package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
)

func TestFAQDraftTemplate(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  bot.DraftSource
		want []string
		not  []string
	}{
		{
			name: "a gap with a person's answer",
			src: bot.DraftSource{
				Questions: []string{" ## Can I export\nmy templates to PDF? ##", "export templates to pdf -->", ""},
				Answers:   []string{"Use **Save as PDF** in the designer.", "  "},
				Nearest:   &bot.SectionRef{Anchor: "email", Title: "Email --> content", Document: "transition-faqs.md"},
			},
			want: []string{
				"<!-- DRAFT for the FAQ from 2 questions askers asked and 1 answer by people. Review before publishing. -->",
				"\n## Can I export my templates to PDF?\n\nUse **Save as PDF** in the designer.\n",
				"Also asked as:\n- export templates to pdf - ->\n",
				"Nearest existing section: Email - -> content (transition-faqs.md#email)",
			},
		},
		{
			name: "no answer yet",
			src:  bot.DraftSource{Questions: []string{"What is the price?"}},
			want: []string{"from 1 question askers asked and 0 answers by people", "## What is the price?\n\n_No one has answered this yet"},
			not:  []string{"Also asked as", "Nearest existing section"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := bot.NewFAQDraft(context.Background(), nil, tc.src)
			for _, w := range tc.want {
				if !strings.Contains(d.Markdown, w) {
					t.Errorf("draft lacks %q:\n%s", w, d.Markdown)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(d.Markdown, n) {
					t.Errorf("draft has %q:\n%s", n, d.Markdown)
				}
			}
			// Text from askers never closes the marking comment early.
			if strings.Count(d.Markdown, "-->") != strings.Count(d.Markdown, "<!--") {
				t.Errorf("unbalanced comments:\n%s", d.Markdown)
			}
			if d.Writer != "" {
				t.Errorf("template draft claims a writer %q", d.Writer)
			}
		})
	}
}
