package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// The queue's keys, all under one hash tag so that the scripts below,
// which touch several of them, work in a Redis Cluster (every key of a
// script must be in one slot). The cost: the queue lives on one node of a
// Cluster; it holds only the jobs in flight, a few kilobytes each.
//
//	{queue}:jobs            the stream of jobs; consumer group "workers"
//	{queue}:seen:<key>      a dedupe key of a queued job, with its ttl
//	{queue}:progress:<id>   hash posting, posted, finished of a job
const (
	queueGroup = "workers"
	// progressTTL outlives any job: a job not done within it is long
	// dead, and its progress with it.
	progressTTL = 24 * time.Hour
)

func (r *Redis) streamKey() string            { return r.prefix + "{queue}:jobs" }
func (r *Redis) seenKey(k string) string      { return r.prefix + "{queue}:seen:" + k }
func (r *Redis) progressKey(id string) string { return r.prefix + "{queue}:progress:" + id }

// enqueueScript adds the job unless one of its keys exists; KEYS[1] is the
// stream, the others the dedupe keys. It returns the new id, or nil.
var enqueueScript = redis.NewScript(`
for i = 2, #KEYS do
	if redis.call("EXISTS", KEYS[i]) == 1 then return false end
end
for i = 2, #KEYS do
	redis.call("SET", KEYS[i], "1", "PX", ARGV[1])
end
return redis.call("XADD", KEYS[1], "*", "p", ARGV[2])
`)

// touchScript resets the idle time of every entry the consumer holds, and
// of no other: XCLAIM with a min-idle of 0 would take back an entry
// another consumer had reclaimed, so the ids come from the consumer's own
// pending list, in the same atomic step.
var touchScript = redis.NewScript(`
local mine = redis.call("XPENDING", KEYS[1], ARGV[1], "-", "+", 1000, ARGV[2])
if #mine == 0 then return 0 end
local ids = {}
for i, e in ipairs(mine) do ids[i] = e[1] end
redis.call("XCLAIM", KEYS[1], ARGV[1], ARGV[2], 0, unpack(ids))
return #ids
`)

// doneScript acknowledges and deletes the entry and drops its progress.
var doneScript = redis.NewScript(`
redis.call("XACK", KEYS[1], ARGV[1], ARGV[2])
redis.call("XDEL", KEYS[1], ARGV[2])
redis.call("DEL", KEYS[2])
return 1
`)

// Enqueue implements Queue with enqueueScript: the dedupe and the XADD are
// one atomic step, so a replica that dies between them cannot leave a key
// claimed for a job that was never queued.
func (r *Redis) Enqueue(ctx context.Context, keys []string, ttl time.Duration, payload []byte) (string, bool, error) {
	if len(keys) == 0 || ttl <= 0 {
		return "", false, fmt.Errorf("%w: enqueue: no key or ttl not positive", ErrInvalid)
	}
	ks := make([]string, 0, len(keys)+1)
	ks = append(ks, r.streamKey())
	for _, k := range keys {
		if k == "" {
			return "", false, fmt.Errorf("%w: enqueue: empty key", ErrInvalid)
		}
		ks = append(ks, r.seenKey(k))
	}
	id, err := enqueueScript.Run(ctx, r.c, ks, ttl.Milliseconds(), payload).Text()
	if errors.Is(err, redis.Nil) {
		return "", false, nil
	}
	if err != nil {
		return "", false, r.wrap("enqueue", err)
	}
	return id, true, nil
}

// ensureGroup creates the consumer group (and the stream) unless it is
// there. It starts at the stream's first entry, so jobs queued before any
// consumer existed are taken too.
func (r *Redis) ensureGroup(ctx context.Context) error {
	err := r.c.XGroupCreateMkStream(ctx, r.streamKey(), queueGroup, "0").Err()
	if err != nil && !strings.Contains(err.Error(), "BUSYGROUP") {
		return r.wrap("create consumer group", err)
	}
	r.groupReady.Store(true)
	return nil
}

// withGroup runs fn, creating the consumer group first when it is missing
// (on first use, or after the server lost its data).
func (r *Redis) withGroup(ctx context.Context, fn func() error) error {
	if !r.groupReady.Load() {
		if err := r.ensureGroup(ctx); err != nil {
			return err
		}
	}
	err := fn()
	if err != nil && strings.Contains(err.Error(), "NOGROUP") {
		if err := r.ensureGroup(ctx); err != nil {
			return err
		}
		err = fn()
	}
	return err
}

// Take implements Queue with XREADGROUP.
func (r *Redis) Take(ctx context.Context, consumer string, max int, wait time.Duration) ([]Job, error) {
	if consumer == "" || max <= 0 {
		return nil, fmt.Errorf("%w: take: empty consumer or max not positive", ErrInvalid)
	}
	var streams []redis.XStream
	err := r.withGroup(ctx, func() error {
		block := time.Duration(-1) // no BLOCK argument: do not wait
		if wait > 0 {
			block = wait
		}
		var err error
		streams, err = r.c.XReadGroup(ctx, &redis.XReadGroupArgs{
			Group: queueGroup, Consumer: consumer, Streams: []string{r.streamKey(), ">"},
			Count: int64(max), Block: block,
		}).Result()
		if errors.Is(err, redis.Nil) {
			return nil
		}
		return err
	})
	if err != nil {
		return nil, r.wrap("take", err)
	}
	var out []Job
	for _, s := range streams {
		for _, m := range s.Messages {
			out = append(out, Job{ID: m.ID, Payload: payloadOf(m)})
		}
	}
	return out, nil
}

func payloadOf(m redis.XMessage) []byte {
	p, _ := m.Values["p"].(string)
	return []byte(p)
}

// Reclaim implements Queue with XAUTOCLAIM, then reads the progress of
// what it took.
func (r *Redis) Reclaim(ctx context.Context, consumer string, idle time.Duration, max int) ([]Job, error) {
	if consumer == "" || max <= 0 {
		return nil, fmt.Errorf("%w: reclaim: empty consumer or max not positive", ErrInvalid)
	}
	var msgs []redis.XMessage
	err := r.withGroup(ctx, func() error {
		var err error
		msgs, _, err = r.c.XAutoClaim(ctx, &redis.XAutoClaimArgs{
			Stream: r.streamKey(), Group: queueGroup, Consumer: consumer,
			MinIdle: idle, Start: "0-0", Count: int64(max),
		}).Result()
		return err
	})
	if err != nil {
		return nil, r.wrap("reclaim", err)
	}
	if len(msgs) == 0 {
		return nil, nil
	}
	pipe := r.c.Pipeline()
	progress := make([]*redis.MapStringStringCmd, len(msgs))
	for i, m := range msgs {
		progress[i] = pipe.HGetAll(ctx, r.progressKey(m.ID))
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		// The jobs are ours now; without their progress they would be
		// answered again in full. Leave them to be reclaimed once more.
		return nil, r.wrap("reclaim progress", err)
	}
	out := make([]Job, 0, len(msgs))
	for i, m := range msgs {
		if m.Values == nil {
			continue // deleted meanwhile
		}
		out = append(out, Job{ID: m.ID, Payload: payloadOf(m), Reclaimed: true, Progress: parseProgress(progress[i].Val())})
	}
	return out, nil
}

func parseProgress(h map[string]string) Progress {
	posting, _ := strconv.Atoi(h["posting"])
	posted, _ := strconv.Atoi(h["posted"])
	return Progress{Posting: posting, Posted: posted, Finished: h["finished"] == "1"}
}

// Touch implements Queue with touchScript.
func (r *Redis) Touch(ctx context.Context, consumer string) error {
	if consumer == "" {
		return fmt.Errorf("%w: touch: empty consumer", ErrInvalid)
	}
	err := r.withGroup(ctx, func() error {
		return touchScript.Run(ctx, r.c, []string{r.streamKey()}, queueGroup, consumer).Err()
	})
	return r.wrap("touch", err)
}

// SetProgress implements Queue.
func (r *Redis) SetProgress(ctx context.Context, id string, p Progress) error {
	if id == "" {
		return fmt.Errorf("%w: set progress: empty id", ErrInvalid)
	}
	finished := "0"
	if p.Finished {
		finished = "1"
	}
	key := r.progressKey(id)
	pipe := r.c.TxPipeline()
	pipe.HSet(ctx, key, "posting", p.Posting, "posted", p.Posted, "finished", finished)
	pipe.PExpire(ctx, key, progressTTL)
	_, err := pipe.Exec(ctx)
	return r.wrap("set progress", err)
}

// Done implements Queue with doneScript.
func (r *Redis) Done(ctx context.Context, id string) error {
	if id == "" {
		return fmt.Errorf("%w: done: empty id", ErrInvalid)
	}
	err := doneScript.Run(ctx, r.c, []string{r.streamKey(), r.progressKey(id)}, queueGroup, id).Err()
	return r.wrap("done", err)
}
