package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/corpus"
	"github.com/faqbot/faqbot/internal/heaptest"
	"github.com/faqbot/faqbot/retrieval"
)

// faqBot is the real bot over the embedded FAQ, offline.
func faqBot(t *testing.T) *bot.Bot {
	t.Helper()
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	store := retrieval.NewStore(retrieval.NewLocalEmbedder(0), retrieval.StoreOptions{})
	if _, err := store.Load(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	b, err := bot.New(store, bot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// POST /api/ask with a word of the whole question limit is answered by
// the real bot, and one a letter longer refused, each at a cost close to
// a normal question's, with the server's own body limit.
func TestAskAPILongWordWithBoundedWork(t *testing.T) {
	mux := http.NewServeMux()
	NewChat(faqBot(t), ChatOptions{}).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ask := func(question string) (int, []byte, uint64) {
		t.Helper()
		var status int
		var body []byte
		alloc := heaptest.Allocated(func() {
			status, body, _ = post(t, srv.URL+"/api/ask", fmt.Sprintf(`{"question": %q}`, question))
		})
		return status, body, alloc
	}
	ask("What happens to my segments after the transition?") // fills caches
	_, _, normal := ask("What happens to my segments after the transition?")

	status, body, alloc := ask(strings.Repeat("a", bot.MaxQuestionChars))
	heaptest.WithinSlack(t, "a 4,000-letter word", normal, alloc)
	var a bot.Answer
	if err := json.Unmarshal(body, &a); status != http.StatusOK || err != nil {
		t.Fatalf("status %d, body %.300s", status, body)
	}
	if a.Text == "" || strings.Contains(a.Text, "too long") || a.Citations == nil || a.CorpusVersion == "" {
		t.Errorf("answer to a 4,000-letter word = %+v", a)
	}

	status, body, alloc = ask(strings.Repeat("a", bot.MaxQuestionChars+1))
	heaptest.WithinSlack(t, "a 4,001-letter word", normal, alloc)
	if status != http.StatusBadRequest || !strings.Contains(string(body), fmt.Sprintf("longer than %d characters", bot.MaxQuestionChars)) {
		t.Errorf("a 4,001-letter word: status %d, body %s; want 400 naming the limit", status, body)
	}
}
