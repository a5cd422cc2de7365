package redact

import (
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://learn.microsoft.com/en-us/faq.md", "https://learn.microsoft.com/en-us/faq.md"},
		{"https://user:s3cret@docs.example.com/faq.md", "https://docs.example.com/faq.md"},
		{"https://ghp_T0KEN@raw.githubusercontent.com/o/r/main/faq.md", "https://raw.githubusercontent.com/o/r/main/faq.md"},
		{"https://docs.example.com/faq.md?token=s3cret&sig=abc&sig=def", "https://docs.example.com/faq.md?REDACTED"},
		{"https://docs.example.com/faq.md?s3cret", "https://docs.example.com/faq.md?REDACTED"},
		{"https://docs.example.com/faq.md#frag-s3cret", "https://docs.example.com/faq.md"},
		{"http://user:pa ss@host/%zz", "(a URL that does not parse)"},
		{"https:user:s3cret@host", "https:REDACTED"},
		{"/srv/faq/transition-faqs.md", "/srv/faq/transition-faqs.md"},
		{"embedded:transition-faqs.md", "embedded:transition-faqs.md"},
		{"postgres://faqbot:s3cret@db:5432/faqbot?sslmode=require", "postgres://db:5432/faqbot?REDACTED"},
		{"", ""},
	}
	for _, tt := range tests {
		got := URL(tt.in)
		if got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if strings.Contains(got, "s3cret") || strings.Contains(got, "T0KEN") {
			t.Errorf("URL(%q) = %q still shows a credential", tt.in, got)
		}
	}
}
