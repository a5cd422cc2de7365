package llm

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/llm/llmtest"
	"github.com/faqbot/faqbot/retrieval"
)

const guidanceDir = "../../../shared/corpus/guidance"

// What a model might write for two guidance sections whose headings use
// other words than people do, by the start of their heading.
var guidanceQuestions = map[string]questionsReply{
	`You mention a "one-time process" above.`: {
		Answered: []string{
			"Can I run the segment migration tool more than once?",
			"do I have to migrate all segments at once?",
			"migrate segments in batches possible?",
			"Kann ich die Segmente in mehreren Durchgängen migrieren?",
			"can I split the migration into several runs?",
			"est-ce que je peux migrer mes segments en plusieurs fois ?",
		},
		Unanswered: []string{"How long does one migration run take?"},
	},
	"Operating in multiple countries/regions": {
		Answered: []string{
			"How do I manage consent for customers in several countries?",
			"preference center in different languages?",
			"one compliance profile per country?",
			"Einstellungscenter in mehreren Sprachen einrichten?",
			"how to set up a subscription page per region and language",
			"we operate in many countries, how to handle opt-in?",
		},
		Unanswered: []string{"Does Microsoft translate the preference center for me?"},
	},
}

// guidanceModel is a model server that writes questions (plausible ones
// for every other section) and answers, citing source [1]. It remembers
// every question it wrote.
type guidanceModel struct {
	*llmtest.Server
	mu      sync.Mutex
	written []string
}

func newGuidanceModel(t *testing.T) *guidanceModel {
	m := &guidanceModel{}
	m.Server = llmtest.NewServer(t, func(n int, req openai.ChatCompletionRequest) llmtest.Reply {
		if !strings.HasPrefix(req.Messages[0].Content, questionsPrompt[:40]) {
			return llmtest.Answer(`{"answered": true, "answer": "Here is what the guide says [1].", "escalation": "none"}`)
		}
		h := headingOf(req)
		r := questionsReply{Answered: []string{"what does the guide say about " + strings.ToLower(h) + "?"}}
		for heading, qs := range guidanceQuestions {
			if strings.HasPrefix(h, heading) {
				r = qs
			}
		}
		m.mu.Lock()
		m.written = append(m.written, r.Answered...)
		m.written = append(m.written, r.Unanswered...)
		m.mu.Unlock()
		return llmtest.Answer(questionsJSON(r.Answered, r.Unanswered))
	})
	return m
}

func TestGeneratedQuestionsFindGuidanceSectionsWordedOtherwise(t *testing.T) {
	if _, err := os.Stat(guidanceDir); err != nil {
		t.Skipf("the guidance pages are not at %s (%v): this test needs ../shared beside the repository", guidanceDir, err)
	}
	c := loadCorpus(t, guidanceDir)
	model := newGuidanceModel(t)
	client := llmtest.Client(model.BaseURL(), llmtest.Transport(0))
	asked := []struct{ question, want string }{
		{"Must all segments be migrated in one run?", "you-mention-a-one-time-process-above-does-that-mean-i-have-to-do-this-in-one-iteration"},
		{"How should we handle opt-outs for contacts in different regions?", "operating-in-multiple-countriesregions-andor-requiring-preference-centers-in-multiple-languages"},
	}
	ctx := context.Background()
	for _, generated := range []bool{false, true} {
		var questions retrieval.QuestionSource = retrieval.ShippedQuestions{}
		if generated {
			questions = retrieval.ChainQuestions(questions, NewQuestionWriter(client, QuestionOptions{Model: "test-model"}))
		}
		store := retrieval.NewStore(retrieval.NewLocalEmbedder(0), retrieval.StoreOptions{Questions: questions})
		if _, err := store.Load(ctx, c); err != nil {
			t.Fatal(err)
		}
		extractive, err := bot.New(store, bot.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range asked {
			a, err := extractive.Ask(ctx, bot.Question{Text: q.question})
			if err != nil {
				t.Fatal(err)
			}
			found := a.Answered && len(a.Citations) > 0 && a.Citations[0].Anchor == q.want
			if found != generated {
				t.Errorf("generated questions %v: %q answered %v citing %v; want %s first only with generated questions", generated, q.question, a.Answered, anchors(a), q.want)
			}
			if generated {
				model.assertNotShown(t, a)
			}
		}
	}
	model.mu.Lock()
	written := slices.Clone(model.written)
	model.mu.Unlock()
	for heading, qs := range guidanceQuestions {
		if !slices.Contains(written, qs.Answered[0]) {
			t.Fatalf("the model was never asked about %q", heading)
		}
	}

	// A model writing the answer is given the sections, never the
	// questions written for them.
	store := retrieval.NewStore(retrieval.NewLocalEmbedder(0), retrieval.StoreOptions{
		Questions: NewQuestionWriter(client, QuestionOptions{Model: "test-model"}),
	})
	if _, err := store.Load(ctx, c); err != nil {
		t.Fatal(err)
	}
	withModel, err := bot.New(store, bot.Options{Writer: New(client, Options{Model: "test-model"}), Clock: func() time.Time { return today }})
	if err != nil {
		t.Fatal(err)
	}
	before := len(model.ChatCalls())
	for _, q := range asked {
		a, err := withModel.Ask(ctx, bot.Question{Text: q.question})
		if err != nil {
			t.Fatal(err)
		}
		if a.Mode != bot.ModeLLM || len(a.Citations) == 0 || a.Citations[0].Anchor != q.want {
			t.Errorf("%q: mode %s citing %v; want a written answer citing %s", q.question, a.Mode, anchors(a), q.want)
		}
		model.assertNotShown(t, a)
	}
	calls := model.ChatCalls()[before:]
	if len(calls) == 0 {
		t.Fatal("no answer was written by the model")
	}
	for _, call := range calls {
		model.assertNotIn(t, "the answer request", call.User())
	}
}

// assertNotShown fails if an answer quotes or cites a written question.
func (m *guidanceModel) assertNotShown(t *testing.T, a bot.Answer) {
	t.Helper()
	m.assertNotIn(t, "the answer", a.Text)
	for _, c := range a.Citations {
		m.assertNotIn(t, "a citation", c.Title+" "+c.URL+" "+c.Anchor)
	}
}

func (m *guidanceModel) assertNotIn(t *testing.T, where, text string) {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, q := range m.written {
		if strings.Contains(strings.ToLower(text), strings.ToLower(q)) {
			t.Errorf("%s holds the generated question %q:\n%s", where, q, text)
		}
	}
}

func anchors(a bot.Answer) []string {
	var out []string
	for _, c := range a.Citations {
		out = append(out, c.Anchor)
	}
	return out
}
