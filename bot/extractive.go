package bot

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/retrieval"
)

// Extractive answers quote the FAQ: the best sentences or bullets of the top
// sections, each followed by its [n] marker.
const (
	maxQuotedUnits = 3
	// A second section is quoted only when it is nearly as relevant as the
	// first; otherwise it dilutes a precise answer.
	secondSectionRatio = 0.8
	maxAnswerSections  = 2
)

var (
	pointer = regexp.MustCompile(`^(\(?See( also)?\b|For more information|More information:|To learn more)`)
)

// source is a section chosen for an answer with the text quoted from it.
type source struct {
	result retrieval.Result
	quote  []string
}

// extract picks what to quote from the ranking for a question.
func extract(question string, results []retrieval.Result) []source {
	if len(results) == 0 {
		return nil
	}
	q := termSet(question)
	when := retrieval.TypeOf(question).Has(retrieval.TimeAnswer)
	var out []source
	for i, r := range results {
		if i >= maxAnswerSections {
			break
		}
		if i > 0 && (r.Score < secondSectionRatio*results[0].Score || r.Confidence < secondSectionRatio*results[0].Confidence) {
			break
		}
		n := maxQuotedUnits
		if i > 0 {
			n = 1
		}
		if quote := bestUnits(q, when, r, n); len(quote) > 0 {
			out = append(out, source{result: r, quote: quote})
		}
	}
	return out
}

// bestUnits returns up to n sentences or bullets of the result's best
// passage that share the most words with the question, in document order.
// A lead-in ending in ":" brings the item it introduces.
func bestUnits(q map[string]bool, when bool, r retrieval.Result, n int) []string {
	text := r.Section.Text
	if len(r.Passages) > 0 {
		text = r.Passages[0].Passage.Text
	}
	us := units(text)
	if len(us) == 0 {
		return nil
	}
	type scored struct {
		i     int
		score float64
	}
	ss := make([]scored, len(us))
	for i, u := range us {
		overlap := 0.0
		for _, t := range retrieval.Terms(u) {
			if q[t] {
				overlap++
			}
		}
		// Earlier sentences state the answer; later ones qualify it. A
		// pointer elsewhere ("See also …") answers nothing itself.
		score := overlap - 0.1*float64(i)
		if when && retrieval.Holds(u, retrieval.TimeAnswer) {
			score++ // "when" wants the sentence with the date
		}
		if pointer.MatchString(u) && len(us) > 1 {
			score = math.Inf(-1)
		}
		ss[i] = scored{i, score}
	}
	sort.SliceStable(ss, func(a, b int) bool { return ss[a].score > ss[b].score })
	pick := map[int]bool{}
	words := 0
	for _, s := range ss {
		if len(pick) >= n || (len(pick) > 0 && s.score <= 0) || words > 90 || math.IsInf(s.score, -1) {
			break
		}
		pick[s.i] = true
		words += len(strings.Fields(us[s.i]))
		if strings.HasSuffix(us[s.i], ":") && s.i+1 < len(us) {
			pick[s.i+1] = true
		}
	}
	var out []string
	for i, u := range us {
		if pick[i] {
			out = append(out, u)
		}
	}
	return out
}

func termSet(text string) map[string]bool {
	m := map[string]bool{}
	for _, t := range retrieval.Terms(text) {
		m[t] = true
	}
	return m
}

// compose writes the quoted sources as answer text with [n] markers.
func compose(sources []source) string {
	var parts []string
	for i, s := range sources {
		marker := fmt.Sprintf(" [%d]", i+1)
		var b strings.Builder
		for j, u := range s.quote {
			if j > 0 {
				if strings.HasPrefix(u, "- ") || strings.HasPrefix(s.quote[j-1], "- ") || strings.HasSuffix(s.quote[j-1], ":") {
					b.WriteString("\n")
				} else {
					b.WriteString(" ")
				}
			}
			b.WriteString(u)
		}
		parts = append(parts, b.String()+marker)
	}
	return strings.Join(parts, "\n\n")
}

// asOf frames time-sensitive text: when it mentions dates that have passed,
// it says which FAQ version it quotes and that those dates are past, so a
// deadline that is over is never presented as upcoming.
func asOf(text string, sources []source, now time.Time) string {
	secs := make([]*corpus.Section, len(sources))
	shown := text
	for i, s := range sources {
		secs[i] = s.result.Section
		// The cited titles count too: "What will happen after June 30,
		// 2025?" is shown beside the answer.
		shown += "\n" + s.result.Section.Title
	}
	dated := latest(secs)
	note := passedNote(shown, dated, now)
	if note == "" {
		return text
	}
	prefix := "According to the FAQ:\n\n"
	if !dated.IsZero() {
		prefix = fmt.Sprintf("As of the FAQ dated %s:\n\n", longDate(dated))
	}
	return prefix + text + "\n\n" + note
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
