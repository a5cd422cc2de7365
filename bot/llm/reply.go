package llm

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"

	"github.com/sashabaranov/go-openai"

	"github.com/faqbot/faqbot/bot"
)

// A reply comes as JSON where the server supports structured output (a
// JSON schema in response_format), else as text with marker lines. Both
// carry the same three things: whether the sources answer, the answer, and
// the model's reading of whether people must take over.

// replySchema is the structured reply.
var replySchema = json.RawMessage(`{
  "type": "object",
  "properties": {
    "answered": {"type": "boolean", "description": "false when the sources do not answer the question"},
    "answer": {"type": "string", "description": "the answer, citing sources as [n]; empty when not answered"},
    "escalation": {"type": "string", "enum": ["none", "extension_request", "unsupported_outbound", "user_request"]}
  },
  "required": ["answered", "answer", "escalation"],
  "additionalProperties": false
}`)

func structuredFormat() *openai.ChatCompletionResponseFormat {
	return &openai.ChatCompletionResponseFormat{
		Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
		JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
			Name:   "faqbot_answer",
			Schema: replySchema,
			Strict: true,
		},
	}
}

type structuredReply struct {
	Answered   *bool  `json:"answered"`
	Answer     string `json:"answer"`
	Escalation string `json:"escalation"`
}

// parseReply reads a reply in either form: JSON when it parses as the
// schema's object (a server may ignore the schema; its text is then read
// as text), else the text protocol.
func parseReply(content string) bot.Draft {
	var r structuredReply
	trimmed := strings.TrimSpace(content)
	trimmed = strings.TrimSuffix(strings.TrimPrefix(trimmed, "```json"), "```")
	if err := json.Unmarshal([]byte(strings.TrimSpace(trimmed)), &r); err == nil && r.Answered != nil {
		d := bot.Draft{Text: strings.TrimSpace(r.Answer), Escalation: reasonOf(r.Escalation)}
		d.NotCovered = !*r.Answered || d.Text == ""
		return d
	}
	text, reason, notCovered := splitMarkers(content)
	d := bot.Draft{Text: text, Escalation: reason, NotCovered: notCovered}
	// A model that says so in its own words, in any language, and cites
	// nothing has found no answer either.
	if !d.NotCovered && !citesAny.MatchString(text) && saysNotCovered.MatchString(text) {
		d.NotCovered = true
	}
	return d
}

func reasonOf(s string) bot.Reason {
	switch r := bot.Reason(strings.ToLower(strings.TrimSpace(s))); r {
	case bot.ExtensionRequest, bot.UnsupportedOutbound, bot.UserRequest:
		return r
	}
	return bot.NoEscalation
}

var (
	// escalateLine is the model's classification (rule 9, text form).
	escalateLine = regexp.MustCompile(`(?i)^[\s*_>]*escalate\s*:\s*([a-z_]*)[\s*_.]*$`)
	// notCoveredLine is rule 3's answer in text form.
	notCoveredLine = regexp.MustCompile(`(?i)^[\s*_>"]*not[\s_]covered[\s*_.!"]*$`)
	citesAny       = regexp.MustCompile(`\[\d{1,3}\]`)
	// saysNotCovered is a model saying in words that the sources hold no
	// answer, in the languages it may reply in.
	saysNotCovered = regexp.MustCompile(`(?i)\b(faq|sources?|documentation|the (?:provided |given )?(?:text|information))\b.{0,40}\b(doesn'?t|does not|don'?t|do not|cannot|can'?t|isn'?t|is not|aren'?t|are not)\b.{0,20}\b(cover|answer|mention|contain|address|say|include|provide|specify)|\b(not|isn'?t) (covered|mentioned|addressed|answered) (in|by)\b|\bno information (about|on)\b|nicht (abgedeckt|beantwortet|erwähnt)|keine (informationen|angaben)|behandelt (das|dies|diese frage) nicht|niet (behandeld|beantwoord|vermeld)|geen informatie|ne (couvre|traite|mentionne) pas|pas d'information|no (cubre|trata|menciona|responde)|no hay información|no incluye información`)
)

// splitMarkers removes the model's marker lines (ESCALATE, NOT COVERED)
// from a text reply and returns what they said.
func splitMarkers(content string) (string, bot.Reason, bool) {
	var keep []string
	reason := bot.NoEscalation
	notCovered := false
	for _, line := range strings.Split(content, "\n") {
		if notCoveredLine.MatchString(line) {
			notCovered = true
			continue
		}
		m := escalateLine.FindStringSubmatch(line)
		if m == nil {
			keep = append(keep, line)
			continue
		}
		if r := reasonOf(m[1]); r != bot.NoEscalation {
			reason = r
		}
	}
	return strings.TrimSpace(strings.Join(keep, "\n")), reason, notCovered
}

// unsupportedFormat reports an error by which the server refuses structured
// output; the text protocol is used from then on.
func unsupportedFormat(err error) bool {
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	if apiErr.HTTPStatusCode != 400 && apiErr.HTTPStatusCode != 422 && apiErr.HTTPStatusCode != 501 {
		return false
	}
	msg := strings.ToLower(apiErr.Message)
	for _, s := range []string{"response_format", "json_schema", "schema", "structured", "format"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return apiErr.Param != nil && strings.Contains(strings.ToLower(*apiErr.Param), "response_format")
}
