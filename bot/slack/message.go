package slack

import (
	"encoding/json"
	"strings"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
)

// Slack's limits: a section's text, a button's value, a message's text.
const (
	maxSectionText = 3000
	maxButtonValue = 2000
	maxMessageText = 39000
)

// feedbackBlockID names the buttons' actions block under an answer.
const feedbackBlockID = "faqbot_feedback"

// The buttons' action IDs; also the kinds of the legacy feedback records.
const (
	actionHelpful    = "helpful"
	actionNotHelpful = "not_helpful"
	actionAskHuman   = "ask_human"
)

// transport names Slack in records and questions.
const transport = "slack"

// conversation is where a question was asked, as bot.Question records
// it: "CHANNEL/THREAD_TS", or the channel alone.
func conversation(channel, ts string) string {
	if ts == "" {
		return channel
	}
	return channel + "/" + ts
}

// answerKey is the escalation key of an answer message: its "Ask a
// human" escalates once.
func answerKey(channel, ts string) string { return "slack:answer:" + conversation(channel, ts) }

// answerRef travels in the buttons' value: what an "Ask a human" click
// needs to escalate the question later, without server-side state.
type answerRef struct {
	// ID is the recorded exchange (bot.Answer.ID).
	ID         string `json:"id,omitempty"`
	QuestionTS string `json:"qts,omitempty"`
	// ThreadTS is the thread the answer is in, when not QuestionTS.
	ThreadTS string `json:"tts,omitempty"`
	Asker    string `json:"u,omitempty"`
	Question string `json:"q,omitempty"`
	Version  string `json:"v,omitempty"`
}

// encode fits the reference into a button value, shortening the question
// when it must.
func (r answerRef) encode() string { return r.encodeWithin(maxButtonValue) }

func decodeRef(s string) answerRef {
	var r answerRef
	_ = json.Unmarshal([]byte(s), &r) // a bad value leaves an empty ref
	return r
}

// reply is a message ready to post: blocks and the text Slack shows in
// notifications and where blocks cannot be drawn.
type reply struct {
	text   string
	blocks []slack.Block
}

func (r reply) options() []slack.MsgOption {
	// Unfurled FAQ links would bury the answer under previews.
	return []slack.MsgOption{slack.MsgOptionText(r.text, false), slack.MsgOptionBlocks(r.blocks...), slack.MsgOptionDisableLinkUnfurl()}
}

func (r reply) webhook(responseType string) *slack.WebhookMessage {
	return &slack.WebhookMessage{Text: r.text, Blocks: &slack.Blocks{BlockSet: r.blocks}, ResponseType: responseType}
}

func section(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)
}

func contextBlock(text string) *slack.ContextBlock {
	return slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, text, false, false))
}

// answerReply formats an answer with its sources, the escalation note (how
// the question was handed on, if it was), the line saying where it comes
// from (dated: the FAQ's date, "" when unknown) and the feedback buttons.
func answerReply(ans bot.Answer, note string, ref answerRef, dated string) reply {
	body := mrkdwn(ans.Text, ans.Citations)
	src := sources(ans)
	var blocks []slack.Block
	for _, c := range chunks(body, maxSectionText) {
		blocks = append(blocks, section(c))
	}
	text := body
	if note != "" {
		blocks = append(blocks, section(truncate(note, maxSectionText)))
		text += "\n\n" + note
	}
	if src != "" {
		for _, c := range chunks(src, maxSectionText) {
			blocks = append(blocks, section(c))
		}
		text += "\n\n" + src
	}
	blocks = append(blocks, contextBlock(provenance(ans.Mode, dated)))
	// An escalated answer is already with people: asking again adds
	// nothing.
	blocks = append(blocks, answerActions(ref, !ans.Escalate)...)
	return reply{text: truncate(text, maxMessageText), blocks: blocks}
}

// acknowledged rebuilds a clicked answer: the buttons give way to a note
// saying what the click did; "Ask a human" stays until someone used it.
func acknowledged(msg slack.Message, note, value string, askHuman bool) reply {
	var blocks []slack.Block
	for _, b := range msg.Blocks.BlockSet {
		if b == nil || b.ID() == feedbackBlockID {
			continue
		}
		if _, unknown := b.(*slack.UnknownBlock); unknown {
			continue
		}
		blocks = append(blocks, b)
	}
	if len(blocks) == 0 && strings.TrimSpace(msg.Text) != "" {
		blocks = append(blocks, section(truncate(msg.Text, maxSectionText)))
	}
	blocks = append(blocks, contextBlock(note))
	if askHuman {
		blocks = append(blocks, feedbackButtonsOnlyAsk(value))
	}
	return reply{text: truncate(msg.Text, maxMessageText), blocks: blocks}
}

func feedbackButtonsOnlyAsk(value string) *slack.ActionBlock {
	return slack.NewActionBlock(feedbackBlockID,
		slack.NewButtonBlockElement(actionAskHuman, value, slack.NewTextBlockObject(slack.PlainTextType, "🙋 Ask a human", true, false)))
}
