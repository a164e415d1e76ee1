package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smtpcodes/smtpbot/handlers"
	"github.com/smtpcodes/smtpbot/store"
)

// job is one entry of the work queue: the tasks of one request, run in
// order on one worker.
type job struct {
	// id is the queue's id of the entry; "" for a request run without the
	// queue (its store was unreachable).
	id    string
	tasks []task
	// reclaimed: another replica held the job and left it unfinished;
	// progress is how far its replies went.
	reclaimed bool
	progress  store.Progress
}

// takeBatch is how many jobs the taker asks for at once; it keeps at most
// twice Workers jobs on this replica, so that a backlog stays in the queue,
// where any replica can take it, rather than behind this one's workers.
const takeBatch = 16

// consumerName names this replica in the queue's consumer group: the
// host, the process and a random part, so that two replicas (or a replica
// and its restart) never share a name.
func consumerName() string {
	host, _ := os.Hostname()
	var r [4]byte
	_, _ = rand.Read(r[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(r[:]))
}

// queueState follows the work queue's store: outages are logged once
// when they start and once when they end.
type queueState struct {
	down     atomic.Bool
	failures atomic.Int64
	// undone holds jobs whose Done failed: retried by the maintenance loop,
	// and touched meanwhile (they are still this replica's in the queue).
	mu     sync.Mutex
	undone []string
}

func (b *Bot) queueDown(err error) {
	b.qs.failures.Add(1)
	b.cfg.Observer.StoreFailed("queue")
	if b.qs.down.CompareAndSwap(false, true) {
		b.log.Warn("work queue unreachable: requests are answered by the replica that received them, "+
			"without dedupe, and one in progress when a replica dies is lost", "error", err)
	}
}

func (b *Bot) queueUp() {
	if b.qs.down.CompareAndSwap(true, false) {
		b.log.Info("work queue reachable again", "failed_calls", b.qs.failures.Load())
	}
}

// backlogFull reports, for a bot with its own queue in memory, that
// MaxPending requests are queued or running: a shared queue holds its
// backlog on the server, where every replica takes from it.
func (b *Bot) backlogFull() bool {
	return b.ownQueue != nil && b.backlog.Load() >= int64(b.cfg.MaxPending)
}

// room is how many more jobs this replica takes now.
func (b *Bot) room() int {
	return 2*b.cfg.Workers - b.pool.pendingCount()
}

// runTaker takes new jobs from the queue into the pool until ctx is done.
func (b *Bot) runTaker(ctx context.Context) {
	for ctx.Err() == nil {
		n := min(b.room(), takeBatch)
		if n <= 0 {
			sleep(ctx, 5*time.Millisecond)
			continue
		}
		jobs, err := b.queue.Take(ctx, b.consumer, n, time.Second)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			b.queueDown(err)
			sleep(ctx, 500*time.Millisecond)
			continue
		}
		b.queueUp()
		for _, j := range jobs {
			b.accept(j)
		}
	}
}

// runKeeper keeps this replica's jobs from being taken over while it
// works on them (Touch), takes over the jobs of replicas that went quiet
// (Reclaim), and retries Done calls that failed, until ctx is done.
func (b *Bot) runKeeper(ctx context.Context) {
	every := max(b.cfg.TakeoverAfter/4, 10*time.Millisecond)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		sctx, cancel := context.WithTimeout(ctx, storeTimeout)
		if err := b.queue.Touch(sctx, b.consumer); err != nil {
			cancel()
			if ctx.Err() == nil {
				b.queueDown(err)
			}
			continue
		}
		b.retryDone(sctx)
		if n := min(b.room(), takeBatch); n > 0 {
			jobs, err := b.queue.Reclaim(sctx, b.consumer, b.cfg.TakeoverAfter, n)
			if err != nil && ctx.Err() == nil {
				b.queueDown(err)
			}
			for _, j := range jobs {
				b.cfg.Observer.JobTakenOver()
				b.log.Info("job taken over from a replica that left it unfinished", "job", j.ID,
					"replies_posted", j.Progress.Posted, "uncertain", j.Progress.Uncertain())
				b.accept(j)
			}
		}
		cancel()
	}
}

// accept decodes a job from the queue and hands it to the pool.
func (b *Bot) accept(sj store.Job) {
	var tasks []task
	if err := json.Unmarshal(sj.Payload, &tasks); err != nil || len(tasks) == 0 {
		b.log.Error("unreadable job dropped from the queue", "job", sj.ID, "error", err)
		b.done(sj.ID)
		return
	}
	b.submit(job{id: sj.ID, tasks: tasks, reclaimed: sj.Reclaimed, progress: sj.Progress})
}

// submit hands j to the pool, in its channel's lane.
func (b *Bot) submit(j job) {
	if !b.pool.submit(laneKey(j.tasks[0]), j) {
		// The job stays this replica's in the queue; once it stops
		// touching it (at shutdown) another replica takes it over.
		b.log.Warn("pool closed; job left in the queue", "job", j.id)
	}
}

// runJob runs on a worker: for each task it fetches what the request
// needs, calls the handler and delivers the replies in order, recording
// in the queue how far the replies went; then it removes the job.
func (b *Bot) runJob(j job) {
	defer b.recovered("request", "source", j.tasks[0].Req.Source, "channel", j.tasks[0].Req.ChannelID, "job", j.id)
	ctx, cancel := context.WithTimeout(b.workCtx, jobTimeout)
	defer cancel()
	c := &cursor{job: &j}
	for _, t := range j.tasks {
		if t.Forget != nil {
			if !b.forget(ctx, *t.Forget, t.Envelope) {
				return // shutting down: left in the queue for another replica
			}
			continue
		}
		ws, err := b.workspaceFor(ctx, t.Req)
		if err != nil {
			b.notAnswered(t, err)
			continue
		}
		ctx := withWorkspace(ctx, ws) // every call for the request uses its workspace's token
		req := b.prepare(ctx, t)
		start := time.Now()
		replies := b.handle(ctx, req, t.Envelope)
		b.deliverAll(ctx, c, req, replies)
		b.log.Debug("request handled", "source", req.Source, "channel", req.ChannelID,
			"envelope_id", t.Envelope, "job", j.id, "replies", len(replies), "took", time.Since(start))
	}
	b.done(j.id)
}

// cursor counts the replies of a job as they are delivered.
type cursor struct {
	job *job
	n   int
}

// deliverNext delivers the job's next reply, unless the replica that held
// the job before posted it, and records the progress around the post (see
// takeover.go for what a takeover does with the reply it cannot be sure
// of). It returns what deliver returns: the ts of a message it posted.
func (b *Bot) deliverNext(ctx context.Context, c *cursor, req handlers.Request, r handlers.Reply) string {
	c.n++
	j := c.job
	if j.reclaimed && c.n <= j.progress.Posted {
		return "" // posted by the replica that held the job before
	}
	full := completeReply(req, r)
	gated := j.id != "" && !idempotent(full) && !checkable(full)
	if gated {
		b.postGate.Lock()
		defer b.postGate.Unlock()
	}
	// Before the post: a takeover from here on cannot tell whether it
	// reached Slack.
	b.setProgress(ctx, j.id, store.Progress{Posting: c.n, Posted: c.n - 1})
	again := j.reclaimed && c.n == j.progress.Posting && j.progress.Uncertain()
	if again {
		switch {
		case idempotent(full):
		case checkable(full):
			there, err := b.inThread(ctx, full)
			if there {
				b.log.Info("reply found in its thread, posted by the replica that died; not posted again", "job", j.id, "reply", c.n)
				return ""
			}
			if err == nil {
				break // not there: this is its first post
			}
			b.log.Warn("cannot read the thread to see whether the replica that died posted the reply", "job", j.id, "error", err)
			fallthrough
		default:
			b.cfg.Observer.ReplyRepeated()
			b.log.Warn(repeatedMsg, "job", j.id, "reply", c.n, "source", req.Source)
		}
	}
	ts := b.deliver(ctx, req, r, again)
	if gated {
		b.setProgress(ctx, j.id, store.Progress{Posting: c.n, Posted: c.n})
	}
	return ts
}

// repeatedMsg is logged for every reply posted again after a takeover
// without knowing whether it was already there.
const repeatedMsg = "reply posted again: the replica that held the job died while posting it, so it may be there twice"

// prepare fetches the text of a task's files and thread parent.
func (b *Bot) prepare(ctx context.Context, t task) handlers.Request {
	req := t.Req
	req.Text, req.Cut = b.requestText(ctx, req.Text, t.Files)
	if t.Parent {
		var parentCut handlers.Cut
		req.ParentText, parentCut = b.parentText(ctx, req.ChannelID, req.ThreadTS)
		if !req.Cut.Cut() {
			req.Cut = parentCut
		}
	}
	return req
}

// setProgress records p for the job; a failure costs only precision (a
// takeover may post a reply again), so it is counted and passed over.
func (b *Bot) setProgress(ctx context.Context, id string, p store.Progress) {
	if id == "" {
		return
	}
	sctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	if err := b.queue.SetProgress(sctx, id, p); err != nil {
		b.queueDown(err)
	}
}

// done removes a finished job from the queue, or keeps it for retryDone.
func (b *Bot) done(id string) {
	if b.ownQueue != nil {
		b.backlog.Add(-1)
	}
	if id == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if err := b.queue.Done(ctx, id); err != nil {
		b.queueDown(err)
		b.qs.mu.Lock()
		b.qs.undone = append(b.qs.undone, id)
		b.qs.mu.Unlock()
	}
}

// retryDone retries the Done calls that failed.
func (b *Bot) retryDone(ctx context.Context) {
	b.qs.mu.Lock()
	ids := b.qs.undone
	b.qs.undone = nil
	b.qs.mu.Unlock()
	for i, id := range ids {
		if err := b.queue.Done(ctx, id); err != nil {
			b.qs.mu.Lock()
			b.qs.undone = append(b.qs.undone, ids[i:]...)
			b.qs.mu.Unlock()
			return
		}
	}
}
