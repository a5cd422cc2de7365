package teams

import (
	"fmt"
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// cardMessage is what a Teams Workflows "post to a channel when a webhook
// request is received" flow takes: a message whose attachment is an
// Adaptive Card.
type cardMessage struct {
	Type        string       `json:"type"`
	Attachments []attachment `json:"attachments"`
}

type attachment struct {
	ContentType string         `json:"contentType"`
	ContentURL  *string        `json:"contentUrl"` // null, as the Workflows template expects
	Content     map[string]any `json:"content"`
}

const (
	adaptiveCardType = "application/vnd.microsoft.card.adaptive"
	// workflowCardVersion is what Workflows' "post card" renders; the
	// RichTextBlock that carries people's text is older (1.2).
	workflowCardVersion = "1.4"
	// maxSourceActions keeps the card's buttons within what Teams shows in
	// one row; every source is also listed in the body.
	maxSourceActions = 5
)

// escalationCard is an escalation for the Workflows webhook: the same card
// the bot posts to its escalation channel. adminURL is the dashboard's
// address ("" for none), where a recorded escalation has its page.
func escalationCard(e bot.Escalation, adminURL string) cardMessage {
	body, actions := escalationBody(escalationView{
		ID:        e.ID,
		Reason:    reasonOf(e),
		Question:  e.Question,
		AskedIn:   transportLabel(e.Question.Transport),
		Answer:    e.Answer,
		Link:      e.Link,
		Dashboard: dashboardLink(adminURL, e.ID),
	})
	return cardMessage{
		Type: "message",
		Attachments: []attachment{{
			ContentType: adaptiveCardType,
			Content:     adaptiveCardOf(workflowCardVersion, body, actions),
		}},
	}
}

// escalationView is an escalation as an escalation channel shows it,
// whichever way it is posted.
type escalationView struct {
	// ID names the escalation for whoever resolves it; "" when it has none.
	ID       string
	Reason   bot.Reason
	Question bot.Question
	// By asked for a person on the asker's behalf ("Ask a human" on
	// someone else's answer); zero when it was the asker or the bot.
	By      bot.User
	AskedIn string
	Answer  bot.Answer
	// Link opens the conversation, when the platform gives one.
	Link string
	// Dashboard opens the escalation's page on the dashboard, when there
	// is one (dashboardLink).
	Dashboard string
}

// escalationBody is the one escalation card: who asked what, why the bot
// handed it on, what it answered and the sections it used. The bot's own
// wording goes in TextBlocks; anything people wrote (question, names) and
// the draft, which a model may have echoed from the question, go only in
// TextRuns, which Teams never reads as Markdown: a question cannot turn
// into a link, a mention or a heading in the escalation channel.
func escalationBody(v escalationView) (body, actions []any) {
	body = []any{textBlock("Question for the team: "+v.Reason.Label(), "Medium", true)}
	if v.ID != "" {
		body = append(body, plainText("Escalation", v.ID))
	}
	body = append(body, plainText("Asked by", askerLabel(v.Question.Asker)))
	if v.By.ID != "" && v.By.ID != v.Question.Asker.ID {
		body = append(body, plainText("Escalated by", askerLabel(v.By)))
	}
	body = append(body, plainText("Reason", fmt.Sprintf("%s (%s)", v.Reason.Label(), v.Reason)))
	if v.AskedIn != "" {
		body = append(body, plainText("Asked in", v.AskedIn))
	}
	answered := "no: the FAQ holds no confident answer"
	if v.Answer.Answered {
		answered = fmt.Sprintf("yes (%s)", v.Answer.Mode)
	}
	body = append(body, plainText("Answered from the FAQ", answered))
	if v.Answer.CorpusVersion != "" {
		body = append(body, plainText("FAQ version", v.Answer.CorpusVersion))
	}
	body = append(body,
		plainText("Question", orNone(v.Question.Text)),
		textBlock("Draft answer (already shown to the asker)", "", true),
		plainText("", orNone(v.Answer.Text)),
	)
	if len(v.Answer.Citations) > 0 {
		var list []string
		for i, c := range v.Answer.Citations {
			list = append(list, fmt.Sprintf("%d. %s", i+1, citationMarkdown(c)))
			if i < maxSourceActions {
				actions = append(actions, map[string]any{"type": "Action.OpenUrl", "title": fmt.Sprintf("[%d] %s", i+1, shorten(c.Title, 40)), "url": c.Link()})
			}
		}
		// Section titles and URLs come from the corpus, not from people.
		body = append(body, textBlock(bot.SourcesHeading, "", true), textBlock(strings.Join(list, "\n"), "", false))
	}
	if v.Link != "" {
		actions = append(actions, map[string]any{"type": "Action.OpenUrl", "title": "Open conversation", "url": v.Link})
	}
	if v.Dashboard != "" {
		actions = append(actions, map[string]any{"type": "Action.OpenUrl", "title": dashboardTitle, "url": v.Dashboard})
	}
	return body, actions
}

func reasonOf(e bot.Escalation) bot.Reason {
	if e.Reason != bot.NoEscalation {
		return e.Reason
	}
	return e.Answer.EscalationReason
}

func transportLabel(t string) string {
	switch t {
	case "teams":
		return "Microsoft Teams"
	case "slack":
		return "Slack"
	case "api":
		return "web API"
	case "cli":
		return "command line"
	}
	return t
}

func askerLabel(u bot.User) string {
	switch {
	case u.Name != "" && u.ID != "":
		return fmt.Sprintf("%s (%s)", u.Name, u.ID)
	case u.Name != "":
		return u.Name
	case u.ID != "":
		return u.ID
	}
	return "unknown"
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(none)"
	}
	return s
}

// shorten cuts s to at most n runes, marking the cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
