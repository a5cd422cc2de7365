package bot

import (
	"context"
	"errors"
	"strings"
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
	Write(ctx context.Context, req WriteRequest) (Draft, error)
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

// Draft is a Writer's answer before the bot verifies it.
type Draft struct {
	// Text cites the request's sources as [n].
	Text string
	// NotCovered is the model's judgement that the sources do not answer
	// the question. It wins: the bot abstains, naming the nearest
	// sections, rather than quote one that does not answer.
	NotCovered bool
	// Escalation is the model's own reading of whether people must handle
	// the question. It can add an escalation the policy missed; it never
	// removes one.
	Escalation Reason
}

// Time budget for model calls under a caller's deadline (the Teams webhook
// must answer within 5 s).
const (
	// fallbackReserve is kept back for the extractive answer, so a model
	// that fails late still leaves time to answer.
	fallbackReserve = 500 * time.Millisecond
	// minModelTime is the least worth spending on a call at all.
	minModelTime = 200 * time.Millisecond
	// condenseShare is the part of the remaining time a follow-up's
	// rewrite may use; the answer needs the rest.
	condenseShare = 0.3
	// maxModelSources bounds the sections a model reads per answer.
	maxModelSources = 4
)

// Fallback reasons, for logs and metrics (Options.OnModelFallback).
const (
	FallbackError      = "error"      // the call failed (after retries)
	FallbackTimeout    = "timeout"    // the call ran out of time
	FallbackNoTime     = "no_time"    // too little time left to call at all
	FallbackUnverified = "unverified" // the text failed verification
	FallbackCondense   = "condense"   // a follow-up could not be rewritten
	FallbackUngrounded = "ungrounded" // no sentence was borne out by its sources
)

// standalone returns the question to search for: with a model, a condensed
// rewrite; without, the previous question prefixed when this one reads like
// a follow-up ("and for segments?").
func (b *Bot) standalone(ctx context.Context, q Question, text string) string {
	if len(q.History) == 0 {
		return text
	}
	if b.writer != nil {
		s, err := b.condense(ctx, q, text)
		if err == nil && s != "" {
			return s
		}
		b.modelFailed(FallbackCondense, err)
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

func (b *Bot) condense(ctx context.Context, q Question, text string) (string, error) {
	mctx, cancel, ok := modelContext(ctx, condenseShare)
	if !ok {
		return "", errors.New("no time left to condense the follow-up")
	}
	defer cancel()
	return b.writer.Condense(mctx, q.History, text)
}

// write asks the Writer for an answer and keeps what of it the sources
// bear out: markers that name sources, sentences grounded in them.
func (b *Bot) write(ctx context.Context, a *Answer, q Question, standalone string, d Decision, results []retrieval.Result) writeResult {
	if b.writer == nil {
		return writeFailed
	}
	mctx, cancel, ok := modelContext(ctx, 1)
	if !ok {
		b.modelFailed(FallbackNoTime, nil)
		return writeFailed
	}
	defer cancel()
	sources, passages := modelSources(results)
	now := b.clock()
	draft, err := b.draft(mctx, WriteRequest{
		Question: q, Standalone: standalone, Sources: sources, Passages: passages, Decision: d, Now: now,
	})
	if err != nil {
		reason := FallbackError
		if mctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
			reason = FallbackTimeout
		}
		b.modelFailed(reason, err)
		return writeFailed
	}
	addEscalation(a, draft.Escalation)
	if draft.NotCovered {
		a.Mode = ModeLLM
		return writeNotCovered
	}
	text, cited, err := verify(draft.Text, sources)
	if err != nil {
		b.modelFailed(FallbackUnverified, err)
		return writeFailed
	}
	text, dropped := ground(text, cited, q.Text)
	if dropped > 0 && b.onDropped != nil {
		b.onDropped(dropped)
	}
	if !marker.MatchString(text) {
		b.modelFailed(FallbackUngrounded, errUngrounded)
		return writeFailed
	}
	text, cited = renumber(text, cited)
	a.Text = text + pastNote(text, cited, now)
	a.Citations = sectionCitations(cited)
	a.Mode = ModeLLM
	return writeDone
}

// What came of asking the Writer.
type writeResult int

const (
	writeFailed     writeResult = iota // no usable text: answer extractively
	writeDone                          // a.Text holds the model's verified answer
	writeNotCovered                    // the model found the sources do not answer
)

// errUngrounded is why a model's text is not shown when none of its
// sentences is borne out by the sources it cites.
var errUngrounded = errors.New("model text: no sentence is borne out by its sources")

// modelContext bounds a model call by the caller's deadline less the time
// the extractive fallback needs; share is the part of that time the call may
// use. It reports false when no time is left worth calling for. The Writer
// adds its own per-call timeout.
func modelContext(ctx context.Context, share float64) (context.Context, context.CancelFunc, bool) {
	deadline, ok := ctx.Deadline()
	if !ok {
		c, cancel := context.WithCancel(ctx)
		return c, cancel, true
	}
	left := time.Duration(float64(time.Until(deadline)-fallbackReserve) * share)
	if left < minModelTime {
		return nil, nil, false
	}
	c, cancel := context.WithTimeout(ctx, left)
	return c, cancel, true
}

// modelSources picks the sections a model answers from: the best few that
// are at least half as confident as the first.
func modelSources(results []retrieval.Result) ([]*corpus.Section, [][]retrieval.Hit) {
	var secs []*corpus.Section
	var hits [][]retrieval.Hit
	for i, r := range results {
		if i >= maxModelSources || (i > 0 && r.Confidence < 0.5*results[0].Confidence) {
			break
		}
		secs = append(secs, r.Section)
		hits = append(hits, r.Passages)
	}
	return secs, hits
}

// addEscalation lets a model flag a question the policy let through; the
// policy's own reason always stands.
func addEscalation(a *Answer, r Reason) {
	if a.EscalationReason != NoEscalation {
		return
	}
	switch r {
	case ExtensionRequest, UnsupportedOutbound, UserRequest:
		a.Escalate, a.EscalationReason = true, r
	}
}

// pastNote is the guard behind the prompt's instruction about dates: when a
// model's answer names dates that were ahead when the FAQ was written but
// have passed since, it says so, so no deadline reads as upcoming.
func pastNote(text string, cited []*corpus.Section, now time.Time) string {
	if note := todayNote(now, passedClause(text, latest(cited), now)); note != "" {
		return "\n\n" + note
	}
	return ""
}

func sectionCitations(secs []*corpus.Section) []Citation {
	out := make([]Citation, 0, len(secs))
	for _, s := range secs {
		out = append(out, Citation{Title: s.Title, Anchor: s.Anchor, URL: s.URL, Document: s.Document})
	}
	return out
}

// modelFailed records that a model's answer was replaced by the extractive
// one. The error never holds the key or the question; it is shortened
// because error bodies from proxies can be whole HTML pages.
func (b *Bot) modelFailed(reason string, err error) {
	msg := ""
	if err != nil {
		msg = err.Error()
		if len(msg) > 300 {
			msg = strings.ToValidUTF8(msg[:300], "") + "…"
		}
	}
	b.log.Warn("model output not used; falling back", "reason", reason, "err", msg)
	if b.onFallback != nil {
		b.onFallback(reason)
	}
}
