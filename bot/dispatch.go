package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/smtpcodes/smtpbot/handlers"
)

// ShortcutCallbackID is the callback id of the message shortcut
// "Explain SMTP codes" in the app's configuration.
const ShortcutCallbackID = "explain_codes"

// jobTimeout bounds one request: downloads, the handler, and delivery with
// its retries.
const jobTimeout = 2 * time.Minute

// job is one request waiting for a worker, with what the worker must fetch
// before calling the handler.
type job struct {
	req        handlers.Request
	files      []slack.File // attached files; text ones are appended to Text
	parent     bool         // fetch the thread parent's text into ParentText
	envelopeID string
}

// onEvent runs on the event loop: it acks, filters and queues, and never
// waits on the network.
func (b *Bot) onEvent(evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeEventsAPI, socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive:
		env := ""
		if evt.Request != nil {
			env = evt.Request.EnvelopeID
			b.ack(env)
		}
		defer b.recovered("dispatch", "type", evt.Type, "envelope_id", env)
		b.dispatch(evt, env)
	case socketmode.EventTypeErrorBadMessage:
		b.onBadMessage(evt)
	case socketmode.EventTypeConnecting:
		b.log.Debug("connecting to Slack")
	case socketmode.EventTypeConnected:
		if c, ok := evt.Data.(*socketmode.ConnectedEvent); ok {
			b.log.Info("connected to Slack", "connection", c.ConnectionCount+1)
		}
	case socketmode.EventTypeHello:
		b.log.Debug("hello from Slack")
	case socketmode.EventTypeConnectionError:
		if c, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			b.log.Warn("cannot connect to Slack; retrying", "attempt", c.Attempt, "in", c.Backoff, "error", c.ErrorObj)
		}
	case socketmode.EventTypeInvalidAuth:
		b.log.Error("Slack refused the app-level token (SLACK_APP_TOKEN)")
	case socketmode.EventTypeIncomingError:
		if e, ok := evt.Data.(*slack.IncomingEventError); ok {
			if errors.Is(e.ErrorObj, websocket.ErrReadLimit) {
				b.log.Warn("frame from Slack over the read limit; reconnecting (Slack sends the envelope again, up to 3 times)",
					"read_limit", b.cfg.ReadLimit)
				return
			}
			b.log.Warn("unreadable frame from Slack", "error", e.ErrorObj)
		}
	case socketmode.EventTypeErrorWriteFailed:
		if e, ok := evt.Data.(*socketmode.ErrorWriteFailed); ok && e.Response != nil {
			b.log.Warn("ack not written", "envelope_id", e.Response.EnvelopeID, "error", e.Cause)
		}
	default:
		if evt.Request != nil && evt.Request.EnvelopeID != "" {
			b.ack(evt.Request.EnvelopeID)
		}
		b.log.Debug("event ignored", "type", evt.Type)
	}
}

// onBadMessage handles an envelope slack-go could not decode (a payload of
// an unexpected shape, an unknown envelope type). slack-go passes it on
// without a Request, so nothing acks it unless the bot reads its
// envelope_id from the raw message; unacked, Slack would redeliver it three
// times. It is logged once: a redelivery (same payload, new envelope id)
// is acked again quietly. The log holds the envelope's id, type and size
// and the decoding error with quoted values cut out, never payload text.
func (b *Bot) onBadMessage(evt socketmode.Event) {
	bad, ok := evt.Data.(*socketmode.ErrorBadMessage)
	if !ok {
		b.log.Warn("malformed envelope skipped")
		return
	}
	var head struct {
		Type         string          `json:"type"`
		EnvelopeID   string          `json:"envelope_id"`
		RetryAttempt int             `json:"retry_attempt"`
		Payload      json.RawMessage `json:"payload"`
	}
	// A field of the wrong type is skipped and the others still read.
	_ = json.Unmarshal(bad.Message, &head)
	b.ack(head.EnvelopeID)
	body := []byte(head.Payload)
	if len(body) == 0 {
		body = bad.Message
	}
	sum := sha256.Sum256(body)
	if !b.seen.first("bad/" + hex.EncodeToString(sum[:16])) {
		b.log.Debug("malformed envelope redelivered; acked again", "type", head.Type,
			"envelope_id", head.EnvelopeID, "retry_attempt", head.RetryAttempt)
		return
	}
	b.log.Warn("malformed envelope acked and skipped", "type", head.Type, "envelope_id", head.EnvelopeID,
		"retry_attempt", head.RetryAttempt, "bytes", len(bad.Message), "error", redactQuoted(errorText(bad.Cause)))
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// redactQuoted replaces what stands between double or single quotes with
// "…": decoding errors quote the values they could not read (strconv's
// `parsing "…"`, a JSON syntax error's `invalid character 'x'`), and those
// values come from users' messages.
func redactQuoted(s string) string {
	var out strings.Builder
	var quote rune
	for _, r := range s {
		switch {
		case quote == 0:
			out.WriteRune(r)
			if r == '"' || r == '\'' {
				quote = r
			}
		case r == quote:
			out.WriteString("…")
			out.WriteRune(r)
			quote = 0
		}
	}
	if quote != 0 {
		out.WriteString("…")
	}
	return out.String()
}

func (b *Bot) malformed(typ socketmode.EventType, env, why string) {
	b.log.Warn("malformed envelope skipped", "type", typ, "envelope_id", env, "error", why)
}

func (b *Bot) dispatch(evt socketmode.Event, env string) {
	switch evt.Type {
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok {
			b.malformed(evt.Type, env, "payload is not an Events API event")
			return
		}
		b.onEventsAPI(ev, env)
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok {
			b.malformed(evt.Type, env, "payload is not a slash command")
			return
		}
		if !b.firstTrigger(cmd.TriggerID) {
			return
		}
		b.submit(job{envelopeID: env, req: handlers.Request{
			Source: handlers.SourceSlash, UserID: cmd.UserID, ChannelID: cmd.ChannelID,
			Text: cmd.Text, ResponseURL: cmd.ResponseURL,
		}})
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok {
			b.malformed(evt.Type, env, "payload is not an interaction")
			return
		}
		b.onInteraction(cb, env)
	}
}

func (b *Bot) onEventsAPI(ev slackevents.EventsAPIEvent, env string) {
	if ev.Type != slackevents.CallbackEvent {
		if ev.Type == slackevents.AppRateLimited {
			b.log.Warn("Slack is rate limiting this app's events", "envelope_id", env)
		} else {
			b.log.Debug("events API envelope ignored", "type", ev.Type, "envelope_id", env)
		}
		return
	}
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok && cb.EventID != "" {
		if !b.seen.first("event/" + cb.EventID) {
			b.log.Debug("redelivered event dropped", "event_id", cb.EventID, "envelope_id", env)
			return
		}
	}
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.MessageEvent:
		b.onMessage(e, env)
	case *slackevents.AppMentionEvent:
		b.onMention(e, env)
	case *slackevents.AppHomeOpenedEvent:
		if e.Tab != "home" {
			return
		}
		b.submit(job{envelopeID: env, req: handlers.Request{
			Source: handlers.SourceHome, UserID: e.User, ChannelID: e.Channel,
		}})
	default:
		b.log.Debug("event ignored", "event", ev.InnerEvent.Type, "envelope_id", env)
	}
}

// fromSelf tells the bot's own messages.
func (b *Bot) fromSelf(user, botID string) bool {
	return (user != "" && user == b.botUserID) || (botID != "" && botID == b.botID)
}

func (b *Bot) onMessage(e *slackevents.MessageEvent, env string) {
	msg := e.Message
	if msg == nil {
		msg = &slack.Msg{}
	}
	fromBot := e.BotID != ""
	switch e.SubType {
	case "", "thread_broadcast", "file_share":
	case "bot_message":
		fromBot = true
	default: // message_changed, message_deleted, channel_join, ...
		b.log.Debug("message ignored", "subtype", e.SubType, "envelope_id", env)
		return
	}
	if b.fromSelf(e.User, e.BotID) {
		return
	}
	if fromBot && !b.cfg.ReplyToBots {
		b.log.Debug("message from another bot ignored", "bot_id", e.BotID, "envelope_id", env)
		return
	}
	req := handlers.Request{
		Source: handlers.SourceMessage, UserID: e.User, ChannelID: e.Channel,
		TS: e.TimeStamp, ThreadTS: e.ThreadTimeStamp, Text: e.Text,
	}
	j := job{envelopeID: env, files: msg.Files}
	switch {
	case e.ChannelType == slackevents.ChannelTypeIM:
		req.Source = handlers.SourceDM
	case b.botUserID != "" && strings.Contains(e.Text, "<@"+b.botUserID+">"):
		// Slack sends an app_mention for this message too; treat both the
		// same so that whichever comes first is answered.
		req.Source = handlers.SourceMention
		j.parent = inThread(req)
	}
	if !b.seen.first("msg/" + e.Channel + "/" + e.TimeStamp) {
		b.log.Debug("message already handled", "channel", e.Channel, "ts", e.TimeStamp)
		return
	}
	j.req = req
	b.submit(j)
}

func (b *Bot) onMention(e *slackevents.AppMentionEvent, env string) {
	if b.fromSelf(e.User, e.BotID) || e.Edited != nil {
		return
	}
	if e.BotID != "" && !b.cfg.ReplyToBots {
		return
	}
	req := handlers.Request{
		Source: handlers.SourceMention, UserID: e.User, ChannelID: e.Channel,
		TS: e.TimeStamp, ThreadTS: e.ThreadTimeStamp, Text: e.Text,
	}
	if !b.seen.first("msg/" + e.Channel + "/" + e.TimeStamp) {
		b.log.Debug("mention already handled", "channel", e.Channel, "ts", e.TimeStamp)
		return
	}
	b.submit(job{envelopeID: env, req: req, files: e.Files, parent: inThread(req)})
}

func inThread(r handlers.Request) bool { return r.ThreadTS != "" && r.ThreadTS != r.TS }

// firstTrigger reports whether a slash command or an interaction is new.
// Each user action has its own trigger id, which a redelivery repeats under
// a new envelope id, so it is the key that answers an action once.
func (b *Bot) firstTrigger(id string) bool {
	if id == "" || b.seen.first("trigger/"+id) {
		return true
	}
	b.log.Debug("redelivered action ignored", "trigger_id", id)
	return false
}

func (b *Bot) onInteraction(cb slack.InteractionCallback, env string) {
	if !b.firstTrigger(cb.TriggerID) {
		return
	}
	switch cb.Type {
	case slack.InteractionTypeMessageAction:
		if cb.CallbackID != ShortcutCallbackID {
			b.log.Debug("shortcut ignored", "callback_id", cb.CallbackID)
			return
		}
		ts := cb.Message.Timestamp
		if ts == "" {
			ts = cb.MessageTs
		}
		b.submit(job{envelopeID: env, files: cb.Message.Files, req: handlers.Request{
			Source: handlers.SourceShortcut, UserID: cb.User.ID, ChannelID: cb.Channel.ID,
			TS: ts, ThreadTS: cb.Message.ThreadTimestamp, Text: cb.Message.Text,
			ResponseURL: cb.ResponseURL,
		}})
	case slack.InteractionTypeBlockActions:
		channel := cb.Channel.ID
		if channel == "" {
			channel = cb.Container.ChannelID
		}
		for _, a := range cb.ActionCallback.BlockActions {
			if a == nil {
				continue
			}
			value := a.Value
			if value == "" {
				value = a.SelectedOption.Value
			}
			b.submit(job{envelopeID: env, req: handlers.Request{
				Source: handlers.SourceAction, UserID: cb.User.ID, ChannelID: channel,
				TS: cb.Container.MessageTs, ThreadTS: cb.Container.ThreadTs,
				ResponseURL: cb.ResponseURL,
				Action: &handlers.Action{
					ActionID: a.ActionID, Value: value,
					MessageTS: cb.Container.MessageTs, Ephemeral: cb.Container.IsEphemeral,
				},
			}})
		}
	default:
		b.log.Debug("interaction ignored", "type", cb.Type, "envelope_id", env)
	}
}

// laneKey puts the requests of one channel in one lane; Home tab visits,
// which have no channel to post in, go in the user's lane.
func laneKey(r handlers.Request) string {
	if r.Source == handlers.SourceHome || r.ChannelID == "" {
		return "user/" + r.UserID
	}
	return "channel/" + r.ChannelID
}

func (b *Bot) submit(j job) {
	if !b.pool.submit(laneKey(j.req), j) {
		b.cfg.Observer.Dropped("queue_full")
		b.log.Warn("too many requests waiting; request dropped",
			"source", j.req.Source, "channel", j.req.ChannelID, "envelope_id", j.envelopeID)
	}
}

// runJob runs on a worker: it fetches what the request needs, calls the
// handler and delivers the replies in order.
func (b *Bot) runJob(j job) {
	defer b.recovered("request", "source", j.req.Source, "channel", j.req.ChannelID, "envelope_id", j.envelopeID)
	ctx, cancel := context.WithTimeout(b.workCtx, jobTimeout)
	defer cancel()
	req := j.req
	req.Text, req.Cut = b.requestText(ctx, req.Text, j.files)
	if j.parent {
		var parentCut handlers.Cut
		req.ParentText, parentCut = b.parentText(ctx, req.ChannelID, req.ThreadTS)
		if !req.Cut.Cut() {
			req.Cut = parentCut
		}
	}
	start := time.Now()
	replies := b.handle(ctx, req, j.envelopeID)
	b.deliverAll(ctx, req, replies)
	b.log.Debug("request handled", "source", req.Source, "channel", req.ChannelID,
		"envelope_id", j.envelopeID, "replies", len(replies), "took", time.Since(start))
}

// handle calls the handler; a panic there is logged and answered with
// silence.
func (b *Bot) handle(ctx context.Context, req handlers.Request, env string) (replies []handlers.Reply) {
	defer b.recovered("handler", "source", req.Source, "channel", req.ChannelID, "envelope_id", env)
	defer b.observeHandled(req.Source, time.Now())
	return b.h.Handle(ctx, req)
}

// parentText fetches the text of a thread's parent message (and of its
// text files), for a mention inside the thread.
func (b *Bot) parentText(ctx context.Context, channel, threadTS string) (string, handlers.Cut) {
	msgs, _, _, err := b.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
		ChannelID: channel, Timestamp: threadTS, Limit: 1, Inclusive: true,
	})
	if err != nil {
		b.log.Warn("cannot read thread parent", "method", "conversations.replies", "channel", channel, "thread_ts", threadTS, "error", err)
		return "", handlers.Cut{}
	}
	for _, m := range msgs {
		if m.Timestamp == threadTS {
			return b.requestText(ctx, m.Text, m.Files)
		}
	}
	return "", handlers.Cut{}
}
