package bot

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/handlers"
)

// What a replica that takes a job over does with the reply its dead holder
// was posting (it may or may not have reached Slack) depends on the reply:
//
//   - replacing a message (chat.update, replace_original) or publishing the
//     Home tab twice shows it once: posted again, harmless;
//   - a reply in a thread can be looked for (conversations.replies): posted
//     only when it is not there;
//   - the others (ephemeral answers, posts through a response URL) cannot
//     be checked. A replica posts those one at a time, recording each as
//     posted before the next starts, so that a kill leaves at most one of
//     them uncertain: that one is posted again and counted, the only
//     duplicate a kill can cause.

// idempotent reports a reply that shows once however often it is posted.
func idempotent(r handlers.Reply) bool {
	return r.Delivery == handlers.DeliverReplace || r.Delivery == handlers.DeliverHome
}

// checkable reports a reply whose presence a takeover can check: a message
// in a thread. r must be completed (completeReply).
func checkable(r handlers.Reply) bool {
	return r.Delivery == handlers.DeliverThread && r.ThreadTS != "" && r.ChannelID != ""
}

// inThread reports whether the bot already posted r in its thread. An
// error means the thread could not be read.
func (b *Bot) inThread(ctx context.Context, r handlers.Reply) (bool, error) {
	msgs, _, _, err := b.apiFor(ctx).GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
		ChannelID: r.ChannelID, Timestamp: r.ThreadTS, Limit: 1000, Inclusive: true,
	})
	if err != nil {
		return false, err
	}
	for _, m := range msgs {
		if b.fromSelf(selfIn(ctx), m.User, m.BotID) && m.Text == r.Text {
			return true, nil
		}
	}
	return false, nil
}
