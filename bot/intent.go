package bot

import (
	"strings"
	"unicode/utf8"

	"github.com/faqbot/faqbot/internal/literal"
)

// intent is which concepts a question holds and where.
type intent struct {
	strongDefers, timeAsks, continuations []mention
	// feared are deferrals only supposed ("if we're not done by the
	// deadline, …"): an ask unless the question only asks what happens.
	feared                               []mention
	removal, outbound, realTime, migrate []mention
	// realTimeTopic are the mentions of real-time journeys that are what
	// the question is about, not advice quoted ("a dialog tells me to use
	// real-time journeys").
	realTimeTopic []mention
	// doingAffirmed are the mentions of doing not denied ("we are not
	// trying to post anything").
	doingAffirmed                        []mention
	problem, doing, task, enable, social []mention
	future, info, reasons, human         []mention
	request, strongRequest               []mention
}

// proximity is how many words apart two concepts may be and still speak of
// one thing: about a clause.
const proximity = 12

// task is asking to get something done, as opposed to asking whether it
// can be: "we need to build an outbound journey" versus "can I still create
// outbound emails?".
var task = newConcept("task", with(w(
	`how (?:do|can|should|would|could|to) (?:i|we|you|one)?`, `how (?:i|we)(?: can| do| should| could)?`, `how to`, `steps?`, `walk (?:me|us) through`, `guide (?:me|us)`,
	`(?:need|needs|want|wants|trying|try|tries|have|has|planning|going|got) to (?:build|create|set ?up|configure|send|schedule|change|edit|add|publish|republish|update|launch|run|make|design|modify|copy|clone|fix|get)`,
	`(?:can|could|would|will) (?:you|someone|somebody|anyone|microsoft|ms|support)(?: please)? (?:set|create|build|configure|send|schedule|change|add|publish|enable|activate|turn|restore|fix|check|get|sort|look|update|help|investigate|disable|remove|hide|switch|stop|raise|increase|lift|clone|copy|duplicate|spin|undo|rerun|edit|reconnect|resend|recreate|install)`,
	`(?:needs?|wants?) (?:the |our |it |this |that |them )?(?:\w+ ){0,6}(?:updated|changed|fixed|built|created|set up|edited|cloned|copied|duplicated|published|scheduled|added)`,
	`please (?:set|create|build|configure|send|schedule|change|add|publish|enable|activate|turn|restore|fix|check|get|sort|update|help|investigate|look)`,
	`help(?: me| us)?`, `helfen`, `helpen`, `aider`, `ayud\w+`, `what (?:do|should) (?:i|we) do`,
	`(?:spin|stand|whip|put)(?: \w+){0,2} (?:up|together)`,
	`(?:'d|would) like to (?:build|create|set ?up|configure|send|schedule|change|edit|add|publish|republish|update|launch|run|make|design|modify|copy|clone|reuse|duplicate)`,
	`(?:what'?s|what is|what are) the (?:procedure|process|steps?|way) (?:for|to)`,
	`wat (?:moet|moeten|kan|kunnen) (?:ik|we|wij) doen`, `was (?:muss|müssen|soll|sollen|kann|können) (?:ich|wir) (?:tun|machen)`, `que (?:dois|devons)-(?:je|nous) faire`, `qu[ée] (?:debo|debemos|tengo que|tenemos que) hacer`,
	`comment (?:je|on|nous|est-ce qu)`, `c[óo]mo (?:lo|la|los|las|le|les|me|nos|se) \w+`, `(?:los|the) (?:pasos|steps)`, `(?:die )?schritte`, `(?:de )?stappen`, `(?:les )?étapes`, `where (?:is|are) the (?:button|option|setting)`, `cannot find`, `can'?t find`,
	`wie (?:kann|können|kriegen|bekommen|mache|machen|geht)`, `kannst du`, `können sie`, `könnt ihr`, `bitte`, `jak (?:to )?(?:ustawić|zrobić|skonfigurować|utworzyć|zmienić)`, `hoe (?:kan|moet|krijg|krijgen|doe)`, `comment (?:faire|cr[ée]er|configurer|puis-je|pouvons-nous|on fait)`, `c[óo]mo (?:puedo|podemos|hago|hacemos|configuro|creo)`, `qu[ée] hago`, `que faire`, `on fait comment`, `une id[ée]e`), "please_set_up"))

// generic ends text that makes what follows general ("when you try to …").
var generic = literal.MustCompile(`(?:^|[^\p{L}])(?:you|one|people|anyone)\s*$`)

// hypothetical ends text that makes a problem only feared ("don't want
// things to break", "if it fails").
var hypothetical = literal.MustCompile(`(?:^|[^\p{L}])(?:don'?t want|dont want|do not want|avoid|prevent|without|worried|afraid|risk|if|unless|might|could|would|will|may|in case|going to|gonna|about to)(?:\s+\S+){0,6}\s*$`)

// conditional ends text that makes what follows a supposition ("if we're
// not done by the deadline").
var conditional = literal.MustCompile(`(?:^|[^\p{L}])(?:if|in case|unless|suppose|supposing|should)(?:\s+\S+){0,8}\s*$`)

// negated ends text that denies what follows ("and not wait until the
// last moment").
var negated = literal.MustCompile(`(?:^|[^\p{L}])(?:not|don'?t|do not|never|no need to|without)(?:\s+\S+)?\s*$`)

// tail is the last words before a match, enough for generic and
// hypothetical to read, so that checking them stays cheap however long the
// question.
func tail(before string) string {
	const n = 80
	if len(before) <= n {
		return before
	}
	i := len(before) - n
	for i < len(before) && !utf8.RuneStart(before[i]) {
		i++
	}
	return before[i:]
}

// readIntent finds the concepts in a question.
func readIntent(text string) intent {
	text = strings.ToLower(text)
	starts := wordStarts(text)
	var grams grams
	grams.fill(text)
	g := &grams
	find := func(c concept) []mention { return mentions(c, text, g, starts, nil) }
	// "when you try to create …" describes, it does not ask.
	taskMentions := mentions(task, text, g, starts, func(before string) bool { return !generic.MatchString(tail(before)) })
	// "don't want things to break" fears a problem, it has none.
	problems := mentions(problem, text, g, starts, func(before string) bool { return !hypothetical.MatchString(tail(before)) })
	// A bare order ("turn it on") is a request and a task.
	orders := imperatives(text, starts)
	realTimes := find(realTime)
	doings := find(doing)
	return intent{
		strongDefers:  mentions(strongDefer, text, g, starts, func(before string) bool { return !conditional.MatchString(tail(before)) }),
		feared:        mentions(strongDefer, text, g, starts, func(before string) bool { return conditional.MatchString(tail(before)) }),
		timeAsks:      mentions(timeAsk, text, g, starts, func(before string) bool { return !negated.MatchString(tail(before)) }),
		continuations: find(continuation),
		removal:       find(removalTarget),
		outbound:      find(outboundThing), realTime: realTimes, realTimeTopic: notAdvice(text, starts, realTimes), migrate: find(migration),
		problem: problems, doing: doings, doingAffirmed: notDenied(text, starts, doings), task: append(taskMentions, orders...), enable: find(reenable), social: find(social),
		future: find(future), info: find(info), reasons: find(reasons), human: find(human), request: append(find(request), orders...), strongRequest: append(find(strongRequest), orders...),
	}
}

// extension: asking for the removal to come later for us.
func (i intent) extension() bool {
	if len(i.strongDefers) > 0 || (len(i.feared) > 0 && len(i.info) == 0) {
		return true
	}
	switch {
	case near(i.timeAsks, i.removal, proximity) && len(i.request) > 0:
		return true
	// More time for the move itself: "we're half moved over, a couple
	// more months for us?"
	case near(i.timeAsks, i.migrate, proximity) && len(i.request) > 0 && len(i.info) == 0:
		return true
	case near(i.continuations, i.outbound, proximity) && len(i.strongRequest) > 0:
		return true
	}
	return false
}

// reenable: asking for outbound to be turned (back) on or added.
func (i intent) reenable() bool {
	if len(i.enable) == 0 || len(i.outbound) == 0 || len(i.future) > 0 {
		return false
	}
	// "Comment je réactive …?" asks to do it as much as "can you …?".
	return (near(i.enable, i.outbound, proximity) && len(i.request)+len(i.problem)+len(i.task) > 0) || len(i.strongRequest) > 0
}

// socialHelp: asking to do, fix or get back social posting or LinkedIn
// lead generation, which left with outbound. Any ask to act in a question
// about them counts: these questions are short and about one thing.
func (i intent) socialHelp() bool {
	if len(i.social) == 0 {
		return false
	}
	// Asking why, what instead or whether it comes back is information,
	// unless the same message also asks to post or fix something there:
	// "our LinkedIn forms stopped syncing, can you reconnect them? and is
	// LinkedIn coming back?" is both.
	if len(i.future) > 0 || len(i.reasons) > 0 {
		return near(i.social, i.problem, proximity/2) || (len(i.strongRequest) > 0 && near(i.social, i.task, proximity/2))
	}
	return len(outside(i.doingAffirmed, i.social)) > 0 || len(i.problem)+len(i.enable)+len(i.task)+len(i.strongRequest) > 0
}

// troubleshooting: something built in outbound does not work. A problem
// nearer to real-time journeys is about the new product ("real-time
// doesn't do X the way outbound did"), and one only feared ("don't want
// things to break") is no problem yet. A long report may state the
// problem far from where it names outbound; a plea for help binds them.
func (i intent) troubleshooting() bool {
	// "Do we lose our data?" asks whether a loss happens; it reports none.
	problems := closerTo(outside(i.problem, i.info), i.outbound, i.realTimeTopic)
	if len(problems) == 0 || (len(i.info) > 0 && len(i.strongRequest) == 0) {
		return false
	}
	return near(i.outbound, problems, proximity) || len(i.strongRequest) > 0
}

// outboundHowTo: asking to build or change something in outbound. Doing
// it in real-time journeys instead, or moving it there, is a fair question
// for the FAQ.
func (i intent) outboundHowTo() bool {
	if (len(i.info) > 0 && len(i.strongRequest) == 0) || near(i.migrate, i.task, proximity) {
		return false
	}
	doing := closerTo(i.doing, i.outbound, i.realTime)
	// A long request may name the outbound thing once and then speak of
	// "that event"; a firm ask with no word of real-time binds them.
	bound := near(i.outbound, i.task, proximity) || (len(i.strongRequest) > 0 && len(i.realTime) == 0)
	return bound && len(i.task) > 0 && len(doing) > 0 && (near(i.outbound, doing, proximity) || len(i.realTime) == 0)
}

func (i intent) wantsPerson() bool { return len(i.human) > 0 }

// closerTo keeps the mentions of xs nearer to some mention of a than to
// any mention of b.
func closerTo(xs, a, b []mention) []mention {
	var out []mention
	for _, x := range xs {
		if distance(x, a) < distance(x, b) {
			out = append(out, x)
		}
	}
	return out
}

// distance is how many words lie between x and the nearest of ms (a large
// number when ms is empty).
func distance(x mention, ms []mention) int {
	best := 1 << 30
	for _, m := range ms {
		d := 0
		switch {
		case m.to < x.from:
			d = x.from - m.to
		case x.to < m.from:
			d = m.from - x.to
		}
		best = min(best, d)
	}
	return best
}

// useVerbs introduce advice to use something.
var useVerbs = map[string]bool{
	"use": true, "using": true, "utiliser": true, "d'utiliser": true, "usar": true, "utilizar": true,
	"nutzen": true, "verwenden": true, "gebruiken": true, "usare": true, "utilizzare": true,
}

// notAdvice drops the mentions that follow a verb of using within three
// words: "telling me to use real-time journeys" quotes advice.
func notAdvice(text string, starts []int, ms []mention) []mention {
	var out []mention
	for _, m := range ms {
		advice := false
		for w := max(0, m.from-3); w < m.from && w < len(starts); w++ {
			advice = advice || useVerbs[wordFrom(text, starts[w])]
		}
		if !advice {
			out = append(out, m)
		}
	}
	return out
}

// denials turn what follows them into what is not done.
var denials = map[string]bool{
	"not": true, "never": true, "no": true, "don't": true, "dont": true, "aren't": true, "arent": true,
	"isn't": true, "isnt": true, "won't": true, "wont": true, "nicht": true, "niet": true, "pas": true,
}

// notDenied drops the mentions with a denial up to three words before.
func notDenied(text string, starts []int, ms []mention) []mention {
	var out []mention
	for _, m := range ms {
		denied := false
		for w := max(0, m.from-3); w < m.from && w < len(starts); w++ {
			denied = denied || denials[wordFrom(text, starts[w])]
		}
		if !denied {
			out = append(out, m)
		}
	}
	return out
}
