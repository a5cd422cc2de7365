package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// maxCitations bounds the citations kept per exchange; answers cite a few.
const maxCitations = 10

// Record keeps an answered question and returns its ID. It implements
// bot.Recorder.
func (s *Store) Record(ctx context.Context, e bot.Exchange) (string, error) {
	id := newID()
	if e.Time.IsZero() {
		e.Time = s.now()
	}
	cites := e.Citations[:min(len(e.Citations), maxCitations)]
	anchors := make([]string, 0, len(cites))
	for _, c := range cites {
		anchors = append(anchors, cut(c.Anchor, maxRef))
	}
	err := s.write(ctx, committed, func(tx *sql.Tx) error {
		if _, err := s.txExec(ctx, tx, insertExchangeSQL,
			id, millis(e.Time), cut(e.Transport, maxRef), cut(e.Conversation, maxRef), s.Asker(e.Asker),
			cut(e.Question, maxQuestion), cut(e.Answer, maxAnswer), e.Answered, e.Escalate, cut(string(e.Reason), maxRef),
			strings.Join(anchors, " "), cut(string(e.Mode), maxRef), cut(e.CorpusVersion, maxRef), e.Latency.Microseconds()); err != nil {
			return err
		}
		for i, c := range cites {
			if _, err := s.txExec(ctx, tx, insertCitationSQL,
				id, i+1, anchors[i], cut(c.Title, maxRef), cut(c.Document, maxRef), cut(c.URL, maxRef)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("record exchange: %w", err)
	}
	return id, nil
}
