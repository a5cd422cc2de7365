package teams

import (
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// The bot's answer as Teams shows AI answers
// (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-ai-bot-messages):
// the text keeps its [n] markers, each citation is a numbered claim with
// the section's title and URL, a model-written answer carries the "AI
// generated" label, the feedback buttons are Teams' own, and a card holds
// "Ask a human".

// Limits Teams sets on citations.
const (
	maxCitations        = 20
	maxCitationName     = 80
	maxCitationAbstract = 160
)

// askHumanVerb names the "Ask a human" action, in Action.Execute's verb and
// in the data of its Action.Submit fallback.
const askHumanVerb = "askHuman"

// messageEntity is the schema.org Message entity that carries the AI label
// and the citations; a message has at most one.
type messageEntity struct {
	Type           string          `json:"type"`
	AtType         string          `json:"@type"`
	Context        string          `json:"@context"`
	ID             string          `json:"@id"`
	AdditionalType []string        `json:"additionalType,omitempty"`
	Citation       []citationClaim `json:"citation,omitempty"`
}

type citationClaim struct {
	Type       string             `json:"@type"` // "Claim"
	Position   int                `json:"position"`
	Appearance citationAppearance `json:"appearance"`
}

type citationAppearance struct {
	Type     string `json:"@type"` // "DigitalDocument"
	Name     string `json:"name"`
	URL      string `json:"url,omitempty"`
	Abstract string `json:"abstract"`
}

// answerActivity is the reply carrying answer a, then note (what became of
// an escalation) when there is one. askHuman adds the "Ask a human" button.
func answerActivity(a bot.Answer, note string, askHuman bool) outActivity {
	text := strings.TrimSpace(a.Text)
	if note != "" {
		text += "\n\n" + note
	}
	out := textActivity(text)
	entity := messageEntity{Type: "https://schema.org/Message", AtType: "Message", Context: "https://schema.org"}
	if a.Mode == bot.ModeLLM {
		// Quotes from the FAQ are not AI-generated; only a model's text is
		// labelled as such.
		entity.AdditionalType = []string{"AIGeneratedContent"}
	}
	for i, c := range a.Citations {
		if i == maxCitations {
			break
		}
		entity.Citation = append(entity.Citation, citationClaim{
			Type:     "Claim",
			Position: i + 1,
			Appearance: citationAppearance{
				Type:     "DigitalDocument",
				Name:     shorten(firstNonEmpty(c.Title, c.URL), maxCitationName),
				URL:      c.Link(),
				Abstract: shorten(citationAbstract(a, c), maxCitationAbstract),
			},
		})
	}
	if entity.AdditionalType != nil || entity.Citation != nil {
		out.Entities = []any{entity}
	}
	out.ChannelData = map[string]any{"feedbackLoop": map[string]string{"type": "default"}}
	if askHuman {
		out.Attachments = []botAttachment{{ContentType: adaptiveCardType, Content: askHumanCard()}}
	}
	return out
}

// citationAbstract tells the reader what the cited section is: a section of
// the FAQ, or only the nearest one when the FAQ holds no answer.
func citationAbstract(a bot.Answer, c bot.Citation) string {
	where := "FAQ section"
	if !a.Answered {
		where = "Nearest FAQ section (may not answer the question)"
	}
	if c.Document != "" {
		where += " in " + c.Document
	}
	return where + ": " + c.Title
}

// askHumanCard is the button under an answer. Action.Execute comes back as
// an adaptiveCard/action invoke; clients without Universal Actions fall back
// to Action.Submit, which comes back as a message whose value is the data.
func askHumanCard() map[string]any {
	data := map[string]string{"action": askHumanVerb}
	return map[string]any{
		"type":    "AdaptiveCard",
		"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
		"version": "1.5",
		"body": []any{
			textBlock("Not what you needed? A person can take it from here.", "Small", false),
		},
		"actions": []any{map[string]any{
			"type":     "Action.Execute",
			"title":    "Ask a human",
			"verb":     askHumanVerb,
			"data":     data,
			"fallback": map[string]any{"type": "Action.Submit", "title": "Ask a human", "data": data},
		}},
	}
}

// textBlock is Adaptive Card text that the bot wrote: it may use the
// cards' Markdown. People's text goes in plainText instead.
func textBlock(text, size string, bold bool) map[string]any {
	b := map[string]any{"type": "TextBlock", "text": text, "wrap": true}
	if size != "" {
		b["size"] = size
	}
	if bold {
		b["weight"] = "Bolder"
	}
	return b
}

// plainText shows text exactly as written: a TextRun is never read as
// Markdown, so what people typed cannot format, link or hide itself.
func plainText(label, text string) map[string]any {
	var inlines []any
	if label != "" {
		inlines = append(inlines, map[string]any{"type": "TextRun", "text": label + ": ", "weight": "Bolder"})
	}
	inlines = append(inlines, map[string]any{"type": "TextRun", "text": text})
	return map[string]any{"type": "RichTextBlock", "inlines": inlines}
}

func cardActivity(card map[string]any) outActivity {
	return outActivity{Type: typeMessage, Attachments: []botAttachment{{ContentType: adaptiveCardType, Content: card}}}
}

// botCardVersion is the Adaptive Card version of the bot's own cards.
const botCardVersion = "1.5"

func adaptiveCardOf(version string, body []any, actions []any) map[string]any {
	c := map[string]any{
		"type":    "AdaptiveCard",
		"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
		"version": version,
		"body":    body,
		"msteams": map[string]string{"width": "Full"},
	}
	if len(actions) > 0 {
		c["actions"] = actions
	}
	return c
}

// escalationChannelCard is an escalation as the escalation channel sees it:
// its id (for whoever resolves it), who asked what and why, the bot's
// draft and its sources, and its page on the dashboard at adminURL ("" for
// none).
func escalationChannelCard(e Escalation, adminURL string) outActivity {
	body, actions := escalationBody(escalationView{
		ID:        e.ID,
		Reason:    e.Reason,
		Question:  e.Question,
		By:        e.By,
		AskedIn:   "Microsoft Teams (" + firstNonEmpty(e.Asker.ConversationType, "chat") + ")",
		Answer:    e.Answer,
		Dashboard: dashboardLink(adminURL, e.ID),
	})
	return cardActivity(adaptiveCardOf(botCardVersion, body, actions))
}

// resolvedActivity tells the asker, in their conversation, that a person
// took up their question, with what that person answered.
func resolvedActivity(e Escalation, answer, resolver string) outActivity {
	body := []any{
		textBlock("A person has followed up on your question", "Medium", true),
		plainText("You asked", orNone(e.Question.Text)),
	}
	if strings.TrimSpace(resolver) != "" {
		body = append(body, plainText("Answered by", resolver))
	}
	if strings.TrimSpace(answer) != "" {
		body = append(body, plainText("Answer", answer))
	} else {
		body = append(body, textBlock("The team has marked your question as resolved.", "", false))
	}
	return cardActivity(adaptiveCardOf(botCardVersion, body, nil))
}
