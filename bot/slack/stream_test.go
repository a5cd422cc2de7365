package slack

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// streamingAsker streams its draft as a bot with a model does, then
// returns the verified answer, which differs from the draft.
type streamingAsker struct {
	fakeAsker
	draft []string
}

func (s *streamingAsker) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	if onDelta := bot.DraftsFrom(ctx); onDelta != nil {
		for _, d := range s.draft {
			onDelta(d)
		}
	}
	return s.fakeAsker.Ask(ctx, q)
}

func streamFixture(t *testing.T, draft ...string) *fixture {
	asker := &streamingAsker{fakeAsker: fakeAsker{answer: plainAnswer}, draft: draft}
	asker.answer.Mode = bot.ModeLLM
	fx := newFixture(t, asker, nil)
	fx.app.streamInterval = time.Millisecond
	return fx
}

func joinMarkdown(calls []apiCall) string {
	var b strings.Builder
	for _, c := range calls {
		b.WriteString(c.Form.Get("markdown_text"))
	}
	return b.String()
}

// In a channel: the draft streams into the thread for the asker, then the
// verified answer replaces it, buttons and sources included.
func TestStreamedDraftIsReplacedByTheVerifiedAnswer(t *testing.T) {
	draft := []string{"Export ", "the members ", "before June 30 [1] and keep them forever [7]."}
	fx := streamFixture(t, draft...)
	ev := mention("C1", "1700000030.000100", "", "<@UBOT> segments?")
	ev["team"] = "T1"
	fx.event(t, eventJSON("EvS1", ev))

	got := fx.slack.methods("auth.test", "chat.appendStream")
	want := []string{"reactions.add", "chat.startStream", "chat.stopStream", "chat.update", "reactions.remove"}
	if !slices.Equal(got, want) {
		t.Fatalf("calls %v, want %v (appends between start and stop)", fx.slack.methods("auth.test"), want)
	}
	all := fx.slack.methods("auth.test")
	start, stop := slices.Index(all, "chat.startStream"), slices.Index(all, "chat.stopStream")
	for i, m := range all {
		if m == "chat.appendStream" && (i < start || i > stop) {
			t.Errorf("appendStream outside the stream: %v", all)
		}
	}
	started := fx.slack.callsTo("chat.startStream")[0].Form
	if started.Get("channel") != "C1" || started.Get("thread_ts") != "1700000030.000100" ||
		started.Get("recipient_user_id") != "U123" || started.Get("recipient_team_id") != "T1" {
		t.Errorf("startStream %v, want the thread and the asker as recipient", started)
	}
	streamedText := joinMarkdown(append(fx.slack.callsTo("chat.startStream"), fx.slack.callsTo("chat.appendStream")...))
	if streamedText != strings.Join(draft, "") {
		t.Errorf("streamed %q, want the draft %q", streamedText, strings.Join(draft, ""))
	}
	ts := fx.slack.callsTo("chat.stopStream")[0].Form.Get("ts")
	update := fx.slack.callsTo("chat.update")[0].Form
	if ts == "" || update.Get("ts") != ts || update.Get("channel") != "C1" {
		t.Errorf("update of %s/%s, want the streamed message %s", update.Get("channel"), update.Get("ts"), ts)
	}
	if text := update.Get("text"); !strings.Contains(text, "Export the segment *members* first") || strings.Contains(text, "forever") {
		t.Errorf("the streamed draft was not replaced by the verified answer:\n%s", text)
	}
	if b := update.Get("blocks"); !strings.Contains(b, "feedback_buttons") || !strings.Contains(b, "AI-generated from the FAQ") {
		t.Errorf("the replaced answer lacks its buttons or provenance: %s", b)
	}
	if n := len(fx.slack.postsTo("C1")); n != 0 {
		t.Errorf("%d answers posted besides the streamed one", n)
	}
}

// In a DM no recipient is named; without a draft nothing streams.
func TestStreamInDMAndWithoutModel(t *testing.T) {
	fx := streamFixture(t, "Export [1].")
	fx.event(t, eventJSON("EvS2", map[string]any{"type": "message", "channel_type": "im", "user": "U123", "text": "segments?",
		"ts": "1700000031.000100", "channel": "D1"}))
	started := fx.slack.callsTo("chat.startStream")
	if len(started) != 1 || started[0].Form.Has("recipient_user_id") || started[0].Form.Has("recipient_team_id") {
		t.Errorf("startStream in a DM: %v", started)
	}

	plain := newFixture(t, &fakeAsker{answer: plainAnswer}, nil)
	plain.event(t, eventJSON("EvS3", mention("C1", "1700000032.000100", "", "<@UBOT> segments?")))
	if got := plain.slack.methods("auth.test"); !slices.Equal(got, []string{"reactions.add", "chat.postMessage", "reactions.remove"}) {
		t.Errorf("offline calls %v", got)
	}
}

// A draft that cannot be replaced is deleted and the answer posted.
func TestStreamedDraftThatCannotBeReplaced(t *testing.T) {
	fx := streamFixture(t, "Keep them forever [7].")
	fx.slack.setFail(func(method string, _ url.Values) int {
		if method == "chat.update" {
			return 400
		}
		return 0
	})
	fx.event(t, eventJSON("EvS4", mention("C1", "1700000033.000100", "", "<@UBOT> segments?")))
	del := fx.slack.callsTo("chat.delete")
	stopped := fx.slack.callsTo("chat.stopStream")
	if len(del) != 1 || len(stopped) != 1 || del[0].Form.Get("ts") != stopped[0].Form.Get("ts") {
		t.Errorf("chat.delete calls %v, want the streamed draft deleted", del)
	}
	posts := fx.slack.postsTo("C1")
	if len(posts) != 1 || !strings.Contains(posts[0].Form.Get("text"), "Export the segment") {
		t.Errorf("posts %v, want the verified answer", posts)
	}
}

// A stream Slack refuses to start: the answer is posted as without a
// model.
func TestStreamThatCannotStart(t *testing.T) {
	fx := streamFixture(t, "Keep them forever [7].")
	fx.slack.setFail(func(method string, _ url.Values) int {
		if method == "chat.startStream" {
			return 400
		}
		return 0
	})
	fx.event(t, eventJSON("EvS5", mention("C1", "1700000034.000100", "", "<@UBOT> segments?")))
	if got := fx.slack.methods("auth.test"); !slices.Equal(got, []string{"reactions.add", "chat.startStream", "chat.postMessage", "reactions.remove"}) {
		t.Errorf("calls %v", got)
	}
	if posts := fx.slack.postsTo("C1"); len(posts) != 1 || strings.Contains(posts[0].Form.Get("text"), "forever") {
		t.Errorf("posts %v, want the verified answer", posts)
	}
}
