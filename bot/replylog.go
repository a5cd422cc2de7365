package bot

import "context"

// ReplyLog ties recorded exchanges to the platform messages they were
// asked and answered in, so that a transport finds them again after a
// restart: the last turns of a conversation for follow-ups, and the
// answer a click on a reply is about.
type ReplyLog interface {
	// LinkReply records that exchange id was asked in the platform message
	// questionRef and answered in replyRef.
	LinkReply(ctx context.Context, id, questionRef, replyRef string) error
	// RecentExchanges returns up to n of the latest exchanges of a
	// conversation on transport, oldest first.
	RecentExchanges(ctx context.Context, transport, conversation string, n int) ([]Exchange, error)
	// ExchangeByReply returns the exchange answered in message replyRef of
	// the conversation, or ErrNotFound.
	ExchangeByReply(ctx context.Context, transport, conversation, replyRef string) (Exchange, error)
}
