package store

import (
	"context"
	"time"
)

// Queue is the work queue every replica of the bot shares: a request is
// queued once, whichever replica received it and however often Slack
// delivered it; one replica takes it; when that replica dies before it is
// done, another takes it over. It is what lets the bot ack Slack only once
// the request is safe: a replica killed after its ack loses nothing.
//
// A job's life: Enqueue (the receiving replica, before it acks) → Take (a
// consumer; the job is now held by it) → Touch, while it works, so that
// nobody takes it over → SetProgress as its replies are posted → Done.
// A job whose holder stopped touching it for an idle time goes to the
// next consumer that calls Reclaim, with the progress its last holder
// recorded, so that replies already posted are not posted again.
//
// Redis implements it with a stream and a consumer group (XADD,
// XREADGROUP, XAUTOCLAIM, XACK); Embedded with a queue in memory (it
// serves one process, whose death loses its queue as the process's
// memory: the same as before there was a queue).
type Queue interface {
	// Enqueue adds payload as a new job unless one of keys was already
	// enqueued less than ttl ago (by any caller, on any replica); the
	// check and the add are one atomic step. It returns the job's id and
	// true, or "" and false for a duplicate. keys must not be empty.
	//
	// When the store cannot be reached it returns an error wrapping
	// ErrUnavailable and nothing was queued: the caller handles the job
	// itself, without the queue's guarantees.
	Enqueue(ctx context.Context, keys []string, ttl time.Duration, payload []byte) (id string, queued bool, err error)
	// Take returns up to max jobs that no consumer took yet, oldest first,
	// and makes consumer their holder. When there are none it waits up to
	// wait (not at all when wait is zero) for one to be queued, then
	// returns what there is, maybe nothing.
	Take(ctx context.Context, consumer string, max int, wait time.Duration) ([]Job, error)
	// Reclaim makes consumer the holder of up to max jobs whose holder
	// has neither touched them nor finished them for at least idle, and
	// returns them with Reclaimed set and the progress recorded so far.
	Reclaim(ctx context.Context, consumer string, idle time.Duration, max int) ([]Job, error)
	// Touch tells that consumer is alive and still works on every job it
	// holds: their idle time starts again. A job another consumer has
	// reclaimed in the meantime is no longer consumer's and is left alone.
	Touch(ctx context.Context, consumer string) error
	// SetProgress records how far the job's replies went, for whoever
	// takes it over.
	SetProgress(ctx context.Context, id string, p Progress) error
	// Done removes the job for good: it is never returned again. Done on a
	// job already done is not an error.
	Done(ctx context.Context, id string) error
}

// Job is one queued request.
type Job struct {
	ID      string
	Payload []byte
	// Reclaimed is true for a job that another consumer held before.
	Reclaimed bool
	// Progress is what its earlier holders recorded (zero for a new job).
	Progress Progress
}

// Progress is how far a job's replies went. Before posting reply n
// (counted from 1) the worker records Posting = n; once Slack took it,
// Posted = n; after the last, Finished. A holder that takes a job over
// skips the replies up to Posted; when Posting > Posted, reply Posting may
// or may not have reached Slack (its holder died in between) and is posted
// again: the only way a reply is duplicated.
type Progress struct {
	Posting  int  `json:"posting,omitempty"`
	Posted   int  `json:"posted,omitempty"`
	Finished bool `json:"finished,omitempty"`
}

// Uncertain reports whether the last holder may have posted reply Posting
// without recording it.
func (p Progress) Uncertain() bool { return p.Posting > p.Posted }
