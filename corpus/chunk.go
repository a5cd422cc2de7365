package corpus

import "strings"

// Passage sizes in words. A section up to wholeSection words stays in one
// passage; longer ones are split between top-level blocks and list items.
const (
	wholeSection = 160
	maxPassage   = 110
	minPassage   = 15
	// longItem is the average item length above which every item of a long
	// list is a topic of its own rather than one line of an enumeration.
	longItem = 25
)

// chunk splits a section's blocks into passages. Lead-in lines ("See details
// below:", "**Email creation**") stay with what they introduce; a long list
// of long items (the "outbound tables and data" section) gives one passage
// per top-level item, a long list of short items is cut into runs.
func chunk(blocks []block) []Passage {
	if wordsOf(blocks) <= wholeSection {
		return numbered([]Passage{join(blocks)})
	}
	var units [][]block
	var pending []block // lead-ins waiting for what they introduce
	emit := func(bs ...block) {
		units = append(units, append(pending, bs...))
		pending = nil
	}
	for _, b := range blocks {
		switch {
		case b.kind == kindLeadIn:
			pending = append(pending, b)
		case b.kind == kindList && b.words()+wordsOf(pending) > maxPassage && len(b.items) > 1:
			if wordsOf(pending) > maxPassage/2 {
				emit() // a long introduction is a passage of its own
			}
			if b.words()/len(b.items) >= longItem {
				for _, item := range b.items {
					emit(item)
				}
				continue
			}
			var run []block
			for _, item := range b.items {
				if len(run) > 0 && wordsOf(pending)+wordsOf(run)+item.words() > maxPassage {
					emit(run...)
					run = nil
				}
				run = append(run, item)
			}
			emit(run...)
		default:
			emit(b)
		}
	}
	if len(pending) > 0 {
		emit()
	}
	// A lone short line joins its neighbour rather than stand as a passage.
	var out []Passage
	var acc []block
	for _, u := range units {
		if len(acc) > 0 && (wordsOf(acc) >= minPassage || wordsOf(acc)+wordsOf(u) > maxPassage) {
			out = append(out, join(acc))
			acc = nil
		}
		acc = append(acc, u...)
	}
	if len(acc) > 0 {
		out = append(out, join(acc))
	}
	return numbered(out)
}

func numbered(ps []Passage) []Passage {
	for i := range ps {
		ps[i].Index = i
	}
	return ps
}

func wordsOf(bs []block) int {
	n := 0
	for _, b := range bs {
		n += b.words()
	}
	return n
}

func join(bs []block) Passage {
	var md, plain strings.Builder
	for i, b := range bs {
		if i > 0 {
			// Items of one list stay a list; other blocks are paragraphs.
			if isItem(bs[i-1]) && isItem(b) {
				md.WriteString("\n")
			} else {
				md.WriteString("\n\n")
			}
			plain.WriteString("\n")
		}
		md.WriteString(b.text)
		plain.WriteString(b.plain)
	}
	return Passage{Text: md.String(), Plain: plain.String()}
}

func isItem(b block) bool {
	return b.kind == kindList || strings.HasPrefix(b.text, "- ") || b.kind == kindPara && len(b.items) == 0 && startsNumbered(b.text)
}

func startsNumbered(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 0 && strings.HasPrefix(s[i:], ". ")
}
