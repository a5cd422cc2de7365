package bot

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// FAQ drafts: for a coverage gap or an escalation a person answered, a
// new FAQ section in Markdown (the question as a ## heading, the answer as
// its body) for support leads to copy into the docs.

// DraftSource is what a draft is written from.
type DraftSource struct {
	// Questions are askers' wordings, the most typical first.
	Questions []string
	// Answers are what people answered them.
	Answers []string
	// Nearest is the existing section the questions were pointed to.
	Nearest *SectionRef
}

// SectionWriter writes a FAQ section from questions and people's answers
// (a language model). Its text is checked by a person before publishing.
type SectionWriter interface {
	WriteSection(ctx context.Context, src DraftSource) (heading, body string, err error)
	// Name says who writes, for the draft's mark ("model gpt-4o-mini").
	Name() string
}

// FAQDraft is a proposed FAQ section.
type FAQDraft struct {
	Markdown string
	// Writer names the model that wrote it; empty for the template.
	Writer string
	// Fallback says why the model's draft was not used, when it was not.
	Fallback string
}

// Bounds of a draft's inputs.
const (
	maxDraftQuestions = 10
	maxDraftAnswers   = 5
	maxDraftHeading   = 200
)

// NewFAQDraft writes the draft for src: with w (may be nil) when it
// works, else from a template that uses people's answers as they are.
// Either way the Markdown starts with a comment marking it as a draft.
func NewFAQDraft(ctx context.Context, w SectionWriter, src DraftSource) FAQDraft {
	src.Questions = nonEmpty(src.Questions, maxDraftQuestions)
	src.Answers = nonEmpty(src.Answers, maxDraftAnswers)
	if len(src.Questions) == 0 {
		src.Questions = []string{"(question)"}
	}
	var fallback string
	if w != nil {
		heading, body, err := w.WriteSection(ctx, src)
		if err == nil && strings.TrimSpace(heading) != "" && strings.TrimSpace(body) != "" {
			mark := fmt.Sprintf("DRAFT written by a language model (%s) from %s and %s. Check every statement against the product before publishing.",
				w.Name(), plural(len(src.Questions), "question"), plural(len(src.Answers), "answer by people"))
			return FAQDraft{Markdown: draftMarkdown(mark, heading, body, src), Writer: w.Name()}
		}
		fallback = "the model's draft failed"
		if err != nil {
			fallback += ": " + err.Error()
		}
	}
	mark := fmt.Sprintf("DRAFT for the FAQ from %s askers asked and %s. Review before publishing.",
		plural(len(src.Questions), "question"), plural(len(src.Answers), "answer by people"))
	body := strings.Join(src.Answers, "\n\n")
	if body == "" {
		body = "_No one has answered this yet: write the answer here._"
	}
	return FAQDraft{Markdown: draftMarkdown(mark, src.Questions[0], body, src), Fallback: fallback}
}

func draftMarkdown(mark, heading, body string, src DraftSource) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- %s -->\n\n## %s\n\n%s\n", commentSafe(mark), headingText(heading), strings.TrimSpace(body))
	var notes []string
	if len(src.Questions) > 1 {
		notes = append(notes, "Also asked as:")
		for _, q := range src.Questions[1:] {
			notes = append(notes, "- "+commentSafe(oneLine(q)))
		}
	}
	if n := src.Nearest; n != nil && n.Anchor != "" {
		notes = append(notes, fmt.Sprintf("Nearest existing section: %s (%s#%s)", commentSafe(oneLine(n.Title)), commentSafe(n.Document), commentSafe(n.Anchor)))
	}
	if len(notes) > 0 {
		fmt.Fprintf(&b, "\n<!--\n%s\n-->\n", strings.Join(notes, "\n"))
	}
	return b.String()
}

var headingMarks = regexp.MustCompile(`^[#\s]+|[#\s]+$`)

// headingText makes text one heading line: no line breaks, no leading or
// trailing #, bounded.
func headingText(s string) string {
	s = headingMarks.ReplaceAllString(oneLine(s), "")
	return truncateRunes(s, maxDraftHeading)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// commentSafe keeps text from ending the HTML comment it is written in.
func commentSafe(s string) string { return strings.ReplaceAll(s, "--", "- -") }

func nonEmpty(list []string, limit int) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" && len(out) < limit {
			out = append(out, s)
		}
	}
	return out
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	word, rest, _ := strings.Cut(what, " ")
	if rest != "" {
		rest = " " + rest
	}
	return fmt.Sprintf("%d %ss%s", n, word, rest)
}
