package slack

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/faqbot/faqbot/bot"
)

var (
	mdLink    = regexp.MustCompile(`\[([^\]\n]+)\]\((https?://(?:[^\s()]|\([^\s()]*\))+)\)`)
	mdBold    = regexp.MustCompile(`\*\*([^*\n]+?)\*\*|__([^_\n]+?)__`)
	mdItalic  = regexp.MustCompile(`(^|[^*\w])\*([^*\s][^*\n]*?)\*($|[^*\w])`)
	mdHeading = regexp.MustCompile(`(?m)^#{1,6}[ \t]+(.+?)[ \t#]*$`)
	mdBullet  = regexp.MustCompile(`(?m)^([ \t]*)[-*+][ \t]+`)
	mdMarker  = regexp.MustCompile(`\[(\d{1,3})\]`)
)

// escape makes text safe for mrkdwn, where &, < and > are control
// characters.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// linkText makes text safe inside <url|text>.
func linkText(s string) string { return strings.ReplaceAll(escape(s), "|", "¦") }

// link formats a Slack link.
func link(url, text string) string {
	return "<" + linkURL(url) + "|" + linkText(text) + ">"
}

// linkURL makes a URL safe inside <url|text>.
func linkURL(url string) string {
	return strings.NewReplacer("&", "&amp;", "<", "%3C", ">", "%3E", "|", "%7C", " ", "%20").Replace(url)
}

// mrkdwn converts the bot's Markdown to Slack's mrkdwn: **bold** and
// headings become *bold*, *italic* becomes _italic_, [text](url) becomes
// <url|text>, bullets become •, and citation markers [n] link to their
// section.
func mrkdwn(md string, cites []bot.Citation) string {
	s := escape(md)
	s = mdLink.ReplaceAllStringFunc(s, func(m string) string {
		p := mdLink.FindStringSubmatch(m)
		return "<" + strings.ReplaceAll(p[2], "|", "%7C") + "|" + strings.ReplaceAll(p[1], "|", "¦") + ">"
	})
	s = mdBullet.ReplaceAllStringFunc(s, func(m string) string {
		indent := len(m) - len(strings.TrimLeft(m, " \t"))
		if indent >= 2 {
			return strings.Repeat(" ", indent) + "◦ "
		}
		return "• "
	})
	// Bold goes through a placeholder so the italic rule does not see it.
	const boldMark = "\x00"
	s = mdBold.ReplaceAllString(s, boldMark+"$1$2"+boldMark)
	s = mdHeading.ReplaceAllString(s, boldMark+"$1"+boldMark)
	s = mdItalic.ReplaceAllString(s, "${1}_${2}_${3}")
	s = strings.ReplaceAll(s, boldMark, "*")
	return mdMarker.ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.Atoi(m[1 : len(m)-1])
		if n < 1 || n > len(cites) || cites[n-1].Link() == "" {
			return m
		}
		return "<" + linkURL(cites[n-1].Link()) + "|" + m + ">"
	})
}

// sources lists citations as numbered Slack links, matching the [n]
// markers in the text.
func sources(ans bot.Answer) string {
	if len(ans.Citations) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("*" + bot.CitationsHeading(ans) + "*")
	if !ans.Answered {
		b.WriteString(" (" + bot.NearestSectionsCaveat + ")")
	}
	for i, c := range ans.Citations {
		fmt.Fprintf(&b, "\n%d. %s", i+1, citationLink(c))
	}
	return b.String()
}

func citationLink(c bot.Citation) string {
	switch {
	case c.SnapshotURL != "" && c.URL != "":
		// faqbot's copy cannot dead-end; the original may have moved.
		return link(c.SnapshotURL, c.Title) + " (" + link(c.URL, "original") + ")"
	case c.Link() == "":
		return linkText(c.Title)
	}
	return link(c.Link(), c.Title)
}

// chunks splits text into pieces of at most max bytes, at paragraph breaks
// where it can: a section block holds 3000 characters.
func chunks(text string, max int) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, para := range strings.Split(text, "\n\n") {
		for len(para) > max {
			cut := cutAt(para, max)
			flush()
			out = append(out, para[:cut])
			para = para[cut:]
		}
		if cur.Len() > 0 && cur.Len()+2+len(para) > max {
			flush()
		}
		if cur.Len() > 0 {
			cur.WriteString("\n\n")
		}
		cur.WriteString(para)
	}
	flush()
	return out
}

// cutAt finds the last line break, space or rune boundary at or before max.
func cutAt(s string, max int) int {
	if i := strings.LastIndexAny(s[:max], "\n "); i > max/2 {
		return i + 1
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	if max == 0 {
		return len(s)
	}
	return max
}

// truncate shortens s to at most max bytes, on a rune boundary, marking the
// cut.
func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// quote prefixes every line with "> ".
func quote(s string) string {
	return "> " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n> ")
}

var slackMarkup = regexp.MustCompile(`<([^<>|]+)(?:\|([^<>]*))?>`)

// plainText turns a user's Slack message into the question: links become
// their text, and the entities Slack escapes are restored. Mentions of
// other people stay as they are.
func plainText(s string) string {
	s = slackMarkup.ReplaceAllStringFunc(s, func(m string) string {
		p := slackMarkup.FindStringSubmatch(m)
		if strings.HasPrefix(p[1], "@") || strings.HasPrefix(p[1], "#") || strings.HasPrefix(p[1], "!") {
			return m
		}
		if p[2] != "" {
			return p[2]
		}
		return p[1]
	})
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// stripMention removes mentions of the bot from a message.
func stripMention(text, botUserID string) string {
	if botUserID != "" {
		text = strings.ReplaceAll(text, "<@"+botUserID+">", "")
	} else if m := leadingMention.FindString(text); m != "" {
		// Without knowing who the bot is, the mention that starts an
		// app_mention is the bot's.
		text = text[len(m):]
	}
	return strings.TrimSpace(text)
}

var leadingMention = regexp.MustCompile(`^\s*<@[A-Z0-9]+(\|[^>]*)?>`)
