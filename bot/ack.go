package bot

import (
	"context"
	"errors"
	"time"
)

// Acks. The socketmode client's writer takes acks from a small channel
// (20). Normally it has room and the ack is handed over at once, before
// any work on the envelope. When it has none (the socket is being
// replaced, or the writer is starved) the event loop must not wait: the
// client blocks its reconnect on the loop reading its events. Such acks
// go to a queue that a goroutine feeds to the writer as it can.
const (
	ackBudget = 50 * time.Millisecond
	lateAcks  = 4096
)

// ack acknowledges an envelope.
func (b *Bot) ack(envelopeID string) {
	if envelopeID == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), ackBudget)
	err := b.sm.AckCtx(ctx, envelopeID, nil)
	cancel()
	switch {
	case err == nil:
		b.acked(envelopeID)
	case errors.Is(err, context.DeadlineExceeded):
		select {
		case b.late <- envelopeID:
		default:
			// Slack redelivers it; the event id dedupe drops the copy.
			b.log.Warn("too many acks waiting; ack dropped", "envelope_id", envelopeID)
		}
	default:
		b.log.Warn("ack failed", "envelope_id", envelopeID, "error", err)
	}
}

// runAcker hands the late acks to the client's writer until ctx is done.
func (b *Bot) runAcker(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-b.late:
			err := b.sm.AckCtx(ctx, id, nil)
			if err == nil {
				b.acked(id)
			} else if ctx.Err() == nil {
				b.log.Warn("ack failed", "envelope_id", id, "error", err)
			}
		}
	}
}
