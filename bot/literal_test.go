package bot

import (
	"regexp"
	"testing"
)

func TestRequiredLiteral(t *testing.T) {
	tests := []struct{ pattern, want string }{
		{`extensions?`, "extension"},
		{`d[ée]cal(?:er|é|e|ez)`, "cal"},
		{`(?:can'?t|cannot) (?:\w+ ){0,3}any ?more`, "more"},
		{`(?:a|b)`, ""},
		{`(?:later|new)(?: \w+)? (?:date|deadline)`, " "},
		{`push(?:ed|ing)?(?: \w+){0,5} back`, " back"},
		{`(?:hello)+ world`, " world"},
	}
	for _, tt := range tests {
		got := requiredLiteral(tt.pattern)
		if got != tt.want {
			t.Errorf("requiredLiteral(%q) = %q, want %q", tt.pattern, got, tt.want)
		}
	}
}

// Every phrase of every concept that has a required literal is never
// matched by text without it: the shortcut changes no decision.
func TestRequiredLiteralIsRequired(t *testing.T) {
	texts := []string{
		"can't make it anymore", "wont budge any more", "décaler la date", "please push the removal date back",
		"we are not going to be ready by june 30", "kunnen jullie dat repareren", "o formulário parou de funcionar",
	}
	for _, c := range []concept{strongDefer, timeAsk, continuation, removalTarget, problem, doing, reenable, human, strongRequest, request, task, info} {
		for _, p := range c.prefixed {
			for _, text := range texts {
				if regexp.MustCompile(p.re.String()).MatchString(text) && !containsLiteral(text, p.literal) {
					t.Errorf("%s: %q matches %q without its literal %q", c.name, p.re, text, p.literal)
				}
			}
		}
	}
}

func containsLiteral(text, lit string) bool {
	return len(lit) == 0 || regexp.MustCompile(regexp.QuoteMeta(lit)).MatchString(text)
}
