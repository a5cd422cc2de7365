package bot_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/retrieval"
)

type gapSource []bot.GapQuestion

func (g gapSource) GapQuestions(context.Context, bot.Period, int) ([]bot.GapQuestion, error) {
	return g, nil
}

type statsOnly struct{ bot.Reports }

func (statsOnly) Stats(_ context.Context, p bot.Period) (bot.Stats, error) {
	return bot.Stats{From: p.From, Questions: 7, Gaps: []bot.Gap{}}, nil
}

// countingEmbedder counts the texts it embeds, failing while fail is set.
type countingEmbedder struct {
	retrieval.Embedder
	texts atomic.Int64
	fail  atomic.Bool
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if c.fail.Load() {
		return nil, errors.New("embeddings API 503")
	}
	c.texts.Add(int64(len(texts)))
	return c.Embedder.Embed(ctx, texts)
}

func TestGapReportsCacheVectorsAndDegrade(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	src := gapSource{
		{ExchangeID: "b", Time: t0.Add(time.Hour), Question: "How do I export email templates as PDF files?", Abstained: true},
		{ExchangeID: "a", Time: t0, Question: "Can I export my email templates to PDF?", Abstained: true,
			Nearest: bot.SectionRef{Anchor: "email", Title: "Email", Document: "faq.md"}},
		{ExchangeID: "c", Time: t0.Add(2 * time.Hour), Question: "What is the price?", NotHelpful: true},
	}
	emb := &countingEmbedder{Embedder: retrieval.NewLocalEmbedder(0)}
	var errs []error
	r := bot.NewGapReports(statsOnly{}, src, emb, func(err error) { errs = append(errs, err) })
	p := bot.Period{From: t0, To: t0.Add(24 * time.Hour)}
	st, err := r.Stats(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Gaps) != 2 || st.Gaps[0].Count != 2 || st.Gaps[0].ID != "a" || st.Gaps[0].Nearest == nil ||
		st.Gaps[0].Nearest.Anchor != "email" || st.Gaps[1].NotHelpful != 1 || st.Questions != 7 {
		t.Fatalf("stats %+v", st)
	}
	if _, err := r.Stats(ctx, p); err != nil {
		t.Fatal(err)
	}
	if n := emb.texts.Load(); n != 3 {
		t.Errorf("embedded %d texts over two reports; want each of 3 once", n)
	}
	// The embeddings API fails: the figures still come, without gaps.
	emb.fail.Store(true)
	r = bot.NewGapReports(statsOnly{}, src, emb, func(err error) { errs = append(errs, err) })
	st, err = r.Stats(ctx, p)
	if err != nil || st.Questions != 7 || len(st.Gaps) != 0 || len(errs) != 1 {
		t.Errorf("with failing embeddings: %+v, %v, errors %v", st, err, errs)
	}
}
