package bot

import (
	"regexp"
	"strings"
)

// Decision is what the escalation policy made of a question.
type Decision struct {
	Reason Reason
	// Topic names what matched, for logs and the escalation message
	// (e.g. "extension", "social posting", "troubleshooting").
	Topic string
	// Hint is extra text for retrieval: the topic in the FAQ's own terms, so
	// that "Kann ich eine Verlängerung …?" still finds the extension section.
	Hint string
	// Injection is set when the question tries to instruct the bot; the
	// instruction is removed from Clean.
	Injection bool
	// Clean is the question without any injected instruction.
	Clean string
}

// injection finds text that tries to give the bot orders. It is removed
// before retrieval; the answer never follows it.
var injection = regexp.MustCompile(`\b(ignore|disregard|forget|override)\b(\s+(all|any|the|your|my|of|previous|prior|above|earlier|former|system|these|those))*\s+(instructions?|rules|prompts?|guidelines|directions|above)\b(\s+and)?(\s+(say|tell( me)?|answer|respond|reply|write|state|confirm)(\s+that)?)?|\b(you are now|pretend (you are|to be)|act as|from now on you|system prompt|reveal your (instructions|prompt))\b`)

// Classify decides whether a question must go to people, and why. It reads
// intents, not phrases: concepts (concepts.go) combined by proximity, so
// that "could you hold off the switch-off for us" and "is there any way to
// keep outbound running another quarter" are both extension requests.
func Classify(text string) Decision {
	d := Decision{Clean: text}
	// Patterns are lower-case; case-insensitive matching costs several
	// times more. Text is only rewritten when it tries to instruct.
	if lower := strings.ToLower(text); injectionGate.Open(lower) && injection.MatchString(lower) {
		d.Injection = true
		d.Clean = strings.TrimSpace(injection.ReplaceAllString(lower, " "))
	}
	i := readIntent(d.Clean)
	switch {
	case i.extension():
		d.Reason, d.Topic, d.Hint = ExtensionRequest, topicExtension, hintExtension
	case i.reenable():
		d.Reason, d.Topic, d.Hint = UnsupportedOutbound, topicReenable, hintReenable
	case i.socialHelp():
		d.Reason, d.Topic, d.Hint = UnsupportedOutbound, topicSocial, hintSocial
	case i.troubleshooting():
		d.Reason, d.Topic = UnsupportedOutbound, topicTroubleshooting
	case i.outboundHowTo():
		d.Reason, d.Topic = UnsupportedOutbound, topicHowTo
	case i.wantsPerson():
		d.Reason, d.Topic = UserRequest, topicPerson
	}
	return d
}

// learnedReason names why a question the learned model escalated goes to
// people: more time when the reason model says so (moreTime) or the
// question speaks of time, else from the concepts it holds.
func learnedReason(text string, moreTime bool) (Reason, string, string) {
	i := readIntent(text)
	switch {
	case moreTime || len(i.strongDefers)+len(i.feared)+len(i.timeAsks)+len(i.continuations) > 0:
		return ExtensionRequest, topicExtension, hintExtension
	case len(i.human) > 0:
		return UserRequest, topicPerson, ""
	case len(i.enable) > 0:
		return UnsupportedOutbound, topicReenable, hintReenable
	case len(i.social) > 0:
		return UnsupportedOutbound, topicSocial, hintSocial
	case len(i.problem) > 0:
		return UnsupportedOutbound, topicTroubleshooting, ""
	}
	return UnsupportedOutbound, topicHowTo, ""
}

// Hints: each topic in the FAQ's own terms, added to the search.
const (
	hintExtension = "request an extension to the removal date"
	hintReenable  = "enable outbound marketing"
	hintSocial    = "social posting LinkedIn lead generation removed"
)

// Topics of escalated questions, as the escalation message names them.
const (
	topicExtension       = "extension"
	topicReenable        = "re-enabling outbound"
	topicSocial          = "social posting and LinkedIn"
	topicTroubleshooting = "outbound troubleshooting"
	topicHowTo           = "building in outbound"
	topicPerson          = "asked for a person"
)
