package bot

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/slack-go/slack/socketmode"
)

// inbound is one request from Slack, whatever the transport: socket mode
// and HTTP mode both hand theirs to receive, so that dedupe, queueing, acks
// and the workers are the same for both.
type inbound struct {
	// evt is the request as socketmode decodes it: Type and Data
	// (Request is nil over HTTP).
	evt socketmode.Event
	// id is the envelope id (socket mode) or the HTTP request's id, for
	// logs.
	id string
	// ack tells Slack the request was received: AckCtx in socket mode, the
	// 200 over HTTP. receive calls it exactly once, also for a request it
	// drops.
	ack func()
}

// socketInbound wraps a socket-mode envelope.
func (b *Bot) socketInbound(evt socketmode.Event) inbound {
	env := ""
	if evt.Request != nil {
		env = evt.Request.EnvelopeID
	}
	return inbound{evt: evt, id: env, ack: func() { b.ack(env) }}
}

// receive takes one request (an Events API event, a slash command or an
// interaction), from either transport. It queues the request's tasks in
// the work queue under the keys that stay the same across redeliveries
// (event_id, trigger_id, channel and ts of a message), and acks only once
// the queue holds them: a replica that dies before the ack leaves the
// request to Slack's redelivery, one that dies after leaves it in the
// queue, where another replica takes it over. A redelivery of a request
// already queued, on whatever replica, is acked and dropped.
//
// When the queue's store cannot be reached, the tasks run here without it
// (at most once per delivery: dedupe fails open) rather than not at all.
func (b *Bot) receive(in inbound) {
	acked := false
	ack := func() {
		if !acked {
			acked = true
			in.ack()
		}
	}
	defer ack()
	defer b.recovered("dispatch", "type", in.evt.Type, "envelope_id", in.id)
	bt := b.dispatch(in.evt, in.id)
	if len(bt.tasks) == 0 {
		return
	}
	if len(bt.keys) == 0 {
		// Every request Slack sends has an event or trigger id; a request
		// without one is at least not queued twice per envelope.
		bt.keys = []string{"envelope/" + in.id}
	}
	if b.backlogFull() && !bt.forgets() {
		b.cfg.Observer.Dropped("queue_full")
		b.log.Warn("too many requests waiting; request dropped", "source", bt.tasks[0].Req.Source, "envelope_id", in.id)
		return
	}
	payload, err := json.Marshal(bt.tasks)
	if err != nil {
		b.log.Error("request not queued: cannot encode it", "envelope_id", in.id, "error", err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	id, queued, err := b.queue.Enqueue(ctx, bt.keys, b.cfg.EventTTL, payload)
	cancel()
	switch {
	case err != nil:
		b.queueDown(err)
		ack()
		b.submit(job{tasks: bt.tasks})
	case !queued:
		b.cfg.Observer.Deduplicated(redeliveryKind(bt.keys[0]))
		b.log.Debug("redelivered request dropped", "key", bt.keys[0], "envelope_id", in.id)
	default:
		b.queueUp()
		b.backlog.Add(1)
		b.log.Debug("request queued", "job", id, "envelope_id", in.id)
	}
}

// redeliveryKind names what identified a redelivery, for the metrics: "event",
// "trigger", "message" or "envelope".
func redeliveryKind(key string) string {
	kind, _, _ := strings.Cut(key, "/")
	if kind == "msg" {
		return "message"
	}
	return kind
}
