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
// same message. A follow-up to replace a message the bot posted (in a DM,
// a thread) replaces it by the ts chat.postMessage returned.
//
// c counts the replies of the job, follow-ups included, so that a job
// taken over skips those already posted.
func (b *Bot) deliverAll(ctx context.Context, c *cursor, req handlers.Request, replies []handlers.Reply) {
	b.deliverChain(ctx, c, req, replies, 0)
}

func (b *Bot) deliverChain(ctx context.Context, c *cursor, req handlers.Request, replies []handlers.Reply, depth int) {
	for _, r := range replies {
		ts := b.deliverNext(ctx, c, req, r)
		if r.Then == nil || depth >= maxFollowUps {
			continue
		}
		parent := completeReply(req, r)
		next := b.followUp(ctx, req, r)
		for i := range next {
			n := &next[i]
			switch {
			case n.Delivery == "":
				n.Delivery, n.ChannelID, n.ThreadTS, n.UserID = parent.Delivery, parent.ChannelID, parent.ThreadTS, parent.UserID
				n.ResponseURL, n.MessageTS = parent.ResponseURL, parent.MessageTS
			case n.Delivery == handlers.DeliverReplace && n.MessageTS == "" && n.ResponseURL == "" && posted(parent):
				// A message posted in a DM or a thread ("Checking 6
				// records…") is replaced by its ts. Without one (a
				// replica that died posted it, or the post failed), the
				// follow-up is posted where the message went.
				if ts != "" {
					n.ChannelID, n.MessageTS = parent.ChannelID, ts
				} else {
					n.Delivery, n.ChannelID, n.ThreadTS, n.UserID = parent.Delivery, parent.ChannelID, parent.ThreadTS, parent.UserID
				}
			}
		}
		b.deliverChain(ctx, c, req, next, depth+1)
	}
}

// posted is true for a reply that goes out with chat.postMessage: in a
// thread, or in a channel or DM without a response URL.
func posted(r handlers.Reply) bool {
	return r.Delivery == handlers.DeliverThread || r.Delivery == handlers.DeliverChannel && r.ResponseURL == ""
}

// followUp calls a reply's Then; a panic there is logged and answered with
// nothing more.
func (b *Bot) followUp(ctx context.Context, req handlers.Request, r handlers.Reply) (replies []handlers.Reply) {
	defer b.recovered("follow-up", "source", req.Source, "channel", req.ChannelID)
	return r.Then(ctx)
}
