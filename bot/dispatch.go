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

// task is one request for a worker, with what the worker must fetch
// before calling the handler. It travels through the work queue as JSON.
type task struct {
	Req      handlers.Request `json:"req"`
	Files    []slack.File     `json:"files,omitempty"`  // attached files; text ones are appended to Text
	Parent   bool             `json:"parent,omitempty"` // fetch the thread parent's text into ParentText
	Envelope string           `json:"envelope,omitempty"`
	// Forget, when set, makes the task an uninstall (forget.go) rather
	// than a request to answer.
	Forget *forgetOrder `json:"forget,omitempty"`
}

// batch is what one inbound request asks for: the tasks (a block_actions
// payload may carry several actions) and the keys that identify the
// request across redeliveries, under which it is queued once.
type batch struct {
	tasks []task
	keys  []string
}

func (bt *batch) add(t task)       { bt.tasks = append(bt.tasks, t) }
func (bt *batch) key(k, id string) { bt.keys = append(bt.keys, k+"/"+id) }

// onEvent runs on the event loop: it acks, filters and queues, and never
// waits on the network.
func (b *Bot) onEvent(evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeEventsAPI, socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive:
		b.receive(b.socketInbound(evt))
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

// dispatch reads the request and says what to do with it. It never waits
// on the network.
func (b *Bot) dispatch(evt socketmode.Event, env string) *batch {
	bt := &batch{}
	switch evt.Type {
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok {
			b.malformed(evt.Type, env, "payload is not an Events API event")
			return bt
		}
		b.onEventsAPI(bt, ev, env)
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok {
			b.malformed(evt.Type, env, "payload is not a slash command")
			return bt
		}
		if cmd.TriggerID != "" {
			bt.key("trigger", cmd.TriggerID)
		}
		bt.add(task{Envelope: env, Req: handlers.Request{
			Source: handlers.SourceSlash, TeamID: cmd.TeamID, EnterpriseID: cmd.EnterpriseID,
			UserID: cmd.UserID, ChannelID: cmd.ChannelID,
			Text: cmd.Text, ResponseURL: cmd.ResponseURL,
		}})
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok {
			b.malformed(evt.Type, env, "payload is not an interaction")
			return bt
		}
		b.onInteraction(bt, cb, env)
	}
	return bt
}

func (b *Bot) onEventsAPI(bt *batch, ev slackevents.EventsAPIEvent, env string) {
	if ev.Type != slackevents.CallbackEvent {
		if ev.Type == slackevents.AppRateLimited {
			b.log.Warn("Slack is rate limiting this app's events", "envelope_id", env)
		} else {
			b.log.Debug("events API envelope ignored", "type", ev.Type, "envelope_id", env)
		}
		return
	}
	o := origin{team: ev.TeamID, enterprise: ev.EnterpriseID}
	var eventTime int64 // event_time, in the outer payload of socket and HTTP mode alike
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
		if cb.EventID != "" {
			bt.key("event", cb.EventID)
		}
		o = eventOrigin(ev, cb)
		eventTime = int64(cb.EventTime)
	}
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.MessageEvent:
		b.onMessage(bt, e, env, o)
	case *slackevents.AppMentionEvent:
		b.onMention(bt, e, env, o)
	case *slackevents.AppHomeOpenedEvent:
		if e.Tab != "home" {
			return
		}
		bt.add(task{Envelope: env, Req: handlers.Request{
			Source: handlers.SourceHome, TeamID: o.team, EnterpriseID: o.enterprise,
			UserID: e.User, ChannelID: e.Channel,
		}})
	case *slackevents.AppUninstalledEvent:
		bt.add(forgetTask(o, "app_uninstalled", eventTime, env))
	case *slackevents.TokensRevokedEvent:
		if len(e.Tokens.Bot) > 0 {
			bt.add(forgetTask(o, "tokens_revoked", eventTime, env))
		}
	default:
		b.log.Debug("event ignored", "event", ev.InnerEvent.Type, "envelope_id", env)
	}
}

// fromSelf tells the bot's own messages: from its user in the event's
// workspace, or from the bot of SLACK_BOT_TOKEN.
func (b *Bot) fromSelf(o origin, user, botID string) bool {
	return (user != "" && (user == b.botUserID || user == o.botUser)) || (botID != "" && botID == b.botID)
}

// selfMention is how a message mentions the bot in the event's workspace.
func (b *Bot) selfMention(o origin) string {
	if o.botUser != "" {
		return "<@" + o.botUser + ">"
	}
	if b.botUserID != "" {
		return "<@" + b.botUserID + ">"
	}
	return ""
}

func (b *Bot) onMessage(bt *batch, e *slackevents.MessageEvent, env string, o origin) {
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
	if b.fromSelf(o, e.User, e.BotID) {
		return
	}
	if fromBot && !b.cfg.ReplyToBots {
		b.log.Debug("message from another bot ignored", "bot_id", e.BotID, "envelope_id", env)
		return
	}
	req := handlers.Request{
		Source: handlers.SourceMessage, TeamID: o.team, EnterpriseID: o.enterprise,
		UserID: e.User, ChannelID: e.Channel,
		TS: e.TimeStamp, ThreadTS: e.ThreadTimeStamp, Text: withAttachments(e.Text, msg.Attachments),
	}
	j := task{Envelope: env, Files: attachedFiles(msg.Files, msg.Attachments)}
	switch {
	case e.ChannelType == slackevents.ChannelTypeIM:
		req.Source = handlers.SourceDM
	case b.selfMention(o) != "" && strings.Contains(e.Text, b.selfMention(o)):
		// Slack sends an app_mention for this message too; treat both the
		// same so that whichever comes first is answered.
		req.Source = handlers.SourceMention
		j.Parent = inThread(req)
	}
	// The message and the app_mention of one message are answered once.
	bt.key("msg", e.Channel+"/"+e.TimeStamp)
	j.Req = req
	bt.add(j)
}

func (b *Bot) onMention(bt *batch, e *slackevents.AppMentionEvent, env string, o origin) {
	if b.fromSelf(o, e.User, e.BotID) || e.Edited != nil {
		return
	}
	if e.BotID != "" && !b.cfg.ReplyToBots {
		return
	}
	req := handlers.Request{
		Source: handlers.SourceMention, TeamID: o.team, EnterpriseID: o.enterprise,
		UserID: e.User, ChannelID: e.Channel,
		TS: e.TimeStamp, ThreadTS: e.ThreadTimeStamp, Text: e.Text,
	}
	bt.key("msg", e.Channel+"/"+e.TimeStamp)
	bt.add(task{Envelope: env, Req: req, Files: e.Files, Parent: inThread(req)})
}

func inThread(r handlers.Request) bool { return r.ThreadTS != "" && r.ThreadTS != r.TS }

// onInteraction reads a shortcut or block actions. Each user action has
// its own trigger id, which a redelivery repeats under a new envelope id,
// so it is the key that answers an action once.
func (b *Bot) onInteraction(bt *batch, cb slack.InteractionCallback, env string) {
	if cb.TriggerID != "" {
		bt.key("trigger", cb.TriggerID)
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
		bt.add(task{Envelope: env, Files: attachedFiles(cb.Message.Files, cb.Message.Attachments), Req: handlers.Request{
			Source: handlers.SourceShortcut, TeamID: cb.Team.ID, EnterpriseID: cb.Enterprise.ID,
			UserID: cb.User.ID, ChannelID: cb.Channel.ID,
			TS: ts, ThreadTS: cb.Message.ThreadTimestamp, Text: withAttachments(cb.Message.Text, cb.Message.Attachments),
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
			bt.add(task{Envelope: env, Req: handlers.Request{
				Source: handlers.SourceAction, TeamID: cb.Team.ID, EnterpriseID: cb.Enterprise.ID,
				UserID: cb.User.ID, ChannelID: channel,
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
// which have no channel to post in, go in the user's lane; uninstalls in
// their workspace's.
func laneKey(t task) string {
	if f := t.Forget; f != nil {
		return "forget/" + f.Enterprise + "/" + f.Team
	}
	r := t.Req
	if r.Source == handlers.SourceHome || r.ChannelID == "" {
		return "user/" + r.UserID
	}
	return "channel/" + r.ChannelID
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
	msgs, _, _, err := b.apiFor(ctx).GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
		ChannelID: channel, Timestamp: threadTS, Limit: 1, Inclusive: true,
	})
	if err != nil {
		b.log.Warn("cannot read thread parent", "method", "conversations.replies", "channel", channel, "thread_ts", threadTS, "error", err)
		return "", handlers.Cut{}
	}
	for _, m := range msgs {
		if m.Timestamp == threadTS {
			return b.requestText(ctx, withAttachments(m.Text, m.Attachments), attachedFiles(m.Files, m.Attachments))
		}
	}
	return "", handlers.Cut{}
}
