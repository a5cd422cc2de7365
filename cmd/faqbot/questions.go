package main

import (
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/sashabaranov/go-openai"

	"github.com/faqbot/faqbot/bot/llm"
	"github.com/faqbot/faqbot/internal/metrics"
	"github.com/faqbot/faqbot/retrieval"
)

// questionCacheFile holds, in the data dir, the questions the model wrote
// for sections, by section content.
const questionCacheFile = "questions.json"

// newQuestionWriter has the chat model write what sections answer, for
// the sections no shipped questions cover, once per section content: the
// cache in the data dir keeps them across refreshes and restarts. With
// cacheOnly it never calls the model: a command that answers one question
// should not first pay for a corpus's worth of calls.
func newQuestionWriter(cfg config, log *slog.Logger, m *metrics.Metrics, cacheOnly bool) (*llm.QuestionWriter, error) {
	cache, err := retrieval.OpenQuestionCache(filepath.Join(cfg.DataDir, questionCacheFile))
	if err != nil {
		return nil, bad("FAQBOT_DATA_DIR", "%v", err)
	}
	// A client of its own, whose replies are bounded: a question list is a
	// few kilobytes, and nobody waits on it to cut a runaway reply short.
	client := openai.NewClientWithConfig(openAIConfig(cfg, log, m, llm.MaxQuestionReplyBytes))
	w := llm.NewQuestionWriter(client, llm.QuestionOptions{Model: cfg.ChatModel, Cache: cache, CacheOnly: cacheOnly, Logger: log})
	err = m.TrackQuestions(func() (int64, int64, int64, int64) {
		st := w.Stats()
		return st.Generated, st.Cached, st.Failed, st.Skipped
	})
	if err != nil {
		return nil, fmt.Errorf("register question metrics: %w", err)
	}
	return w, nil
}
