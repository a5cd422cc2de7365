package slack

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/faqbot/faqbot/bot"
)

func TestMrkdwn(t *testing.T) {
	cites := []bot.Citation{{Title: "A", URL: "https://x.test/faq#a"}, {Title: "B", URL: "https://x.test/faq#b?x=1&y=2"}}
	tests := []struct{ in, want string }{
		{"**bold** and __also__", "*bold* and *also*"},
		{"an *italic* word", "an _italic_ word"},
		{"see [the doc](https://learn.microsoft.com/a_(b)) now", "see <https://learn.microsoft.com/a_(b)|the doc> now"},
		{"see [the doc](https://learn.microsoft.com/page) now", "see <https://learn.microsoft.com/page|the doc> now"},
		{"[a|b](https://x.test/?q=1&r=2)", "<https://x.test/?q=1&amp;r=2|a¦b>"},
		{"cited [1] and [2], not [3]", "cited <https://x.test/faq#a|[1]> and <https://x.test/faq#b?x=1&amp;y=2|[2]>, not [3]"},
		{"# Heading\ntext", "*Heading*\ntext"},
		{"- one\n  - nested\n* star", "• one\n  ◦ nested\n• star"},
		{"1 < 2 & 3 > 2", "1 &lt; 2 &amp; 3 &gt; 2"},
		{"<@U123> <!channel>", "&lt;@U123&gt; &lt;!channel&gt;"},
		{"2 * 3 * 4", "2 * 3 * 4"},
	}
	for _, tt := range tests {
		if got := mrkdwn(tt.in, cites); got != tt.want {
			t.Errorf("mrkdwn(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestSources(t *testing.T) {
	ans := bot.Answer{Answered: true, Citations: []bot.Citation{
		{Title: "Can I <keep> it?", URL: "https://x.test/faq#keep"},
		{Title: "Other | title", URL: "https://x.test/faq#other"},
	}}
	want := "*Sources*\n1. <https://x.test/faq#keep|Can I &lt;keep&gt; it?>\n2. <https://x.test/faq#other|Other ¦ title>"
	if got := sources(ans); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	ans.Answered = false
	if got := sources(ans); !strings.HasPrefix(got, "*Nearest sections* (they may not answer your question)") {
		t.Errorf("unanswered sources %q", got)
	}
	if got := sources(bot.Answer{}); got != "" {
		t.Errorf("no citations gave %q", got)
	}
}

func TestPlainTextAndMentions(t *testing.T) {
	tests := []struct{ in, bot, want string }{
		{"<@UBOT> what about <https://x.test|this page>?", "UBOT", "what about this page?"},
		{"hey <@UBOT>, Q&amp;A &lt;now&gt;", "UBOT", "hey , Q&A <now>"},
		{"<@UBOT|faqbot> hi", "", "hi"},
		{"ask <@U999> and <#C1|general> <https://x.test>", "UBOT", "ask <@U999> and <#C1|general> https://x.test"},
	}
	for _, tt := range tests {
		if got := plainText(stripMention(tt.in, tt.bot)); got != tt.want {
			t.Errorf("%q → %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestChunksAndTruncate(t *testing.T) {
	text := strings.Repeat("word ", 700) + "\n\n" + strings.Repeat("é", 2000) + "\n\nshort"
	parts := chunks(text, 3000)
	if strings.Join(parts, "") == "" || len(parts) < 3 {
		t.Fatalf("%d parts", len(parts))
	}
	total := 0
	for _, p := range parts {
		if len(p) > 3000 || !utf8.ValidString(p) {
			t.Errorf("part of %d bytes, valid %v", len(p), utf8.ValidString(p))
		}
		total += len(strings.ReplaceAll(p, "\n\n", ""))
	}
	if want := len(strings.ReplaceAll(text, "\n\n", "")); total != want {
		t.Errorf("chunks hold %d bytes, want %d", total, want)
	}
	if got := truncate("héllo wörld", 7); !utf8.ValidString(got) || len(got) > 7 || !strings.HasSuffix(got, "…") {
		t.Errorf("truncate gave %q", got)
	}
}
