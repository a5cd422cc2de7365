package retrieval

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/internal/literal"
)

// realTexts are texts the answer-type patterns meet: every labelled and
// shipped question, lower-cased as TypeOf reads them, and every passage
// and title of the FAQ.
func realTexts(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, path := range []string{"../eval/testdata/tune.tsv", "../eval/testdata/holdout.tsv", "../eval/testdata/calibration.tsv",
		"../corpus/transition-faqs.questions.tsv", "../corpus/transition-faqs.unanswered.tsv", "../../shared/eval/dev-questions.tsv"} {
		data, err := os.ReadFile(path)
		if os.IsNotExist(err) && strings.Contains(path, "shared") {
			t.Logf("%s is absent: its questions are not checked", path)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if f := strings.Split(line, "\t"); len(f) >= 2 {
				out = append(out, strings.ToLower(f[1]))
			}
		}
	}
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range c.Passages() {
		out = append(out, p.Plain, p.Section.Title)
	}
	return out
}

// The gated patterns answer every real text as the plain regular
// expressions do: the literals they skip on are never what decided.
func TestGatedPatternsAnswerAsRegexp(t *testing.T) {
	texts := realTexts(t)
	for _, re := range []*literal.Regexp{asksTime, asksPrice, asksAmount, asksSteps, asksWhy, asksSpan, asksExact, amountUnit, dates, hyphenated} {
		plain := regexp.MustCompile(re.String())
		ran := 0
		for _, text := range texts {
			if got, want := re.MatchString(text), plain.MatchString(text); got != want {
				t.Errorf("%.40s… MatchString(%q) = %v, regexp says %v", re, text, got, want)
			}
			if re == dates { // the one whose matches are read
				if got, want := re.FindAllString(text, -1), plain.FindAllString(text, -1); !slices.Equal(got, want) {
					t.Errorf("%.40s… FindAllString(%q) = %q, regexp says %q", re, text, got, want)
				}
			}
			if plain.MatchString(text) {
				ran++
			}
		}
		if ran == 0 {
			t.Errorf("%.40s… matched none of %d texts: the check says nothing about it", re, len(texts))
		}
	}
}
