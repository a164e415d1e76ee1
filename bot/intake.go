package bot

import (
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
// interaction), from either transport.
func (b *Bot) receive(in inbound) {
	in.ack()
	defer b.recovered("dispatch", "type", in.evt.Type, "envelope_id", in.id)
	b.dispatch(in.evt, in.id)
}
