package bot_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// One test per way answers went wrong on questions nobody wrote into the
// tests, each in wording of its own (not the labelled sets', not the
// issue's examples). They fail on the bot before the answerability model,
// the concept policy and the type-aware quotes.

func offlineAsk(t *testing.T, question string) bot.Answer {
	t.Helper()
	b, err := bot.New(faqStore(t), bot.Options{Clock: func() time.Time { return time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	a, err := b.Ask(context.Background(), bot.Question{Text: question})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// On-topic questions the FAQ does not answer are declined, not answered
// with quotes of a section that merely shares their words.
func TestDeclinesOnTopicQuestionsTheFAQDoesNotAnswer(t *testing.T) {
	for _, q := range []string{
		"Can real-time journeys split-test two subject lines and pick the winner?",
		"Which DNS records do I publish to authenticate my sending domain in real-time journeys?",
		"Is there a connector that pushes real-time journey events into Power Automate?",
	} {
		if a := offlineAsk(t, q); a.Answered || !strings.Contains(a.Text, "The FAQ doesn't cover this") {
			t.Errorf("%q: answered %v (confidence %.2f)\n%s", q, a.Answered, a.Confidence, a.Text)
		}
	}
}

// Asks to move the removal for us are extension requests however they
// are put.
func TestEscalatesExtensionRequestsInTheirOwnWords(t *testing.T) {
	for _, q := range []string{
		"Is there any chance our org stays on outbound through the end of the year?",
		"Could Microsoft leave outbound switched on for us until our autumn launch is done?",
		"We have a regulatory freeze until spring; can the outbound switch-off wait for us?",
	} {
		if a := offlineAsk(t, q); a.EscalationReason != bot.ExtensionRequest || !a.Answered {
			t.Errorf("%q: escalation %q answered %v", q, a.EscalationReason, a.Answered)
		}
	}
}

// Asks to do, fix or get back something of outbound, social posting or
// LinkedIn are handed over without the words "error" or "not working".
func TestEscalatesOutboundHelpInTheirOwnWords(t *testing.T) {
	for _, q := range []string{
		"How do I queue a LinkedIn update from the marketing app?",
		"our outbound welcome email went out to nobody this morning",
		"Please bring the outbound area back in our copied sandbox",
	} {
		if a := offlineAsk(t, q); a.EscalationReason != bot.UnsupportedOutbound {
			t.Errorf("%q: escalation %q", q, a.EscalationReason)
		}
	}
}

// withoutNotes is an answer's quotes: the date notes and related links
// say things the quotes must say themselves.
func withoutNotes(text string) string {
	var keep []string
	for _, p := range strings.Split(text, "\n\n") {
		if strings.HasPrefix(p, "(Today is") || strings.HasPrefix(p, "Related:") || strings.HasPrefix(p, "As of the FAQ") {
			continue
		}
		keep = append(keep, p)
	}
	return strings.Join(keep, "\n\n")
}

// The quote is the sentence that answers: a "when" question gets the
// sentence with the date; "will X keep working" gets what becomes of X
// everywhere the FAQ says, not only the reassuring half.
func TestQuotesTheSentenceThatAnswers(t *testing.T) {
	tests := []struct{ q, want string }{
		{"When did outbound marketing go away?", "June 30, 2025"},
		{"Do our outbound forms keep working once outbound is removed?", "continue to work"},
		{"Do our outbound forms keep working once outbound is removed?", "recreated"},
		{"How long does it take Microsoft to switch on the larger scale once we ask?", "two weeks"},
	}
	for _, tt := range tests {
		a := offlineAsk(t, tt.q)
		if quotes := withoutNotes(a.Text); !strings.Contains(quotes, tt.want) {
			t.Errorf("%q: the quotes lack %q:\n%s", tt.q, tt.want, a.Text)
		}
	}
}

// A quote never starts mid-thought: what "this" or "these" points back to
// is quoted too.
func TestQuotesAreSelfContained(t *testing.T) {
	dangling := regexp.MustCompile(`(?m)^(?:- )?(?:This|These|That|Those|It|They) `)
	for _, q := range []string{
		"Where is the Enable link for outbound and when does it show up?",
		"By when must customers move to real-time journeys?",
		"Can marketing lists be used after the removal?",
		"What happens to the outbound segment members?",
	} {
		a := offlineAsk(t, q)
		for _, para := range strings.Split(withoutNotes(a.Text), "\n\n") {
			if dangling.MatchString(para) {
				t.Errorf("%q: a quote starts mid-thought:\n%s", q, para)
			}
		}
	}
}

// A second section is quoted only when it adds to the same answer.
func TestNoOffTopicSecondQuote(t *testing.T) {
	a := offlineAsk(t, "Will the forms on our web pages keep working after the removal?")
	if strings.Contains(a.Text, "style your emails and forms") {
		t.Errorf("an off-topic quote was padded on:\n%s", a.Text)
	}
}

// "A few months after outbound marketing is removed" is read against the
// removal date the FAQ gives and today's date.
func TestRelativeDeadlinesReadAsPassed(t *testing.T) {
	a := offlineAsk(t, "is the tool for importing outbound emails still available")
	if !strings.Contains(a.Text, "import email tool") || !strings.Contains(a.Text, "counts from the removal on June 30, 2025, so that period has ended") {
		t.Errorf("the relative deadline is presented as upcoming:\n%s", a.Text)
	}
}

// Fixed text says what faqbot does, never a fact about the product that a
// later FAQ may contradict.
func TestFixedTextStatesNoProductFacts(t *testing.T) {
	productFact := regexp.MustCompile(`(?i)case.by.case|microsoft (evaluates|decides|approves|grants)|\b20\d\d\b|june|extensions? (are|is) (granted|approved|evaluated)`)
	for _, q := range []string{
		"We need more time before outbound goes, please extend it for us",
		"Can you turn outbound back on in our tenant?",
		"I want to talk to a person",
		"What's the capital of Peru?",
	} {
		a := offlineAsk(t, q)
		var fixed []string
		for _, p := range strings.Split(a.Text, "\n\n") {
			if strings.HasPrefix(p, "A person needs to handle this") || strings.HasPrefix(p, "The FAQ doesn't cover this") {
				fixed = append(fixed, p)
			}
		}
		if len(fixed) == 0 && a.Escalate {
			t.Errorf("%q: escalated without saying so:\n%s", q, a.Text)
		}
		for _, p := range fixed {
			if productFact.MatchString(p) {
				t.Errorf("%q: fixed text states a product fact: %q", q, p)
			}
		}
	}
}
