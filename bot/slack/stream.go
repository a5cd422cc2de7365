package slack

import (
	"context"
	"fmt"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// Streaming a model's answer: chat.startStream with its first words,
// chat.appendStream with what follows, chat.stopStream when the model is
// done. What streams is a draft the bot has not verified yet, so the
// message is then replaced (chat.update) by the answer Ask returned:
// verified, or extractive when verification failed. Without a model
// nothing streams and the answer is posted as before.

// defaultStreamInterval spaces the stream's calls: Slack rate-limits
// appendStream, and a second's worth of words reads fine.
const defaultStreamInterval = time.Second

// maxStreamChunk bounds the markdown_text of one call.
const maxStreamChunk = 10000

// draftStream streams one answer's draft into a thread. Its methods are
// safe for concurrent use: add runs in the model's goroutine, the calls to
// Slack in the stream's own.
type draftStream struct {
	a       *App
	ctx     context.Context
	channel string
	// opts start the stream: its thread and, outside DMs, who it is for.
	opts []slack.MsgOption

	kick chan struct{}
	done chan struct{}
	// stop ends the wait between calls once the draft is complete.
	stop chan struct{}

	mu      sync.Mutex
	pending []byte
	closed  bool
	// running is set once the stream's goroutine started.
	running bool
	// ts is the streamed message, "" until it started; failed stops the
	// stream after a failed call (the final answer still comes).
	ts     string
	failed bool
}

// newDraftStream prepares a stream in thread for m's asker; nothing is
// sent until the first words arrive.
func (a *App) newDraftStream(ctx context.Context, m message, thread string) *draftStream {
	opts := []slack.MsgOption{slack.MsgOptionTS(thread)}
	if m.ChannelType != "im" {
		// Outside DMs Slack must be told whom a stream is for.
		opts = append(opts, slack.MsgOptionRecipientUserID(m.User))
		if m.Team != "" {
			opts = append(opts, slack.MsgOptionRecipientTeamID(m.Team))
		}
	}
	return &draftStream{a: a, ctx: ctx, channel: m.Channel, opts: opts, kick: make(chan struct{}, 1), done: make(chan struct{}), stop: make(chan struct{})}
}

// add takes the next words of the draft.
func (s *draftStream) add(text string) {
	s.mu.Lock()
	if s.closed || s.failed {
		s.mu.Unlock()
		return
	}
	s.pending = append(s.pending, text...)
	start := !s.running
	s.running = true
	s.mu.Unlock()
	if start {
		go s.run()
	}
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// run sends what has arrived, at most once per interval, until finish.
func (s *draftStream) run() {
	defer close(s.done)
	interval := s.a.streamInterval
	for {
		select {
		case <-s.kick:
		case <-s.stop:
		case <-s.ctx.Done():
			return
		}
		s.send()
		s.mu.Lock()
		closed := s.closed
		s.mu.Unlock()
		if closed {
			s.send()
			return
		}
		t := time.NewTimer(interval)
		select {
		case <-t.C:
		case <-s.stop:
		case <-s.ctx.Done():
			t.Stop()
			return
		}
	}
}

// send passes what is pending to Slack: the first call starts the stream.
func (s *draftStream) send() {
	for {
		s.mu.Lock()
		if len(s.pending) == 0 || s.failed {
			s.mu.Unlock()
			return
		}
		chunk := cutChunk(s.pending, maxStreamChunk)
		s.pending = s.pending[len(chunk):]
		ts := s.ts
		s.mu.Unlock()
		var err error
		if ts == "" {
			err = s.a.call(s.ctx, "chat.startStream", func(ctx context.Context) error {
				_, started, err := s.a.api.StartStreamContext(ctx, s.channel, append(s.opts, slack.MsgOptionMarkdownText(string(chunk)))...)
				ts = started
				return err
			})
		} else {
			err = s.a.once(s.ctx, "chat.appendStream", func(ctx context.Context) error {
				_, _, err := s.a.api.AppendStreamContext(ctx, s.channel, ts, slack.MsgOptionMarkdownText(string(chunk)))
				return err
			})
		}
		s.mu.Lock()
		s.ts = ts
		if err != nil {
			s.failed = true
			s.a.log.Warn("streaming the draft failed; the answer follows when it is ready", "channel", s.channel, "err", err)
		}
		s.mu.Unlock()
	}
}

// finish sends the rest of the draft, stops the stream and returns the
// streamed message's ts, "" when nothing was streamed.
func (s *draftStream) finish() string {
	s.mu.Lock()
	s.closed = true
	running := s.running
	s.mu.Unlock()
	close(s.stop)
	if running {
		select {
		case <-s.done:
		case <-s.ctx.Done():
		}
	}
	s.mu.Lock()
	ts := s.ts
	s.mu.Unlock()
	if ts == "" {
		return ""
	}
	err := s.a.call(s.ctx, "chat.stopStream", func(ctx context.Context) error {
		_, _, err := s.a.api.StopStreamContext(ctx, s.channel, ts)
		return err
	})
	if err != nil {
		s.a.log.Warn("cannot stop the stream; replacing it anyway", "channel", s.channel, "ts", ts, "err", err)
	}
	return ts
}

// cutChunk returns the longest prefix of b of at most max bytes that ends
// on a rune boundary.
func cutChunk(b []byte, max int) []byte {
	if len(b) <= max {
		return b
	}
	for max > 0 && !utf8.RuneStart(b[max]) {
		max--
	}
	return b[:max]
}

// deliverAnswer shows the finished answer in thread: it replaces the
// streamed draft (streamed is its ts) or, when nothing streamed, is posted.
// A draft that cannot be replaced is deleted and the answer posted, so
// no unverified text stands as the answer.
func (a *App) deliverAnswer(ctx context.Context, channel, thread, streamed string, r reply) error {
	if streamed != "" {
		err := a.update(ctx, channel, streamed, r.options()...)
		if err == nil {
			return nil
		}
		a.log.Warn("cannot replace the streamed draft; deleting it and posting the answer", "channel", channel, "ts", streamed, "err", err)
		derr := a.call(ctx, "chat.delete", func(ctx context.Context) error {
			_, _, err := a.api.DeleteMessageContext(ctx, channel, streamed)
			return err
		})
		if derr != nil {
			a.log.Error("cannot delete the streamed draft", "channel", channel, "ts", streamed, "err", derr)
		}
	}
	if _, err := a.post(ctx, channel, append(r.options(), threadOption(thread))...); err != nil {
		return fmt.Errorf("post answer: %w", err)
	}
	return nil
}
