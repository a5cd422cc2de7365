package teams

import (
	"html"
	"regexp"
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// activity is the part of a Bot Framework activity that an outgoing
// webhook request carries and faqbot uses.
type activity struct {
	Type     string   `json:"type"`
	ID       string   `json:"id"`
	Text     string   `json:"text"`
	From     account  `json:"from"`
	Entities []entity `json:"entities"`
	// Conversation.ID names the channel thread
	// ("19:…@thread.skype;messageid=…").
	Conversation struct {
		ID string `json:"id"`
	} `json:"conversation"`
}

type account struct {
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	AADObjectID string `json:"aadObjectId,omitempty"`
}

// entity is a mention or client info; only mentions have Mentioned.
type entity struct {
	Type      string  `json:"type"`
	Text      string  `json:"text"`
	Mentioned account `json:"mentioned"`
}

// asker names who asked: the Entra ID (AAD) object ID identifies a person
// across Teams and the rest of Microsoft 365; the Teams user ID stands in
// when it is missing.
func (a activity) asker() bot.User {
	id := a.From.AADObjectID
	if id == "" {
		id = a.From.ID
	}
	return bot.User{ID: id, Name: a.From.Name}
}

var (
	atTag    = regexp.MustCompile(`(?is)<at\b[^>]*>(.*?)</at>`)
	breakTag = regexp.MustCompile(`(?i)<br\s*/?>|</(p|div|li|h[1-6]|tr)>`)
	anyTag   = regexp.MustCompile(`(?s)<[^>]*>`)

	spaceBeforePunct = regexp.MustCompile(`\s+([,;:.!?])`)
)

// question is the activity's text without the mention that invoked the
// webhook and without HTML. Teams sends the message as HTML-ish text
// ("<at>FAQ</at>&nbsp;When is …?<br>"); other people mentioned in the
// question keep their names.
func (a activity) question() string {
	// Without a mention entity naming the webhook, the message starts with
	// the mention that invoked it, so the first one goes.
	return questionText(a.Text, a.webhookMention(), true)
}

// questionText is a Teams message's text without the mention of the bot
// (selfMention, its <at>…</at> text) and without HTML. When selfMention is
// empty and dropFirst is set, the first mention goes instead; the bot and
// the outgoing webhook share these rules.
func questionText(text, selfMention string, dropFirst bool) string {
	if selfMention != "" && strings.Contains(text, selfMention) {
		text = strings.Replace(text, selfMention, " ", 1)
	} else if loc := atTag.FindStringIndex(text); loc != nil && dropFirst {
		text = text[:loc[0]] + " " + text[loc[1]:]
	}
	text = atTag.ReplaceAllString(text, "$1")
	text = breakTag.ReplaceAllString(text, "\n")
	text = anyTag.ReplaceAllString(text, " ")
	// Unescape after removing tags, so that an escaped "&lt;b&gt;" the
	// user typed stays as text.
	text = html.UnescapeString(text)
	text = strings.Join(strings.Fields(text), " ")
	// "@FAQ Bot, when …" leaves ", when …".
	text = spaceBeforePunct.ReplaceAllString(text, "$1")
	return strings.TrimLeft(text, ",;:-–— ")
}

// webhookMention returns the <at>…</at> text of the webhook's own mention.
// Teams gives bots and webhooks IDs starting with "28:"; people have "29:"
// or an Entra ID.
func (a activity) webhookMention() string {
	for _, e := range a.Entities {
		if e.Type == "mention" && strings.HasPrefix(e.Mentioned.ID, "28:") && e.Text != "" && strings.Contains(a.Text, e.Text) {
			return e.Text
		}
	}
	return ""
}
