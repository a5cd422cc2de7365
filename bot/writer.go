package bot

import (
	"context"
	"time"

	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/retrieval"
)

// Writer drafts an answer with a language model. Implementations live in
// their own package (bot/llm); the bot verifies what they write.
type Writer interface {
	// Condense rewrites a follow-up as a standalone question using the
	// thread's earlier turns.
	Condense(ctx context.Context, history []Turn, question string) (string, error)
	// Write answers from numbered sources, citing them as [n].
	Write(ctx context.Context, req WriteRequest) (string, error)
}

// WriteRequest is what a Writer answers from.
type WriteRequest struct {
	Question Question
	// Standalone is the question with its thread context folded in.
	Standalone string
	// Sources are numbered from 1 in order.
	Sources []*corpus.Section
	// Passages holds, per source, the passages that matched best.
	Passages [][]retrieval.Hit
	Decision Decision
	Now      time.Time
}

// standalone returns the question to search for: with a model, a condensed
// rewrite; without, the previous question prefixed when this one reads like
// a follow-up ("and for segments?").
func (b *Bot) standalone(ctx context.Context, q Question, text string) string {
	if len(q.History) == 0 {
		return text
	}
	if b.writer != nil {
		s, err := b.writer.Condense(ctx, q.History, text)
		if err == nil && s != "" {
			return s
		}
		b.log.Warn("condense follow-up failed; using the thread's last question", "err", err)
	}
	if !isFollowUp(text) {
		return text
	}
	for i := len(q.History) - 1; i >= 0; i-- {
		if q.History[i].Role == RoleUser && q.History[i].Text != "" {
			return q.History[i].Text + " " + text
		}
	}
	return text
}

// write asks the Writer for an answer and keeps it only if it cites the
// sources it was given. It reports whether a.Text was set.
func (b *Bot) write(ctx context.Context, a *Answer, q Question, standalone string, d Decision, results []retrieval.Result) bool {
	return false
}
