package teams

import (
	"testing"

	"github.com/faqbot/faqbot/bot"
)

func TestAnswerMarkdown(t *testing.T) {
	cite := func(title, url string) bot.Citation { return bot.Citation{Title: title, URL: url} }
	tests := []struct {
		name string
		a    bot.Answer
		note string
		want string
	}{
		{
			name: "answer with sources",
			a: bot.Answer{Text: "Removed after June 30 [1], data stays [2].", Answered: true, Citations: []bot.Citation{
				cite("When?", "https://learn.example/faq#when"), cite("Data?", "https://learn.example/faq#data"),
			}},
			want: "Removed after June 30 [1], data stays [2].\n\n**Sources**\n\n1. [When?](https://learn.example/faq#when)\n2. [Data?](https://learn.example/faq#data)",
		},
		{
			name: "note before sources",
			a:    bot.Answer{Text: "Ask Microsoft [1].", Answered: true, Escalate: true, Citations: []bot.Citation{cite("Extension", "https://x/#e")}},
			note: "I've passed your question to the team.",
			want: "Ask Microsoft [1].\n\nI've passed your question to the team.\n\n**Sources**\n\n1. [Extension](https://x/#e)",
		},
		{
			name: "abstention names nearest sections",
			a:    bot.Answer{Text: "The FAQ doesn't cover this.", Citations: []bot.Citation{cite("Near", "https://x/#n")}},
			want: "The FAQ doesn't cover this.\n\n**Nearest sections**\n\n1. [Near](https://x/#n)",
		},
		{
			name: "no citations",
			a:    bot.Answer{Text: "  Nothing.  "},
			want: "Nothing.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := answerMarkdown(tt.a, tt.note); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestMarkdownLink(t *testing.T) {
	tests := []struct{ title, url, want string }{
		{"Plain", "https://x/#a", "[Plain](https://x/#a)"},
		{"Use [brackets] \\ here", "https://x/a b(c)", `[Use \[brackets\] \\ here](https://x/a%20b%28c%29)`},
		{"", "https://x/", "[https://x/](https://x/)"},
	}
	for _, tt := range tests {
		if got := markdownLink(tt.title, tt.url); got != tt.want {
			t.Errorf("markdownLink(%q, %q) = %q, want %q", tt.title, tt.url, got, tt.want)
		}
	}
}
