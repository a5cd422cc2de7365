package main

import (
	"context"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/web"
)

// suggestionsPeriod is how far back the most-asked sections are counted
// for suggested questions.
const suggestionsPeriod = 30 * 24 * time.Hour

// suggestions offers the FAQ's own questions, the most-cited in the
// records first: Slack's assistant pane and the web chat's empty page.
func (s *server) suggestions() bot.Suggester {
	return &bot.SectionSuggestions{
		Corpus: s.app.corpus,
		Top: func(ctx context.Context) ([]bot.SectionCount, error) {
			now := time.Now().UTC()
			st, err := s.store.Stats(ctx, bot.Period{From: now.Add(-suggestionsPeriod), To: now})
			return st.TopSections, err
		},
	}
}

// faqDate is the date of the FAQ that serves, for the line under answers.
func (s *server) faqDate() string { return bot.CorpusDate(s.app.corpus()) }

// chatOptions configure the web chat: suggestions, feedback in the
// records, and "Ask a person" handed to the Slack escalation channel, else
// the Teams Workflows webhook, else nowhere (the page names the contact).
func (s *server) chatOptions() (web.ChatOptions, error) {
	esc := s.slackEscalations
	if esc == nil {
		teams, err := s.teamsWorkflow(true)
		if err != nil {
			return web.ChatOptions{}, err
		}
		esc = teams
	}
	return web.ChatOptions{
		Logger: s.log, Suggester: s.suggestions(), Feedback: s.store, Escalator: esc,
		Contact: s.app.cfg.Contact, FAQDate: s.faqDate,
	}, nil
}
