package bot

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/faqbot/faqbot/corpus"
)

// Reasons a model's text is not shown.
var (
	errNoCitation    = errors.New("model text cites none of the sources it was given")
	errApprovalClaim = errors.New("model text claims to approve or grant something")
	errEmptyText     = errors.New("model text is empty")
)

var (
	// marker is a citation: [2], or a group such as [1, 3].
	marker = regexp.MustCompile(`\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]`)
	// markerLink is a citation written as a link, [2](https://…); the
	// citations list carries the URL.
	markerLink = regexp.MustCompile(`\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]\([^)\s]*\)`)
	// linkOrURL is a Markdown link or image, or a bare or <angled> URL.
	linkOrURL = regexp.MustCompile(`(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)|<?(https?://[^\s<>()\[\]]+)>?`)
	// urlInText finds the URLs a section links to.
	urlInText = regexp.MustCompile(`https?://[^\s<>()\[\]]+`)
	// approvalClaim is the bot saying it approved, granted or changed
	// something. Only people at Microsoft decide that; such text is never
	// shown, whatever the question asked for.
	approvalClaim = regexp.MustCompile(`(?i)\bI\s*(?:have |'ve |hereby |will |'ll |just |already )?(?:approved|approve|granted|grant|extended|re-?enabled|re-?activated|restored)\b` +
		`|\byour (?:extension|exception|request|extension request)(?: request)? (?:is|has been|was|'s) (?:now )?(?:approved|granted|accepted|confirmed)\b` +
		`|\b(?:approved|granted) (?:your|the) (?:extension|exception|request)\b` +
		`|\byou(?:'ve| have) been (?:granted|given|approved)\b` +
		`|\byour (?:deadline|removal date|date) (?:has been|is|was) (?:now )?(?:extended|moved|postponed)\b`)
)

// verify checks a model's answer against the sources it was given and
// rewrites it for the user: markers that name no source are removed, the
// rest are renumbered in order of first use, and links that lead outside the
// corpus lose their URL. It returns the text and the sections it cites, in
// marker order, or an error when the text must not be shown.
func verify(text string, sources []*corpus.Section) (string, []*corpus.Section, error) {
	text = markerLink.ReplaceAllString(text, "[$1]")
	text, cited := renumber(text, sources)
	if len(cited) == 0 {
		return "", nil, errNoCitation
	}
	text = strings.TrimSpace(stripForeignLinks(text, allowedURLs(sources, cited)))
	switch {
	case strings.TrimSpace(marker.ReplaceAllString(text, "")) == "":
		return "", nil, errEmptyText
	case approvalClaim.MatchString(text):
		return "", nil, errApprovalClaim
	}
	return text, cited, nil
}

// renumber rewrites the citation markers of text: [n] must name one of
// sources; valid ones are numbered 1, 2, … in order of first use, and a
// marker with no valid number is dropped with the space before it.
func renumber(text string, sources []*corpus.Section) (string, []*corpus.Section) {
	newNum := map[int]int{} // source number → citation number
	var cited []*corpus.Section
	var b strings.Builder
	last := 0
	for _, m := range marker.FindAllStringSubmatchIndex(text, -1) {
		b.WriteString(text[last:m[0]])
		last = m[1]
		var group []int
		for _, f := range strings.FieldsFunc(text[m[2]:m[3]], func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			n, err := strconv.Atoi(f)
			if err != nil || n < 1 || n > len(sources) {
				continue
			}
			if _, ok := newNum[n]; !ok {
				cited = append(cited, sources[n-1])
				newNum[n] = len(cited)
			}
			if !contains(group, newNum[n]) {
				group = append(group, newNum[n])
			}
		}
		if len(group) == 0 {
			trimTrailingSpace(&b)
			continue
		}
		for _, k := range group {
			b.WriteString("[" + strconv.Itoa(k) + "]")
		}
	}
	b.WriteString(text[last:])
	return b.String(), cited
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func trimTrailingSpace(b *strings.Builder) {
	s := b.String()
	t := strings.TrimRight(s, " \t")
	if len(t) != len(s) {
		b.Reset()
		b.WriteString(t)
	}
}

// allowedURLs are the URLs a model may show: the sections it was given and
// the links inside the sections it cites.
func allowedURLs(sources, cited []*corpus.Section) map[string]bool {
	ok := map[string]bool{}
	for _, s := range sources {
		ok[normalURL(s.URL)] = true
	}
	for _, s := range cited {
		for _, u := range urlInText.FindAllString(s.Text, -1) {
			ok[normalURL(u)] = true
		}
	}
	return ok
}

func normalURL(u string) string {
	return strings.TrimRight(strings.TrimSpace(u), "/.,;:")
}

// stripForeignLinks keeps Markdown links and URLs that lead into the corpus
// and reduces the others to their link text (bare URLs vanish).
func stripForeignLinks(text string, allowed map[string]bool) string {
	var b strings.Builder
	last := 0
	for _, m := range linkOrURL.FindAllStringSubmatchIndex(text, -1) {
		b.WriteString(text[last:m[0]])
		last = m[1]
		whole := text[m[0]:m[1]]
		if m[6] >= 0 { // a Markdown link or image
			label, url := text[m[4]:m[5]], text[m[6]:m[7]]
			if m[3] > m[2] || !allowed[normalURL(url)] {
				whole = label // images never; foreign links keep their words
			}
			b.WriteString(whole)
			continue
		}
		url := text[m[8]:m[9]]
		// Sentence punctuation after a bare URL is not part of it.
		trimmed := strings.TrimRight(url, ".,;:!?'\"")
		if allowed[normalURL(trimmed)] {
			b.WriteString(whole)
			continue
		}
		trimTrailingSpace(&b)
		b.WriteString(url[len(trimmed):])
	}
	b.WriteString(text[last:])
	return b.String()
}
