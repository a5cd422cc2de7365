package bot

import (
	"context"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/faqbot/faqbot/corpus"
)

// Suggestion is a question offered to someone who has not asked yet: in
// Slack's assistant pane, on the web chat's empty page.
type Suggestion struct {
	// Title is the short label shown; Question is what gets asked.
	Title    string `json:"title"`
	Question string `json:"question"`
}

// Suggester offers questions the FAQ answers.
type Suggester interface {
	Suggest(ctx context.Context, n int) []Suggestion
}

// maxSuggestionTitle bounds a suggestion's label: Slack shows prompts as
// short chips, the web chat as buttons on a phone.
const maxSuggestionTitle = 60

// topSectionsTTL is how long the most-asked sections are reused before the
// store is asked again: suggestions need not be fresher than that.
const topSectionsTTL = 10 * time.Minute

// SectionSuggestions suggests the FAQ's own questions: its section
// headings, the most-cited first when Top can tell, then in the FAQ's
// order. It is safe for concurrent use.
type SectionSuggestions struct {
	// Corpus is the corpus that serves (nil before the first index).
	Corpus func() *corpus.Corpus
	// Top, when set, returns the sections cited most by answered
	// questions (the records' statistics); a failure is ignored.
	Top   func(ctx context.Context) ([]SectionCount, error)
	Clock func() time.Time

	mu      sync.Mutex
	top     []SectionCount
	topTime time.Time
}

// Suggest implements Suggester.
func (s *SectionSuggestions) Suggest(ctx context.Context, n int) []Suggestion {
	c := s.Corpus()
	if c == nil || n <= 0 {
		return nil
	}
	var order []*corpus.Section
	seen := map[string]bool{}
	add := func(sec *corpus.Section) {
		if sec == nil || seen[sec.Key()] || sec.Level < 2 || !strings.HasSuffix(strings.TrimSpace(sec.Title), "?") {
			return
		}
		seen[sec.Key()] = true
		order = append(order, sec)
	}
	for _, t := range s.mostCited(ctx) {
		sec, _ := c.Section(t.Document, t.Anchor)
		add(sec)
	}
	for _, sec := range c.Sections() {
		add(sec)
	}
	out := make([]Suggestion, 0, n)
	titles := map[string]bool{}
	for _, sec := range order {
		if len(out) == n {
			break
		}
		title := shortQuestion(sec.Title)
		if titles[title] {
			// Two headings can end in the same question ("How do these
			// changes impact me?"): their openings tell them apart.
			title = cutTitle(strings.TrimSpace(sec.Title))
		}
		titles[title] = true
		out = append(out, Suggestion{Title: title, Question: strings.TrimSpace(sec.Title)})
	}
	return out
}

func (s *SectionSuggestions) mostCited(ctx context.Context) []SectionCount {
	if s.Top == nil {
		return nil
	}
	now := time.Now
	if s.Clock != nil {
		now = s.Clock
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.topTime.IsZero() && now().Sub(s.topTime) < topSectionsTTL {
		return s.top
	}
	top, err := s.Top(ctx)
	if err != nil {
		// Suggestions in the FAQ's order are still good ones.
		return s.top
	}
	s.top, s.topTime = top, now()
	return top
}

// shortQuestion is a heading's last question when the heading asks more
// than one ("… by the removal date. Can I request an extension?"), cut at
// a word to fit a chip.
func shortQuestion(title string) string {
	title = strings.TrimSpace(title)
	q := title
	for _, sep := range []string{"? ", ". "} {
		if i := strings.LastIndex(strings.TrimSuffix(q, "?"), sep); i >= 0 {
			q = strings.TrimSpace(q[i+len(sep):])
		}
	}
	if utf8.RuneCountInString(q) < 12 {
		q = title // too short to stand alone
	}
	return cutTitle(q)
}

// cutTitle cuts a title at a word to fit a chip.
func cutTitle(q string) string {
	if utf8.RuneCountInString(q) <= maxSuggestionTitle {
		return q
	}
	cut := string([]rune(q)[:maxSuggestionTitle-1])
	if i := strings.LastIndex(cut, " "); i > maxSuggestionTitle/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:–-") + "…"
}
