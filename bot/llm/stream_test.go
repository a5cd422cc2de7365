package llm

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/llm/llmtest"
)

// deltas collects what a stream showed.
type deltas struct {
	mu sync.Mutex
	b  []string
}

func (d *deltas) add(s string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.b = append(d.b, s)
}

func (d *deltas) text() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return strings.Join(d.b, "")
}

func TestWriteStreamShowsTheAnswerButNotTheMarkers(t *testing.T) {
	srv := llmtest.NewServer(t, func(int, openai.ChatCompletionRequest) llmtest.Reply {
		return llmtest.Reply{Chunks: []string{"You can't get", " an extension [1].\n- Ask your ", "account team [1].\nESC", "ALATE: extension", "_request\n"}}
	})
	var got deltas
	d, err := newWriter(srv, 5*time.Second).WriteStream(context.Background(), request(t, "Can I get an extension?"), got.add)
	if err != nil {
		t.Fatal(err)
	}
	if want := "You can't get an extension [1].\n- Ask your account team [1].\n"; got.text() != want {
		t.Errorf("streamed %q, want %q", got.text(), want)
	}
	if len(got.b) < 3 {
		t.Errorf("streamed in %d pieces, want the text as it arrived", len(got.b))
	}
	if d.Text != "You can't get an extension [1].\n- Ask your account team [1]." || d.Escalation != bot.ExtensionRequest || d.NotCovered {
		t.Errorf("draft %+v", d)
	}
	calls := srv.ChatCalls()
	if len(calls) != 1 || !calls[0].Chat.Stream || calls[0].Chat.ResponseFormat != nil {
		t.Fatalf("requests %+v, want one streamed completion in the text protocol", calls)
	}
	if !strings.Contains(calls[0].System(), `"NOT COVERED"`) {
		t.Error("the streamed request does not carry the text protocol's rules")
	}
}

func TestWriteStreamNotCoveredAndFailures(t *testing.T) {
	srv := llmtest.NewServer(t, func(n int, _ openai.ChatCompletionRequest) llmtest.Reply {
		switch n {
		case 0:
			return llmtest.Reply{Chunks: []string{"NOT ", "COVERED"}}
		case 1:
			return llmtest.Reply{Content: "Segments stay [1]. And more words follow here.", FailAfter: 2}
		}
		return llmtest.Reply{Status: 400}
	})
	w := newWriter(srv, 5*time.Second)
	var got deltas
	d, err := w.WriteStream(context.Background(), request(t, "What is the weather?"), got.add)
	if err != nil || !d.NotCovered || got.text() != "" {
		t.Errorf("NOT COVERED: draft %+v, err %v, streamed %q", d, err, got.text())
	}
	if _, err := w.WriteStream(context.Background(), request(t, "segments?"), got.add); err == nil {
		t.Error("a dropped stream gave no error")
	}
	if _, err := w.WriteStream(context.Background(), request(t, "segments?"), got.add); err == nil {
		t.Error("a refused stream gave no error")
	}
}

func TestMarkerFilter(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"E", "xport first [1]."}, "Export first [1]."},
		{[]string{"Not", " covered by the FAQ? No: it is [1].\n"}, "Not covered by the FAQ? No: it is [1].\n"},
		{[]string{"A [1].\n", "**ESCALATE: user_request**"}, "A [1].\n"},
		{[]string{"A [1].\n", "not_covered\n", "B [1]."}, "A [1].\nB [1]."},
		{[]string{"Escalation is for people [1].\nok"}, "Escalation is for people [1].\nok"},
	} {
		var got deltas
		f := markerFilter{emit: got.add}
		for _, s := range tc.in {
			f.write(s)
		}
		f.flush()
		if got.text() != tc.want {
			t.Errorf("%q: streamed %q, want %q", tc.in, got.text(), tc.want)
		}
	}
}
