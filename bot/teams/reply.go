package teams

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// message is the reply activity Teams posts in the thread. Outgoing
// webhooks render Markdown in text; cards would be limited to OpenUrl
// actions, which plain links already give.
type message struct {
	Type       string `json:"type"`
	TextFormat string `json:"textFormat"`
	Text       string `json:"text"`
}

func textMessage(text string) message {
	return message{Type: "message", TextFormat: "markdown", Text: text}
}

func writeMessage(w http.ResponseWriter, log *slog.Logger, m message) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err := json.NewEncoder(w).Encode(m); err != nil {
		log.Warn("write teams reply", "err", err)
	}
}

// answerMarkdown is the answer text, whose [n] markers stay as they are,
// then note (what became of an escalation) when there is one, then the
// numbered list of the sections the markers cite, so "[2]" is item 2.
func answerMarkdown(a bot.Answer, note string) string {
	var sb strings.Builder
	sb.WriteString(strings.TrimSpace(a.Text))
	if note != "" {
		sb.WriteString("\n\n" + note)
	}
	if len(a.Citations) == 0 {
		return sb.String()
	}
	sb.WriteString("\n\n**" + bot.CitationsHeading(a) + "**\n\n")
	for i, c := range a.Citations {
		if i > 0 {
			sb.WriteString("\n")
		}
		fmt.Fprintf(&sb, "%d. %s", i+1, citationMarkdown(c))
	}
	return sb.String()
}

// markdownLink writes [title](url) so that brackets in a title or
// parentheses and spaces in a URL cannot end the link early.
func markdownLink(title, url string) string {
	if title == "" {
		title = url
	}
	return "[" + linkText.Replace(title) + "](" + linkURL.Replace(url) + ")"
}

var (
	linkText = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, "\n", " ")
	linkURL  = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E")
)
