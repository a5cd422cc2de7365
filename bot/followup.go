package bot

import (
	"regexp"

	"github.com/faqbot/faqbot/retrieval"
)

var followUpStart = regexp.MustCompile(`(?i)^\s*(and|also|what about|how about|same for|and for|and what|what if|ok|okay|so|then|but)\b`)
var pronoun = regexp.MustCompile(`(?i)\b(it|its|that|this|these|those|they|them|there)\b`)

// isFollowUp guesses whether a question leans on the one before it: it opens
// like a continuation, or it is short and points back with a pronoun, or it
// has hardly any words of its own.
func isFollowUp(text string) bool {
	n := len(retrieval.Terms(text))
	return followUpStart.MatchString(text) || n <= 2 || (n <= 5 && pronoun.MatchString(text))
}
