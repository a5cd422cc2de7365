package teams

import (
	"encoding/json"
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// botActivity is the part of a Bot Framework activity (as the Bot Connector
// posts it to /api/messages) that the bot uses.
type botActivity struct {
	Type         string              `json:"type"`
	ID           string              `json:"id"`
	Name         string              `json:"name,omitempty"`
	ServiceURL   string              `json:"serviceUrl"`
	ChannelID    string              `json:"channelId"`
	From         account             `json:"from"`
	Recipient    account             `json:"recipient"`
	Conversation conversationAccount `json:"conversation"`
	Text         string              `json:"text"`
	ReplyToID    string              `json:"replyToId,omitempty"`
	Entities     []entity            `json:"entities,omitempty"`
	Value        json.RawMessage     `json:"value,omitempty"`
	ChannelData  channelData         `json:"channelData"`
}

type conversationAccount struct {
	ID string `json:"id"`
	// ConversationType is "personal", "groupChat" or "channel".
	ConversationType string `json:"conversationType,omitempty"`
	TenantID         string `json:"tenantId,omitempty"`
	IsGroup          bool   `json:"isGroup,omitempty"`
}

type channelData struct {
	Tenant *struct {
		ID string `json:"id"`
	} `json:"tenant,omitempty"`
}

// Activity types and names the bot handles.
const (
	typeMessage = "message"
	typeInvoke  = "invoke"
	typeTyping  = "typing"

	invokeSubmitAction = "message/submitAction" // the feedback buttons
	invokeCardAction   = "adaptiveCard/action"  // Action.Execute
)

// Conversation types Teams sends.
const (
	personalChat = "personal"
	groupChat    = "groupChat"
	channelChat  = "channel"
)

// question is the message text without the bot's own mention. In a channel
// or group chat Teams only delivers messages that mention the bot, so when
// no mention entity names it the first mention is the bot's.
func (a botActivity) question() string {
	return questionText(a.Text, a.selfMention(), a.Conversation.ConversationType != personalChat)
}

// selfMention returns the <at>…</at> text of the mention naming the bot.
func (a botActivity) selfMention() string {
	for _, e := range a.Entities {
		if e.Type == "mention" && e.Mentioned.ID != "" && e.Mentioned.ID == a.Recipient.ID && e.Text != "" {
			return e.Text
		}
	}
	return ""
}

// asker names who sent the activity, as the outgoing webhook does.
func (a botActivity) asker() bot.User {
	return activity{From: a.From}.asker()
}

func (a botActivity) tenant() string {
	if a.Conversation.TenantID != "" {
		return a.Conversation.TenantID
	}
	if a.ChannelData.Tenant != nil {
		return a.ChannelData.Tenant.ID
	}
	return ""
}

// reference is where to reach this activity's conversation later.
func (a botActivity) reference() ConversationRef {
	return ConversationRef{
		ServiceURL:       a.ServiceURL,
		ConversationID:   a.Conversation.ID,
		ConversationType: a.Conversation.ConversationType,
		TenantID:         a.tenant(),
		ActivityID:       a.ID,
		Bot:              a.Recipient.ID,
		User:             a.asker(),
	}
}

// outActivity is an activity the bot sends to the connector.
type outActivity struct {
	Type         string              `json:"type"`
	From         *account            `json:"from,omitempty"`
	Recipient    *account            `json:"recipient,omitempty"`
	Conversation conversationAccount `json:"conversation"`
	ReplyToID    string              `json:"replyToId,omitempty"`
	TextFormat   string              `json:"textFormat,omitempty"`
	Text         string              `json:"text,omitempty"`
	Attachments  []botAttachment     `json:"attachments,omitempty"`
	Entities     []any               `json:"entities,omitempty"`
	ChannelData  map[string]any      `json:"channelData,omitempty"`
}

// botAttachment carries an Adaptive Card.
type botAttachment struct {
	ContentType string `json:"contentType"`
	Content     any    `json:"content"`
}

// replyTo addresses out as a reply to in, from the bot to the sender.
func replyTo(in botActivity, out outActivity) outActivity {
	from, to := in.Recipient, in.From
	out.From, out.Recipient = &from, &to
	out.Conversation = conversationAccount{ID: in.Conversation.ID}
	out.ReplyToID = in.ID
	return out
}

// textActivity is a plain message.
func textActivity(text string) outActivity {
	return outActivity{Type: typeMessage, TextFormat: "markdown", Text: text}
}

// firstNonEmpty returns the first of vals that is not empty.
func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
