package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/internal/logreg"
	"github.com/faqbot/faqbot/retrieval"
)

// Searcher finds the sections for a question (retrieval.Store in
// production).
type Searcher interface {
	Search(ctx context.Context, q retrieval.Query) (retrieval.Ranking, error)
}

// Options configure a Bot. All fields are optional.
type Options struct {
	// Writer drafts answers with a language model; without one answers are
	// extractive.
	Writer Writer
	// Clock tells the time (time.Now when nil); tests pin it.
	Clock func() time.Time
	// MinConfidence is the retrieval confidence below which the bot says the
	// FAQ does not cover a question (DefaultMinConfidence when zero).
	MinConfidence float64
	// Contact is whom the asker should turn to when the FAQ does not cover a
	// question (DefaultContact when empty).
	Contact string
	Logger  *slog.Logger
	// OnModelFallback, when set, is told each time a model's answer (or
	// follow-up rewrite) is not used, with one of the Fallback reasons; for
	// metrics.
	OnModelFallback func(reason string)
	// OnUngroundedSentences, when set, is told how many sentences of a
	// model's answer were dropped because their sources do not bear them
	// out; for metrics.
	OnUngroundedSentences func(n int)
}

// DefaultContact is whom askers are pointed to when no one else is named.
const DefaultContact = "your Microsoft account manager or partner"

// DefaultMinConfidence is the answerability below which the bot says the
// FAQ does not cover a question. It is set on the calibration part of the
// labelled questions (eval/testdata/calibration.tsv), which nothing is
// trained on: `faqbot eval` prints the trade-off at each threshold.
const DefaultMinConfidence = 0.67

// Bot answers questions from the FAQ.
type Bot struct {
	search  Searcher
	writer  Writer
	clock   func() time.Time
	minConf float64
	contact string
	log     *slog.Logger
	// onFallback is Options.OnModelFallback, onDropped
	// Options.OnUngroundedSentences.
	onFallback func(reason string)
	onDropped  func(n int)
	// model weighs whether the FAQ answers a question; ranker reorders
	// retrieval's first sections.
	model, ranker *logreg.Model
	// escalation takes a second look at questions the policy's rules let
	// pass.
	escalation *escalationModels
	units      unitCache
}

// New returns a bot that searches with s. It fails only when a model
// built into the binary (answerability, reranker, escalation) cannot be
// read or does not fit its signals, a build error that tests catch.
func New(s Searcher, opts Options) (*Bot, error) {
	model, err := loadAnswerability()
	if err != nil {
		return nil, err
	}
	ranker, err := loadReranker()
	if err != nil {
		return nil, err
	}
	escalation, err := loadEscalation()
	if err != nil {
		return nil, err
	}
	b := &Bot{search: s, writer: opts.Writer, clock: opts.Clock, minConf: opts.MinConfidence, log: opts.Logger, onFallback: opts.OnModelFallback, onDropped: opts.OnUngroundedSentences, model: model, ranker: ranker, escalation: escalation}
	if b.clock == nil {
		b.clock = time.Now
	}
	if b.minConf == 0 {
		b.minConf = DefaultMinConfidence
	}
	b.contact = opts.Contact
	if b.contact == "" {
		b.contact = DefaultContact
	}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	return b, nil
}

// Ask answers a question. It fails only when the question is empty or the
// index cannot be searched; a failing language model degrades to an
// extractive answer.
func (b *Bot) Ask(ctx context.Context, q Question) (Answer, error) {
	text := strings.TrimSpace(q.Text)
	if text == "" {
		return Answer{}, ErrEmptyQuestion
	}
	if n := utf8.RuneCountInString(text); n > MaxQuestionChars {
		return Answer{
			Question:  truncateRunes(text, MaxQuestionChars),
			Text:      TooLongText(n),
			Citations: []Citation{},
			Mode:      ModeExtractive,
		}, nil
	}
	q.History = boundHistory(q.History)
	r, err := b.Retrieve(ctx, q, retrieval.Fused)
	if err != nil {
		return Answer{}, err
	}
	d, query, rank := r.Decision, r.Query, r.Ranking
	a := Answer{
		Question:         text,
		Escalate:         d.Reason != NoEscalation,
		EscalationReason: d.Reason,
		Citations:        []Citation{},
		Mode:             ModeExtractive,
		CorpusVersion:    rank.Version,
	}
	results := rank.Results
	a.Confidence = b.answerability(r)
	// An extension request is what the FAQ's extension section answers,
	// however it is worded: it is answered (and handed to people).
	if len(results) == 0 || (a.Confidence < b.minConf && d.Topic != topicExtension) {
		b.abstain(&a, results)
		return a, nil
	}
	a.Answered = true
	switch b.write(ctx, &a, q, query, d, results) {
	case writeNotCovered:
		// The model read the sources and found no answer: that judgement
		// wins over the retrieval's confidence.
		b.abstain(&a, results)
		return a, nil
	case writeFailed:
		sources := extract(query, rank, func(s *corpus.Section) []quotable { return b.units.of(rank.Version, s) })
		a.Text = asOf(compose(sources), sources, rank.Corpus, b.clock())
		a.Citations = citations(sources)
		// A model chooses and cites its sources itself; quotes point on.
		addRelated(&a, results)
	}
	// A model may have added an escalation the policy missed.
	if note := escalationNote(Decision{Reason: a.EscalationReason, Topic: d.Topic}); note != "" {
		a.Text += "\n\n" + note
	}
	return a, nil
}

// Retrieval is what the bot found for a question before writing.
type Retrieval struct {
	Decision Decision
	// Query is the standalone question that was searched (before hints).
	Query   string
	Ranking retrieval.Ranking
}

// Retrieve classifies a question and searches for it: the first half of Ask,
// public so that evaluations can score rankings on their own.
func (b *Bot) Retrieve(ctx context.Context, q Question, mode retrieval.Mode) (Retrieval, error) {
	text := truncateRunes(strings.TrimSpace(q.Text), MaxQuestionChars)
	if text == "" {
		return Retrieval{}, ErrEmptyQuestion
	}
	d := b.classify(text)
	query := b.standalone(ctx, q, d.Clean)
	rank, err := b.search.Search(ctx, retrieval.Query{Text: strings.TrimSpace(query + " " + d.Hint), K: 10, Mode: mode})
	if err != nil {
		return Retrieval{}, fmt.Errorf("search: %w", err)
	}
	if mode == retrieval.Fused {
		if rank.Degraded != nil {
			b.log.Warn("search without embeddings", "err", rank.Degraded)
		}
		b.rerank(&rank)
	}
	return Retrieval{Decision: d, Query: query, Ranking: rank}, nil
}

// abstain says plainly that the FAQ does not cover the question, naming the
// nearest sections as such.
func (b *Bot) abstain(a *Answer, results []retrieval.Result) {
	a.Answered = false
	var near []source
	for _, r := range results {
		if len(near) < maxNearest && r.Coverage > 0 {
			near = append(near, source{result: r})
		}
	}
	a.Citations = citations(near)
	var sb strings.Builder
	sb.WriteString("The FAQ doesn't cover this, so I can't answer it reliably.")
	if len(near) > 0 {
		sb.WriteString(" The nearest sections are ")
		var refs []string
		for i, s := range near {
			refs = append(refs, fmt.Sprintf("\"%s\" [%d]", s.result.Section.Title, i+1))
		}
		sb.WriteString(joinAnd(refs))
		sb.WriteString(", but they may not answer your question.")
	}
	sb.WriteString(" Please ask a person on your team or " + b.contact + ".")
	if note := escalationNote(Decision{Reason: a.EscalationReason}); note != "" {
		sb.WriteString("\n\n" + note)
	}
	a.Text = sb.String()
}

func citations(sources []source) []Citation {
	out := make([]Citation, 0, len(sources))
	for _, s := range sources {
		sec := s.result.Section
		out = append(out, Citation{Title: sec.Title, Anchor: sec.Anchor, URL: sec.URL, Document: sec.Document})
	}
	return out
}

// escalationNote tells the asker why a person must take over. It says only
// what faqbot does: facts about the product come from the FAQ, which a
// later version may change. It never approves or promises anything,
// whatever the question asked for.
func escalationNote(d Decision) string {
	switch d.Reason {
	case ExtensionRequest:
		return "A person needs to handle this: I can't approve, grant or promise an extension."
	case UnsupportedOutbound:
		return "A person needs to handle this: it concerns outbound marketing capabilities (" + topicOr(d.Topic, "outbound marketing") + ") that the FAQ bot can't help with."
	case UserRequest:
		return "A person needs to handle this, as you asked."
	}
	return ""
}

func topicOr(topic, fallback string) string {
	if topic == "" {
		return fallback
	}
	return topic
}

// Related sections and nearest sections: how many are named beside an
// answer or an abstention, and how close to the first a related one must
// rank.
const (
	maxRelated   = 2
	relatedRatio = 0.6
	maxNearest   = 3
)

// addRelated names the next sections of the ranking that come close to the
// first, as "Related:" links after the answer: the reader's way on when the
// quote is not quite what they were after. They are cited, never quoted.
func addRelated(a *Answer, results []retrieval.Result) {
	if len(results) == 0 {
		return
	}
	cited := map[string]bool{}
	for _, c := range a.Citations {
		cited[c.Document+"#"+c.Anchor] = true
	}
	var refs []string
	for _, r := range results[1:] {
		if len(refs) == maxRelated || r.Score < relatedRatio*results[0].Score {
			break
		}
		if cited[r.Section.Key()] {
			continue
		}
		a.Citations = append(a.Citations, sectionCitations([]*corpus.Section{r.Section})...)
		refs = append(refs, fmt.Sprintf("\"%s\" [%d]", r.Section.Title, len(a.Citations)))
	}
	if len(refs) > 0 {
		a.Text += "\n\nRelated: " + strings.Join(refs, "; ")
	}
}

// answerability is how likely the FAQ answers the question, from the
// best section's signals and the trained model; 0 when nothing was found.
func (b *Bot) answerability(r Retrieval) float64 {
	if len(r.Ranking.Results) == 0 {
		return 0
	}
	return b.model.Predict(answerSignals(r, b.units.factsFor(r.Ranking.Version, r.Ranking.Results[0].Section)))
}
