package bot

import (
	"strings"
	"unicode"
)

// units splits passage text into the pieces an extractive answer may quote:
// list items whole (with their sub-items) and paragraphs sentence by
// sentence.
func units(text string) []string {
	var out []string
	var item []string
	flush := func() {
		if len(item) > 0 {
			out = append(out, strings.Join(item, "\n"))
			item = nil
		}
	}
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			flush()
		case strings.HasPrefix(line, "- ") || isNumbered(line):
			flush()
			item = append(item, line)
		case len(item) > 0 && strings.HasPrefix(line, "  "):
			item = append(item, line)
		default:
			flush()
			out = append(out, sentences(trimmed)...)
		}
	}
	flush()
	return out
}

func isNumbered(line string) bool {
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	return i > 0 && strings.HasPrefix(line[i:], ". ")
}

// sentences splits a paragraph after ".", "!" or "?" followed by a space and
// a capital letter, which is how the FAQ's prose runs; abbreviations such as
// "e.g." and "etc." are not followed by capitals there.
func sentences(p string) []string {
	var out []string
	start := 0
	runes := []rune(p)
	inLink := 0
	for i := 0; i < len(runes)-2; i++ {
		switch runes[i] {
		case '[', '(':
			inLink++
		case ']', ')':
			inLink = max(0, inLink-1)
		case '.', '!', '?':
			if inLink == 0 && runes[i+1] == ' ' && (unicode.IsUpper(runes[i+2]) || runes[i+2] == '*') {
				out = append(out, strings.TrimSpace(string(runes[start:i+1])))
				start = i + 2
			}
		}
	}
	if rest := strings.TrimSpace(string(runes[start:])); rest != "" {
		out = append(out, rest)
	}
	return out
}
