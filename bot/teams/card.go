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
	ContentType string       `json:"contentType"`
	ContentURL  *string      `json:"contentUrl"` // null, as the Workflows template expects
	Content     adaptiveCard `json:"content"`
}

type adaptiveCard struct {
	Schema  string    `json:"$schema"`
	Type    string    `json:"type"`
	Version string    `json:"version"`
	Body    []element `json:"body"`
	Actions []action  `json:"actions,omitempty"`
	MSTeams msteams   `json:"msteams"`
}

// element is a TextBlock or a FactSet.
type element struct {
	Type      string `json:"type"`
	Text      string `json:"text,omitempty"`
	Size      string `json:"size,omitempty"`
	Weight    string `json:"weight,omitempty"`
	Wrap      bool   `json:"wrap,omitempty"`
	Separator bool   `json:"separator,omitempty"`
	Facts     []fact `json:"facts,omitempty"`
}

type fact struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

// action is always Action.OpenUrl: the only action that needs no bot
// behind the card.
type action struct {
	Type  string `json:"type"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

type msteams struct {
	Width string `json:"width"`
}

const (
	adaptiveCardType = "application/vnd.microsoft.card.adaptive"
	// maxSourceActions keeps the card's buttons within what Teams shows in
	// one row; every source is also listed in the body.
	maxSourceActions = 5
)

// escalationCard shows the team who asked what, why the bot handed it on,
// what the bot answered and the sections it used.
func escalationCard(e bot.Escalation) cardMessage {
	reason := reasonOf(e)
	body := []element{
		{Type: "TextBlock", Text: "Question for the team: " + reason.Label(), Size: "Medium", Weight: "Bolder", Wrap: true},
		{Type: "FactSet", Facts: facts(e, reason)},
		{Type: "TextBlock", Text: "Question", Weight: "Bolder", Separator: true},
		{Type: "TextBlock", Text: e.Question.Text, Wrap: true},
		{Type: "TextBlock", Text: "Draft answer (already shown to the asker)", Weight: "Bolder", Separator: true},
		{Type: "TextBlock", Text: orNone(e.Answer.Text), Wrap: true},
	}
	var actions []action
	if len(e.Answer.Citations) > 0 {
		var list []string
		for i, c := range e.Answer.Citations {
			list = append(list, fmt.Sprintf("%d. %s", i+1, citationMarkdown(c)))
			if i < maxSourceActions {
				actions = append(actions, action{Type: "Action.OpenUrl", Title: fmt.Sprintf("[%d] %s", i+1, shorten(c.Title, 40)), URL: c.Link()})
			}
		}
		body = append(body,
			element{Type: "TextBlock", Text: "Sources", Weight: "Bolder", Separator: true},
			element{Type: "TextBlock", Text: strings.Join(list, "\n"), Wrap: true})
	}
	if e.Link != "" {
		actions = append(actions, action{Type: "Action.OpenUrl", Title: "Open conversation", URL: e.Link})
	}
	return cardMessage{
		Type: "message",
		Attachments: []attachment{{
			ContentType: adaptiveCardType,
			Content: adaptiveCard{
				Schema:  "http://adaptivecards.io/schemas/adaptive-card.json",
				Type:    "AdaptiveCard",
				Version: "1.4",
				Body:    body,
				Actions: actions,
				MSTeams: msteams{Width: "Full"},
			},
		}},
	}
}

func facts(e bot.Escalation, reason bot.Reason) []fact {
	fs := []fact{
		{Title: "Asked by", Value: askerLabel(e.Question.Asker)},
		{Title: "Reason", Value: fmt.Sprintf("%s (%s)", reason.Label(), reason)},
	}
	if e.Question.Transport != "" {
		fs = append(fs, fact{Title: "Asked in", Value: transportLabel(e.Question.Transport)})
	}
	answered := "no: the FAQ holds no confident answer"
	if e.Answer.Answered {
		answered = fmt.Sprintf("yes (%s)", e.Answer.Mode)
	}
	fs = append(fs, fact{Title: "Answered from the FAQ", Value: answered})
	if e.Answer.CorpusVersion != "" {
		fs = append(fs, fact{Title: "FAQ version", Value: e.Answer.CorpusVersion})
	}
	return fs
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
