package bot

import "github.com/slack-go/slack/socketmode"

// inbound is one request from Slack, whatever the transport.
type inbound struct {
	evt socketmode.Event // Type and Data as socketmode decodes them (Request is nil over HTTP)
	id  string           // the envelope id (socket mode) or the HTTP request's id, for logs
	ack func()           // tells Slack it was received: AckCtx in socket mode, the 200 over HTTP
}

// receive is the one intake of both transports: it acks the request, then
// filters it, drops redeliveries and queues the work, as the socket-mode
// loop does for an envelope.
func (b *Bot) receive(in inbound) {
	in.ack()
	defer b.recovered("dispatch", "type", in.evt.Type, "id", in.id)
	b.dispatch(in.evt, in.id)
}
