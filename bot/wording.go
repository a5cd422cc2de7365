package bot

import "fmt"

// What faqbot tells people, worded once for every transport: Slack, Teams,
// the web chat and the command line say the same thing the same way.
// Transports put their own markup around these words, and pass contact
// names already escaped for their format.

const (
	// SourcesHeading heads the FAQ sections an answer cites.
	SourcesHeading = "Sources"
	// NearestSectionsHeading heads the sections cited when the FAQ holds
	// no answer: the nearest ones, which are not an answer.
	NearestSectionsHeading = "Nearest sections"
	// NearestSectionsCaveat follows NearestSectionsHeading where there is
	// room, in parentheses.
	NearestSectionsCaveat = "they may not answer your question"
	// NotReadyText answers a question asked while the first index builds.
	NotReadyText = "I'm still loading the FAQ. Please ask again in a minute."
)

// CitationsHeading heads a's citations: its sources, or only the nearest
// sections when the FAQ does not answer the question.
func CitationsHeading(a Answer) string {
	if a.Answered {
		return SourcesHeading
	}
	return NearestSectionsHeading
}

// TooLongText is the reply to a question of n characters, over
// MaxQuestionChars.
func TooLongText(n int) string {
	return fmt.Sprintf("That message is too long for me (%d characters). Please ask your question in at most %d characters, one question at a time.", n, MaxQuestionChars)
}

// ApologyText tells the asker that answering failed, so that they are not
// left in silence, and whom else to ask (contact; none named when "").
func ApologyText(contact string) string {
	text := "Sorry, something went wrong while I was answering. Please try again in a minute"
	if contact != "" {
		text += ", or contact " + contact
	}
	return text + "."
}

// HandedOffText tells the asker that a person has their question; where,
// when not "", names the place it went (a Slack channel link).
func HandedOffText(where string) string {
	if where != "" {
		return "I've passed your question to the team in " + where + "; a person will follow up."
	}
	return "I've passed your question to the team; a person will follow up."
}

// NoHandOffText tells the asker that their question needs a person but
// none can be reached from here.
func NoHandOffText(contact string) string {
	return "A person needs to take this one, but I can't hand questions over from here. " + contactSentence(contact)
}

// HandOffFailedText tells the asker that handing their question to a
// person failed.
func HandOffFailedText(contact string) string {
	return "I couldn't reach the team just now. " + contactSentence(contact)
}

func contactSentence(contact string) string {
	if contact == "" {
		return "Please contact a person on your team directly."
	}
	return "Please contact " + contact + " directly."
}
