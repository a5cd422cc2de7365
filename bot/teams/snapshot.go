package teams

import "github.com/faqbot/faqbot/bot"

// citationMarkdown links a citation in a card's or reply's source list: to
// faqbot's snapshot of the section when there is one (the original page
// may move or lose its anchors), with the original beside it.
func citationMarkdown(c bot.Citation) string {
	if c.SnapshotURL == "" {
		return markdownLink(c.Title, c.URL)
	}
	s := markdownLink(c.Title, c.SnapshotURL)
	if c.URL != "" {
		s += " (" + markdownLink("original", c.URL) + ")"
	}
	return s
}
