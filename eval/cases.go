// Package eval scores faqbot on labelled questions: retrieval recall, the
// escalation policy, abstention and latency.
package eval

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Label is a yes/no/any column of a question file.
type Label string

const (
	Yes Label = "yes"
	No  Label = "no"
	Any Label = "any"
)

// Case is one labelled question.
type Case struct {
	ID       string
	Question string
	// Expected anchors; any one counts. Empty when the row says "-".
	Expected   []string
	Escalate   Label
	Answerable Label
}

var header = []string{"id", "question", "expected_anchors", "escalate", "answerable"}

// ReadCases parses a tab-separated question file with a header row.
func ReadCases(r io.Reader, name string) ([]Case, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var cases []Case
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		cols := strings.Split(text, "\t")
		if line == 1 {
			if len(cols) < len(header) || !equalFold(cols[:len(header)], header) {
				return nil, fmt.Errorf("%s:1: header must be %s", name, strings.Join(header, "<TAB>"))
			}
			continue
		}
		if len(cols) < len(header) {
			return nil, fmt.Errorf("%s:%d: want %d tab-separated columns, got %d", name, line, len(header), len(cols))
		}
		c := Case{ID: cols[0], Question: cols[1]}
		if cols[2] != "-" && cols[2] != "" {
			c.Expected = strings.Split(cols[2], "|")
		}
		var err error
		if c.Escalate, err = label(cols[3]); err != nil {
			return nil, fmt.Errorf("%s:%d: escalate: %w", name, line, err)
		}
		if c.Answerable, err = label(cols[4]); err != nil {
			return nil, fmt.Errorf("%s:%d: answerable: %w", name, line, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("%s: no questions", name)
	}
	return cases, nil
}

func label(s string) (Label, error) {
	switch l := Label(strings.ToLower(strings.TrimSpace(s))); l {
	case Yes, No, Any:
		return l, nil
	}
	return "", fmt.Errorf("%q is not yes, no or any", s)
}

func equalFold(a, b []string) bool {
	for i := range a {
		if !strings.EqualFold(strings.TrimSpace(a[i]), b[i]) {
			return false
		}
	}
	return true
}
