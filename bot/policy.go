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

// rule matches a question when all of its patterns match (a pattern with
// context words keeps "extend a journey" from looking like a deadline).
type rule struct {
	reason Reason
	topic  string
	hint   string
	all    []*regexp.Regexp
	none   *regexp.Regexp
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

var (
	outboundCtx = re(`\b(outbound|obm|out-bound)\b`)
	deadlineCtx = re(`\b(deadline|date|removal|removed|remove|june|july|outbound|obm|sunset|retire\w*|cut-?off|in time|beyond|past|transition|migration)\b`)

	// policyRules are tried in order; the first that matches decides. Words
	// that only ever mean a deadline extension stand alone (in the languages
	// customers of this product write in); words that could mean something
	// else ("more time", "extend") need a deadline nearby.
	policyRules = []rule{
		{reason: ExtensionRequest, topic: "extension", hint: "request an extension to the removal date", all: []*regexp.Regexp{
			re(`\b(extensions?|verlängerung|verlängern|fristverlängerung|aufschub|prórroga|prorrogar|prolongation|prolonger|proroga|prorogare|verlenging|uitstel|prorrogação|ampliación del plazo|délai supplémentaire|mehr zeit|más tiempo|plus de temps|più tempo|meer tijd|mais tempo)\b|延長|延期`),
		}},
		{reason: ExtensionRequest, topic: "extension", hint: "request an extension to the removal date", all: []*regexp.Regexp{
			re(`\b((more|additional|extra) (time|months|weeks)|few more (months|weeks|days)|extend(ed|ing)?|postpon\w*|delay\w*|defer\w*|push(ed)? back|later (removal )?date|grace period|exception|slip\w*|won'?t be ready|will not be ready|not (be )?ready (by|in time)|miss(ing)? the (deadline|date)|can'?t (make|meet) (it|the deadline|the date))\b`),
			deadlineCtx,
		}},
		{reason: UnsupportedOutbound, topic: "LinkedIn lead generation", hint: "LinkedIn lead generation", all: []*regexp.Regexp{
			re(`\blinked ?in\b.*\b(leads?|lead gen\w*|forms?|integration|sync\w*)\b|\blead gen\w*\b.*\blinked ?in\b`),
		}},
		{reason: UnsupportedOutbound, topic: "social posting", hint: "social posting", all: []*regexp.Regexp{
			re(`\bsocial (post\w*|media|networks?|publishing)\b|\b(post|posting|publish\w*) (to|on) (linkedin|facebook|twitter|instagram|x)\b`),
		}},
		{reason: UnsupportedOutbound, topic: "re-enabling outbound", hint: "enable outbound marketing", all: []*regexp.Regexp{
			re(`\b(re-?enable|re-?activate|reinstate|restore|reinstall|bring (it |them )?back|turn (\w+ ){0,3}(back )?on|switch (\w+ ){0,3}back on|add (\w+ ){0,3}back|get (\w+ ){0,2}back|undo)\b`),
			outboundCtx,
		}},
		{reason: UnsupportedOutbound, topic: "outbound troubleshooting", hint: "", all: []*regexp.Regexp{
			re(`\b(errors?|failing|fails|failed|failure|broken|bug|crash\w*|stuck|not working|isn'?t working|aren'?t working|doesn'?t work|don'?t work|stopped working|won'?t (send|load|open|save|publish)|not (sending|loading|publishing)|troubleshoot\w*|(issue|problem) with|fix (it|this|our|my))\b`),
			outboundCtx,
		}},
		{reason: UnsupportedOutbound, topic: "outbound how-to", hint: "", all: []*regexp.Regexp{
			re(`\b(how (do|can|should|would) (i|we|you)|how to|help me|steps to|walk me through)\b.*\b(create|build|set ?up|configure|design|make|edit|send|schedule|publish|customi[sz]e)\b`),
			outboundCtx,
		},
			// Doing it in real-time journeys instead is a fair question.
			none: re(`\breal-?time\b`)},

		{reason: UserRequest, topic: "asked for a person", hint: "", all: []*regexp.Regexp{
			re(`\b(talk|speak|chat|connect me) (to|with) (a |an |some |your )?(human|person|people|someone|somebody|agent|representative|rep|engineer|team|support)\b|\b(real|actual|live) (person|human|agent)\b|\bhuman (please|agent|being)\b|\bask a human\b|\bescalate (this|it|me)?\b|\bopen a (support )?(ticket|case)\b`),
		}},
	}

	// injection finds text that tries to give the bot orders. It is removed
	// before retrieval; the answer never follows it.
	injection = re(`\b(ignore|disregard|forget|override)\b(\s+(all|any|the|your|my|of|previous|prior|above|earlier|former|system|these|those))*\s+(instructions?|rules|prompts?|guidelines|directions|above)\b(\s+and)?(\s+(say|tell( me)?|answer|respond|reply|write|state|confirm)(\s+that)?)?|\b(you are now|pretend (you are|to be)|act as|from now on you|system prompt|reveal your (instructions|prompt))\b`)
)

// Classify decides whether a question must go to people, and why.
func Classify(text string) Decision {
	d := Decision{Clean: text}
	if loc := injection.FindStringIndex(text); loc != nil {
		d.Injection = true
		d.Clean = strings.TrimSpace(injection.ReplaceAllString(text, " "))
	}
	for _, r := range policyRules {
		if matchAll(r.all, d.Clean) && (r.none == nil || !r.none.MatchString(d.Clean)) {
			d.Reason, d.Topic, d.Hint = r.reason, r.topic, r.hint
			break
		}
	}
	return d
}

func matchAll(res []*regexp.Regexp, s string) bool {
	for _, r := range res {
		if !r.MatchString(s) {
			return false
		}
	}
	return true
}
