package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// memQueue is Embedded's Queue: jobs in memory, in the order queued. Its
// idle times follow the store's clock, so tests move them by hand.
type memQueue struct {
	seq     int64
	jobs    map[string]*memJob
	fresh   []string      // ids not taken yet, oldest first
	arrived chan struct{} // closed and replaced when a job is queued
}

type memJob struct {
	id       string
	payload  []byte
	holder   string // "" until taken
	touched  time.Time
	taken    int // how many times it was taken or reclaimed
	progress Progress
}

// queueKey keeps the queue's dedupe keys apart from Claim's in e.claims.
func queueKey(k string) string { return "\x00queue:" + k }

func (e *Embedded) queue() *memQueue {
	if e.q == nil {
		e.q = &memQueue{jobs: map[string]*memJob{}, arrived: make(chan struct{})}
	}
	return e.q
}

// Enqueue implements Queue.
func (e *Embedded) Enqueue(_ context.Context, keys []string, ttl time.Duration, payload []byte) (string, bool, error) {
	if len(keys) == 0 || ttl <= 0 {
		return "", false, fmt.Errorf("%w: enqueue: no key or ttl not positive", ErrInvalid)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.open(); err != nil {
		return "", false, err
	}
	now := e.now()
	e.sweep(now)
	for _, k := range keys {
		if k == "" {
			return "", false, fmt.Errorf("%w: enqueue: empty key", ErrInvalid)
		}
		if exp, ok := e.claims[queueKey(k)]; ok && now.Before(exp) {
			return "", false, nil
		}
	}
	for _, k := range keys {
		e.claims[queueKey(k)] = now.Add(ttl)
	}
	q := e.queue()
	q.seq++
	id := strconv.FormatInt(q.seq, 10)
	q.jobs[id] = &memJob{id: id, payload: append([]byte(nil), payload...)}
	q.fresh = append(q.fresh, id)
	close(q.arrived)
	q.arrived = make(chan struct{})
	return id, true, nil
}

// Take implements Queue.
func (e *Embedded) Take(ctx context.Context, consumer string, max int, wait time.Duration) ([]Job, error) {
	if consumer == "" || max <= 0 {
		return nil, fmt.Errorf("%w: take: empty consumer or max not positive", ErrInvalid)
	}
	var timer <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timer = t.C
	}
	for {
		e.mu.Lock()
		if err := e.open(); err != nil {
			e.mu.Unlock()
			return nil, err
		}
		q := e.queue()
		var out []Job
		now := e.now()
		for len(q.fresh) > 0 && len(out) < max {
			id := q.fresh[0]
			q.fresh = q.fresh[1:]
			j := q.jobs[id]
			if j == nil { // done before it was taken
				continue
			}
			j.holder, j.touched = consumer, now
			j.taken++
			out = append(out, Job{ID: id, Payload: j.payload})
		}
		arrived := q.arrived
		e.mu.Unlock()
		if len(out) > 0 || timer == nil {
			return out, nil
		}
		select {
		case <-arrived:
		case <-timer:
			timer = nil // one last look
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Reclaim implements Queue.
func (e *Embedded) Reclaim(_ context.Context, consumer string, idle time.Duration, max int) ([]Job, error) {
	if consumer == "" || max <= 0 {
		return nil, fmt.Errorf("%w: reclaim: empty consumer or max not positive", ErrInvalid)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.open(); err != nil {
		return nil, err
	}
	q := e.queue()
	now := e.now()
	var stale []*memJob
	for _, j := range q.jobs {
		if j.holder != "" && now.Sub(j.touched) >= idle {
			stale = append(stale, j)
		}
	}
	// Oldest first, as Redis's pending list is ordered by id.
	sortJobs(stale)
	var out []Job
	for _, j := range stale {
		if len(out) == max {
			break
		}
		j.holder, j.touched = consumer, now
		j.taken++
		out = append(out, Job{ID: j.id, Payload: j.payload, Reclaimed: true, Progress: j.progress})
	}
	return out, nil
}

func sortJobs(js []*memJob) {
	slices.SortFunc(js, func(a, b *memJob) int {
		x, _ := strconv.ParseInt(a.id, 10, 64)
		y, _ := strconv.ParseInt(b.id, 10, 64)
		return cmp.Compare(x, y)
	})
}

// Touch implements Queue.
func (e *Embedded) Touch(_ context.Context, consumer string) error {
	if consumer == "" {
		return fmt.Errorf("%w: touch: empty consumer", ErrInvalid)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.open(); err != nil {
		return err
	}
	now := e.now()
	for _, j := range e.queue().jobs {
		if j.holder == consumer {
			j.touched = now
		}
	}
	return nil
}

// SetProgress implements Queue.
func (e *Embedded) SetProgress(_ context.Context, id string, p Progress) error {
	if id == "" {
		return fmt.Errorf("%w: set progress: empty id", ErrInvalid)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.open(); err != nil {
		return err
	}
	if j := e.queue().jobs[id]; j != nil {
		j.progress = p
	}
	return nil
}

// Done implements Queue.
func (e *Embedded) Done(_ context.Context, id string) error {
	if id == "" {
		return fmt.Errorf("%w: done: empty id", ErrInvalid)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.open(); err != nil {
		return err
	}
	delete(e.queue().jobs, id)
	return nil
}
