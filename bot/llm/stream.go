package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/sashabaranov/go-openai"

	"github.com/faqbot/faqbot/bot"
)

var _ bot.StreamWriter = (*Writer)(nil)

// maxStreamBytes bounds a streamed reply: the prompt asks for about 150
// words, and a server that keeps sending is cut off.
const maxStreamBytes = 64 << 10

// WriteStream implements bot.StreamWriter: one streamed chat completion
// in the text protocol (a JSON reply cannot be shown as it arrives),
// telling onDelta the answer's text as it comes, without the marker lines
// (ESCALATE, NOT COVERED), which are read at the end as Write reads them.
func (w *Writer) WriteStream(ctx context.Context, req bot.WriteRequest, onDelta func(string)) (bot.Draft, error) {
	if len(req.Sources) == 0 {
		return bot.Draft{}, errors.New("write answer: no sources")
	}
	ctx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	stream, err := w.client.CreateChatCompletionStream(ctx, openai.ChatCompletionRequest{
		Model: w.model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: systemPrompt(req.Now, false)},
			{Role: openai.ChatMessageRoleUser, Content: userMessage(req)},
		},
		Stream: true,
	})
	if err != nil {
		return bot.Draft{}, fmt.Errorf("write answer: streamed chat completion with %s: %w", w.model, err)
	}
	defer stream.Close()
	var content strings.Builder
	f := markerFilter{emit: onDelta}
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return bot.Draft{}, fmt.Errorf("write answer: streamed chat completion with %s: %w", w.model, err)
		}
		if len(resp.Choices) == 0 {
			continue
		}
		d := resp.Choices[0].Delta.Content
		if content.Len()+len(d) > maxStreamBytes {
			return bot.Draft{}, fmt.Errorf("write answer: streamed reply longer than %d bytes", maxStreamBytes)
		}
		content.WriteString(d)
		f.write(d)
	}
	f.flush()
	text := strings.TrimSpace(content.String())
	if text == "" {
		return bot.Draft{}, fmt.Errorf("write answer: streamed chat completion with %s: empty reply", w.model)
	}
	draft := parseReply(text)
	if leaksPrompt(draft.Text) {
		return bot.Draft{}, errors.New("write answer: the reply repeats the instructions")
	}
	return draft, nil
}

// markerFilter passes a streamed reply on line by line as far as it must:
// a line that may still turn out to be a marker line is held until it
// ends, every other piece goes on at once.
type markerFilter struct {
	emit func(string)
	// line is the held start of the current line; open means the current
	// line cannot be a marker and its rest goes straight on.
	line string
	open bool
}

// markerStart matches the start of a line that may become a marker line.
var markerStart = regexp.MustCompile(`(?i)^[\s*_>"]*(e(s(c(a(l(a(t(e.*)?)?)?)?)?)?)?|n(o(t([\s_](c(o(v(e(r(e(d.*)?)?)?)?)?)?)?)?)?)?)$`)

func (f *markerFilter) write(s string) {
	for s != "" {
		i := strings.IndexByte(s, '\n')
		piece, rest, ended := s, "", false
		if i >= 0 {
			piece, rest, ended = s[:i+1], s[i+1:], true
		}
		s = rest
		if f.open {
			f.emit(piece)
		} else {
			f.line += piece
			f.decide(ended)
		}
		if ended {
			f.open = false
		}
	}
}

// decide sends the held line on once it cannot be a marker line, and
// drops it when it ended as one.
func (f *markerFilter) decide(ended bool) {
	line := strings.TrimRight(f.line, "\n")
	if ended {
		if !escalateLine.MatchString(line) && !notCoveredLine.MatchString(line) {
			f.emit(f.line)
		}
		f.line = ""
		return
	}
	if !markerStart.MatchString(line) {
		f.emit(f.line)
		f.line, f.open = "", true
	}
}

// flush ends the reply: a held last line goes on unless it is a marker.
func (f *markerFilter) flush() {
	if f.line != "" {
		f.decide(true)
	}
}
