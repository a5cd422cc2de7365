package bot

import "context"

// StreamWriter is a Writer that can also show its answer while it writes
// it. What it streams is a draft: the bot verifies the finished text as it
// does any other, and the transport must replace the streamed draft with
// the answer Ask returns, whatever came of the verification.
type StreamWriter interface {
	Writer
	// WriteStream is Write, telling onDelta each piece of the answer's
	// text as it arrives (never the protocol's marker lines).
	WriteStream(ctx context.Context, req WriteRequest, onDelta func(text string)) (Draft, error)
}

type draftsKey struct{}

// WithDrafts asks the bot to stream a model's answer to onDelta while it
// is written, when the Writer can. The transport that asks shows the
// pieces as a draft and replaces them with the verified answer; without a
// model nothing is streamed.
func WithDrafts(ctx context.Context, onDelta func(text string)) context.Context {
	return context.WithValue(ctx, draftsKey{}, onDelta)
}

// DraftsFrom returns the function WithDrafts put in ctx, nil when none:
// for Askers and Writers outside this package that stream themselves.
func DraftsFrom(ctx context.Context) func(string) {
	fn, _ := ctx.Value(draftsKey{}).(func(string))
	return fn
}

// draft asks the Writer for an answer, streamed when the caller asked for
// drafts and the Writer can.
func (b *Bot) draft(ctx context.Context, req WriteRequest) (Draft, error) {
	sw, ok := b.writer.(StreamWriter)
	onDelta := DraftsFrom(ctx)
	if !ok || onDelta == nil {
		return b.writer.Write(ctx, req)
	}
	return sw.WriteStream(ctx, req, onDelta)
}
