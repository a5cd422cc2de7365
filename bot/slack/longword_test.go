package slack

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/internal/heaptest"
)

// A signed event holding one 30,000-letter word gets the too-long reply in
// its thread, and a follow-up in a thread of such words an answer; neither
// costs much more than a normal question, the Events API request, the
// answer and the Web API calls included.
func TestLongWordsGetTheirReplyWithBoundedWork(t *testing.T) {
	fx := newFixture(t, realBot(t), nil)
	word := strings.Repeat("a", 30000)
	n := 0
	// ask sends a mention of text (in thread, when not "") and returns the
	// reply posted for it and the heap the whole exchange allocated.
	ask := func(thread, text string) (string, uint64) {
		t.Helper()
		n++
		ts := fmt.Sprintf("1700001000.%06d", n)
		var code int
		alloc := heaptest.Allocated(func() {
			code = fx.event(t, eventJSON("EvLong"+ts, mention("C1", ts, thread, "<@UBOT> "+text)))
		})
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		want := ts
		if thread != "" {
			want = thread
		}
		var replies []string
		for _, p := range fx.slack.postsTo("C1") {
			if p.Form.Get("thread_ts") == want {
				replies = append(replies, p.Form.Get("text"))
			}
		}
		if len(replies) != 1 {
			t.Fatalf("%d replies in thread %s, want 1", len(replies), want)
		}
		return replies[0], alloc
	}

	ask("", "What happens to my segments after the transition?") // fills caches
	_, normal := ask("", "What happens to my segments after the transition?")

	reply, alloc := ask("", word)
	heaptest.WithinSlack(t, "a 30,000-letter word", normal, alloc)
	if !strings.Contains(reply, bot.TooLongText(30000)) {
		t.Errorf("reply to a 30,000-letter word:\n%.300s\nwant the too-long reply", reply)
	}

	root := "1700001000.900000"
	fx.slack.setThread(root, []slack.Message{
		{Msg: slack.Msg{User: "U123", Text: "<@UBOT> " + word, Timestamp: root}},
		{Msg: slack.Msg{User: botUserID, BotID: botID, Text: bot.TooLongText(30000), Timestamp: "1700001000.900001", ThreadTimestamp: root}},
		{Msg: slack.Msg{User: "U123", Text: word + " " + word, Timestamp: "1700001000.900002", ThreadTimestamp: root}},
	})
	reply, alloc = ask(root, "and what about forms?")
	heaptest.WithinSlack(t, "a follow-up after 30,000-letter words", normal, alloc)
	if strings.Contains(reply, "too long") || !strings.Contains(reply, "<https://learn.microsoft.com/") {
		t.Errorf("follow-up in a thread of long words:\n%.600s\nwant an answer citing the FAQ", reply)
	}
}
