package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/handlers"
)

// Delivery retries: a 429 is retried after its Retry-After, a 5xx after a
// short pause, up to maxAttempts calls in all.
const (
	maxAttempts  = 5
	maxRetryWait = time.Minute
	serverPause  = time.Second
)

// deliver posts one reply. Failures are logged with their context; the bot
// goes on serving. again is set for a reply that a replica which died may
// have posted: the thread check is skipped for it, since that replica's
// own mark (with a shared store) would otherwise hide it for good. It
// returns the ts of a message it posted with chat.postMessage, which a
// follow-up may replace; "" otherwise.
func (b *Bot) deliver(ctx context.Context, req handlers.Request, r handlers.Reply, again bool) string {
	r = completeReply(req, r)
	key := threadKey(r)
	if !again && b.seen.repeated(key) {
		b.cfg.Observer.Deduplicated("thread")
		b.log.Debug("same reply already in the thread; not repeated", "channel", r.ChannelID, "thread_ts", r.ThreadTS)
		return ""
	}
	method, ts, err := b.post(ctx, r)
	b.cfg.Observer.ReplyPosted(method, outcome(err))
	if err != nil {
		b.log.Warn("reply not delivered", "method", method, "delivery", r.Delivery,
			"channel", r.ChannelID, "thread_ts", r.ThreadTS, "user", r.UserID, "error", err)
		return ""
	}
	b.seen.markPosted(key)
	return ts
}

// completeReply fills what a handler may leave out from the request it
// answers: channel, user, the thread to answer in, the response URL, and
// the message an action replaces.
func completeReply(req handlers.Request, r handlers.Reply) handlers.Reply {
	if r.ChannelID == "" {
		r.ChannelID = req.ChannelID
	}
	if r.UserID == "" {
		r.UserID = req.UserID
	}
	switch r.Delivery {
	case handlers.DeliverThread:
		if r.ThreadTS == "" {
			r.ThreadTS = req.ThreadTS
		}
		if r.ThreadTS == "" {
			r.ThreadTS = req.TS
		}
	case handlers.DeliverEphemeral:
		if r.ResponseURL == "" {
			r.ResponseURL = req.ResponseURL
		}
	case handlers.DeliverReplace:
		if r.MessageTS == "" && r.ResponseURL == "" {
			if a := req.Action; a != nil && !a.Ephemeral && a.MessageTS != "" {
				r.MessageTS = a.MessageTS
			} else {
				r.ResponseURL = req.ResponseURL
			}
		}
	}
	return r
}

// post sends the reply the way its Delivery asks. It returns the method
// used, for the logs, and the ts of a message posted with chat.postMessage.
func (b *Bot) post(ctx context.Context, r handlers.Reply) (method, ts string, err error) {
	opts := []slack.MsgOption{slack.MsgOptionText(r.Text, false)}
	if len(r.Blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(r.Blocks...))
	}
	if r.ThreadTS != "" && r.Delivery != handlers.DeliverReplace {
		opts = append(opts, slack.MsgOptionTS(r.ThreadTS))
	}
	postMessage := func() error {
		var err error
		_, ts, err = b.apiFor(ctx).PostMessageContext(ctx, r.ChannelID, opts...)
		return err
	}
	switch r.Delivery {
	case handlers.DeliverEphemeral:
		if r.ResponseURL != "" {
			return "response_url", "", b.retry(ctx, func() error { return b.webhook(ctx, r, "ephemeral", false) })
		}
		return "chat.postEphemeral", "", b.retry(ctx, func() error {
			_, err := b.apiFor(ctx).PostEphemeralContext(ctx, r.ChannelID, r.UserID, opts...)
			return err
		})
	case handlers.DeliverThread:
		err = b.retry(ctx, postMessage)
		return "chat.postMessage", ts, err
	case handlers.DeliverChannel:
		if r.ResponseURL != "" {
			return "response_url", "", b.retry(ctx, func() error { return b.webhook(ctx, r, "in_channel", false) })
		}
		err = b.retry(ctx, postMessage)
		return "chat.postMessage", ts, err
	case handlers.DeliverReplace:
		if r.MessageTS != "" && r.ChannelID != "" {
			return "chat.update", "", b.retry(ctx, func() error {
				_, _, _, err := b.apiFor(ctx).UpdateMessageContext(ctx, r.ChannelID, r.MessageTS, opts...)
				return err
			})
		}
		if r.ResponseURL != "" {
			return "response_url", "", b.retry(ctx, func() error { return b.webhook(ctx, r, "", true) })
		}
		return "chat.update", "", errors.New("nothing to replace: the reply has neither a message ts nor a response URL")
	case handlers.DeliverHome:
		return "views.publish", "", b.retry(ctx, func() error {
			_, err := b.apiFor(ctx).PublishViewContext(ctx, slack.PublishViewContextRequest{
				UserID: r.UserID,
				View:   slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: r.Blocks}},
			})
			return err
		})
	}
	return string(r.Delivery), "", fmt.Errorf("unknown delivery %q", r.Delivery)
}

// webhook posts to a response URL (no token: the URL is the credential).
func (b *Bot) webhook(ctx context.Context, r handlers.Reply, responseType string, replace bool) error {
	msg := &slack.WebhookMessage{Text: r.Text, ResponseType: responseType, ReplaceOriginal: replace}
	if len(r.Blocks) > 0 {
		msg.Blocks = &slack.Blocks{BlockSet: r.Blocks}
	}
	return slack.PostWebhookCustomHTTPContext(ctx, r.ResponseURL, b.cfg.HTTPClient, msg)
}

// retry calls fn until it succeeds, fails for good, or maxAttempts calls
// were made. Slack's 429 carries Retry-After, which is honoured; ctx ends
// the wait.
func (b *Bot) retry(ctx context.Context, fn func() error) error {
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || attempt == maxAttempts {
			return err
		}
		var wait time.Duration
		var rl *slack.RateLimitedError
		var sc slack.StatusCodeError
		switch {
		case errors.As(err, &rl):
			wait = max(rl.RetryAfter, 100*time.Millisecond)
			b.cfg.Observer.RateLimited(wait)
		case errors.As(err, &sc) && sc.Code >= 500:
			wait = serverPause * time.Duration(attempt)
		default:
			return err
		}
		if wait > maxRetryWait {
			return fmt.Errorf("%w (retry after %v is too long)", err, wait)
		}
		b.log.Debug("Slack asks to wait; retrying", "in", wait, "attempt", attempt, "error", err)
		if !sleep(ctx, wait) {
			return fmt.Errorf("%w (gave up waiting: %w)", err, ctx.Err())
		}
	}
}
