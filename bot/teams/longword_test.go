package teams

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/internal/heaptest"
)

const thirtyThousand = 30000

// A signed outgoing-webhook activity holding one 30,000-letter word gets
// the too-long reply, at a cost close to a normal question's: reading and
// verifying the body, stripping the mention and HTML, answering.
func TestWebhookLongWordGetsItsReplyWithBoundedWork(t *testing.T) {
	h, err := NewHandler(testKey(t), newBot(t, bot.Options{}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t, h)
	// ask posts a mention of text under a fresh activity id and returns the
	// reply and the heap the request allocated, client and server.
	n := 0
	ask := func(text string) (string, uint64) {
		t.Helper()
		n++
		body, err := json.Marshal(map[string]any{
			"type": "message", "id": fmt.Sprintf("long-%d", n), "text": "<at>FAQ Bot</at>&nbsp;" + text,
			"from":         map[string]any{"id": "29:1xyz", "name": "Alex Wilber", "aadObjectId": "aad-alex"},
			"conversation": map[string]any{"id": "19:long@thread.skype;messageid=1"},
		})
		if err != nil {
			t.Fatal(err)
		}
		var r response
		alloc := heaptest.Allocated(func() { r = post(t, url, body, sign(testKey(t), body)) })
		if r.status != http.StatusOK || r.msg.Text == "" {
			t.Fatalf("status %d, reply %q", r.status, r.body)
		}
		return r.msg.Text, alloc
	}
	ask("What happens to my segments after the transition?") // fills caches
	_, normal := ask("What happens to my segments after the transition?")
	reply, alloc := ask(strings.Repeat("a", thirtyThousand))
	heaptest.WithinSlack(t, "a 30,000-letter word by outgoing webhook", normal, alloc)
	if !strings.Contains(reply, bot.TooLongText(thirtyThousand)) {
		t.Errorf("reply:\n%.300s\nwant the too-long reply", reply)
	}
}

// The Bot Framework bot takes an activity holding one 30,000-letter word,
// its JWT checked, and posts the too-long reply to the connector; the
// follow-up, whose history holds that word, gets an answer. Each costs
// about what a normal question does, from the request to the record.
func TestBotLongWordGetsItsReplyWithBoundedWork(t *testing.T) {
	e := newBotEnv(t, nil)
	ask := func(id, text string) (string, uint64) {
		t.Helper()
		var reply string
		alloc := heaptest.Allocated(func() { reply = e.answered(id, text).Str("text") })
		return reply, alloc
	}
	ask("1", "What happens to my segments after the transition?") // fills caches
	_, normal := ask("2", "What happens to my segments after the transition?")

	reply, alloc := ask("3", strings.Repeat("a", thirtyThousand))
	heaptest.WithinSlack(t, "a 30,000-letter word by Bot Framework", normal, alloc)
	if !strings.Contains(reply, bot.TooLongText(thirtyThousand)) {
		t.Errorf("reply:\n%.300s\nwant the too-long reply", reply)
	}

	reply, alloc = ask("4", "and what about forms?")
	heaptest.WithinSlack(t, "a follow-up to a 30,000-letter word by Bot Framework", normal, alloc)
	if strings.Contains(reply, "too long") || !strings.Contains(reply, "[1]") {
		t.Errorf("follow-up reply:\n%.600s\nwant an answer citing the FAQ", reply)
	}
	q := e.asker.questions()
	if len(q) != 4 || len(q[3].History) == 0 || len([]rune(q[2].Text)) != thirtyThousand {
		t.Errorf("asked %d questions; the follow-up's history has %d turns, want the long word's", len(q), len(q[len(q)-1].History))
	}
}
