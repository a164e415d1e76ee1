package bot

import (
	"sync"
	"time"
)

// pool runs jobs on a fixed number of workers, in lanes: the jobs of one
// lane (one channel) run one after the other in the order they were
// submitted, jobs of different lanes run in parallel. A lane that waits
// (a rate-limited channel) holds one worker and nothing else.
type pool struct {
	workers int
	max     int
	run     func(job)

	mu      sync.Mutex
	lanes   map[string]*lane
	pending int
	closed  bool
	idle    chan struct{} // closed when closed and pending reaches 0

	ready chan *lane // lanes with jobs and no worker; cap max, never blocks
	quit  chan struct{}
	wg    sync.WaitGroup
}

type lane struct {
	key  string
	jobs []job
}

// laneTurn is how many jobs a worker runs from one lane before it lets
// the other ready lanes have a turn.
const laneTurn = 32

func newPool(workers, max int, run func(job)) *pool {
	return &pool{
		workers: workers,
		max:     max,
		run:     run,
		lanes:   map[string]*lane{},
		idle:    make(chan struct{}),
		ready:   make(chan *lane, max),
		quit:    make(chan struct{}),
	}
}

func (p *pool) start() {
	for range p.workers {
		p.wg.Go(p.work)
	}
}

// submit queues j in the lane key. It reports false when the pool is full
// or closed.
func (p *pool) submit(key string, j job) bool {
	p.mu.Lock()
	if p.closed || p.pending >= p.max {
		p.mu.Unlock()
		return false
	}
	p.pending++
	if l := p.lanes[key]; l != nil {
		l.jobs = append(l.jobs, j)
		p.mu.Unlock()
		return true
	}
	l := &lane{key: key, jobs: []job{j}}
	p.lanes[key] = l
	p.mu.Unlock()
	// Lanes in ready <= lanes <= pending <= max = cap(ready): no blocking.
	p.ready <- l
	return true
}

func (p *pool) work() {
	for {
		select {
		case <-p.quit:
			return
		case l := <-p.ready:
			p.runLane(l)
		}
	}
}

func (p *pool) runLane(l *lane) {
	for n := 0; ; n++ {
		p.mu.Lock()
		if len(l.jobs) == 0 {
			delete(p.lanes, l.key)
			p.mu.Unlock()
			return
		}
		if n == laneTurn {
			// Back of the queue; the lane stays in p.lanes so that new
			// jobs still join it in order.
			p.mu.Unlock()
			p.ready <- l
			return
		}
		j := l.jobs[0]
		l.jobs[0] = job{}
		l.jobs = l.jobs[1:]
		p.mu.Unlock()

		p.run(j)

		p.mu.Lock()
		p.pending--
		if p.closed && p.pending == 0 {
			close(p.idle)
		}
		p.mu.Unlock()
	}
}

// pendingCount is how many jobs are queued or running.
func (p *pool) pendingCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pending
}

// wait stops taking jobs and waits up to d for the queued ones to finish.
// It returns how many had not finished (queued or running) by then.
func (p *pool) wait(d time.Duration) int {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		if p.pending == 0 {
			close(p.idle)
		}
	}
	p.mu.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-p.idle:
		return 0
	case <-t.C:
		return p.pendingCount()
	}
}

// stop tells the workers to quit after their current lane and waits up to d
// for them.
func (p *pool) stop(d time.Duration) {
	close(p.quit)
	done := make(chan struct{})
	go func() { p.wg.Wait(); close(done) }()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}
