package bot

import "unicode/utf8"

// Limits on what one question may carry, the same for every transport.
// They keep the work of answering linear in, and bounded by, what a person
// can sensibly send: a question of a few sentences and a short thread.
const (
	// MaxQuestionChars bounds a question, in characters. Longer text is not
	// a question but a document; it gets TooLongText instead of an answer.
	MaxQuestionChars = 4000
	// MaxHistoryTurns is how many earlier turns of a thread are kept (the
	// latest); MaxTurnChars bounds each of them.
	MaxHistoryTurns = 10
	MaxTurnChars    = 2000
)

// boundHistory keeps the latest MaxHistoryTurns turns, each cut to
// MaxTurnChars, so that follow-up handling stays bounded whatever a
// transport passes on.
func boundHistory(turns []Turn) []Turn {
	if len(turns) > MaxHistoryTurns {
		turns = turns[len(turns)-MaxHistoryTurns:]
	}
	out := make([]Turn, len(turns))
	for i, t := range turns {
		out[i] = Turn{Role: t.Role, Text: truncateRunes(t.Text, MaxTurnChars)}
	}
	return out
}

// truncateRunes cuts s to at most n characters without splitting one.
func truncateRunes(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
