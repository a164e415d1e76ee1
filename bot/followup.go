package bot

import (
	"context"

	"github.com/smtpcodes/smtpbot/handlers"
)

// maxFollowUps bounds the chain of Then calls of one request, so that a
// handler's mistake cannot keep a worker posting forever.
const maxFollowUps = 4

// deliverAll posts replies in order; after each one whose Then is set, it
// calls Then and posts what it returns, addressed like the reply before it
// unless it says otherwise: "Checking 6 records…", then the result in the
// same message.
//
// c counts the replies of the job, follow-ups included, so that a job
// taken over skips those already posted.
func (b *Bot) deliverAll(ctx context.Context, c *cursor, req handlers.Request, replies []handlers.Reply) {
	b.deliverChain(ctx, c, req, replies, 0)
}

func (b *Bot) deliverChain(ctx context.Context, c *cursor, req handlers.Request, replies []handlers.Reply, depth int) {
	for _, r := range replies {
		b.deliverNext(ctx, c, req, r)
		if r.Then == nil || depth >= maxFollowUps {
			continue
		}
		parent := completeReply(req, r)
		next := b.followUp(ctx, req, r)
		for i := range next {
			if next[i].Delivery == "" {
				n := &next[i]
				n.Delivery, n.ChannelID, n.ThreadTS, n.UserID = parent.Delivery, parent.ChannelID, parent.ThreadTS, parent.UserID
				n.ResponseURL, n.MessageTS = parent.ResponseURL, parent.MessageTS
			}
		}
		b.deliverChain(ctx, c, req, next, depth+1)
	}
}

// followUp calls a reply's Then; a panic there is logged and answered with
// nothing more.
func (b *Bot) followUp(ctx context.Context, req handlers.Request, r handlers.Reply) (replies []handlers.Reply) {
	defer b.recovered("follow-up", "source", req.Source, "channel", req.ChannelID)
	return r.Then(ctx)
}
