package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/store"
)

// queue checks the contract of store.Queue: atomic dedupe at Enqueue, each
// job to one consumer, takeover of jobs whose holder went quiet (and only
// those), progress handed over, Done for good.
func queue(t *testing.T, h Harness) {
	t.Run("Dedupe", func(t *testing.T) { queueDedupe(t, h) })
	t.Run("Take", func(t *testing.T) { queueTake(t, h) })
	t.Run("Wait", func(t *testing.T) { queueWait(t, h) })
	t.Run("Reclaim", func(t *testing.T) { queueReclaim(t, h) })
	t.Run("Concurrent", func(t *testing.T) { queueConcurrent(t, h) })
	t.Run("Replicas", func(t *testing.T) { queueReplicas(t, h) })
}

func enqueue(t *testing.T, s store.Store, ttl time.Duration, payload string, keys ...string) (string, bool) {
	t.Helper()
	id, ok, err := s.Enqueue(context.Background(), keys, ttl, []byte(payload))
	if err != nil {
		t.Fatalf("Enqueue(%v): %v", keys, err)
	}
	if ok == (id == "") {
		t.Fatalf("Enqueue(%v) = %q, %v: an id comes with queued, and only then", keys, id, ok)
	}
	return id, ok
}

func take(t *testing.T, s store.Store, consumer string, max int) []store.Job {
	t.Helper()
	jobs, err := s.Take(context.Background(), consumer, max, 0)
	if err != nil {
		t.Fatalf("Take(%s): %v", consumer, err)
	}
	return jobs
}

func reclaim(t *testing.T, s store.Store, consumer string, idle time.Duration) []store.Job {
	t.Helper()
	jobs, err := s.Reclaim(context.Background(), consumer, idle, 100)
	if err != nil {
		t.Fatalf("Reclaim(%s): %v", consumer, err)
	}
	return jobs
}

func payloads(jobs []store.Job) []string {
	var out []string
	for _, j := range jobs {
		out = append(out, string(j.Payload))
	}
	return out
}

func wantPayloads(t *testing.T, what string, jobs []store.Job, want ...string) {
	t.Helper()
	if got := payloads(jobs); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %q; want %q", what, got, want)
	}
}

func queueDedupe(t *testing.T, h Harness) {
	s := open(t, h)
	if _, ok := enqueue(t, s, h.TTL, "1", "event/Ev1"); !ok {
		t.Fatal("first Enqueue of event/Ev1 not queued")
	}
	if _, ok := enqueue(t, s, h.TTL, "1 again", "event/Ev1"); ok {
		t.Error("a redelivery (same key) was queued again")
	}
	// Any one key seen makes a duplicate: an app_mention after the message
	// event of the same message.
	if _, ok := enqueue(t, s, h.TTL, "mention", "event/Ev2", "event/Ev1"); ok {
		t.Error("a job sharing one key of two with a queued job was queued")
	}
	// ... and a duplicate leaves none of its keys behind.
	if _, ok := enqueue(t, s, h.TTL, "2", "event/Ev2"); !ok {
		t.Error("event/Ev2 was not queued: the refused Enqueue kept its key")
	}
	wantPayloads(t, "Take", take(t, s, "A", 10), "1", "2")
	h.Pass(h.TTL + h.TTL/2)
	if _, ok := enqueue(t, s, h.TTL, "1 much later", "event/Ev1"); !ok {
		t.Error("a key past its ttl still refused the job")
	}
	for _, keys := range [][]string{nil, {""}, {"a", ""}} {
		if _, _, err := s.Enqueue(context.Background(), keys, h.TTL, []byte("x")); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Enqueue(%q) error = %v; want ErrInvalid", keys, err)
		}
	}
	if _, _, err := s.Enqueue(context.Background(), []string{"k"}, 0, []byte("x")); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Enqueue with ttl 0: %v; want ErrInvalid", err)
	}
}

func queueTake(t *testing.T, h Harness) {
	s := open(t, h)
	wantPayloads(t, "Take of an empty queue", take(t, s, "A", 10))
	for i := 1; i <= 3; i++ {
		enqueue(t, s, h.TTL, fmt.Sprint("p", i), fmt.Sprint("k", i))
	}
	a := take(t, s, "A", 2)
	wantPayloads(t, "Take(A, 2)", a, "p1", "p2")
	wantPayloads(t, "Take(B) after A", take(t, s, "B", 10), "p3")
	wantPayloads(t, "Take(A) with everything taken", take(t, s, "A", 10))
	for _, j := range a {
		if j.Reclaimed || j.Progress != (store.Progress{}) || j.ID == "" {
			t.Errorf("new job %+v: want an id, not reclaimed, no progress", j)
		}
	}
	must(t, s.Done(context.Background(), a[0].ID))
	must(t, s.Done(context.Background(), a[0].ID)) // again: no error
	if _, err := s.Take(context.Background(), "", 1, 0); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Take with no consumer: %v; want ErrInvalid", err)
	}
}

func queueWait(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	got := make(chan []store.Job, 1)
	go func() {
		jobs, err := s.Take(ctx, "A", 5, 10*time.Second)
		if err != nil {
			t.Error(err)
		}
		got <- jobs
	}()
	// Whether the Take above is already waiting or not, it gets the job.
	time.Sleep(20 * time.Millisecond)
	enqueue(t, s, h.TTL, "late", "k")
	select {
	case jobs := <-got:
		wantPayloads(t, "waiting Take", jobs, "late")
	case <-time.After(8 * time.Second):
		t.Fatal("a waiting Take did not return the job queued meanwhile")
	}
	// Nothing queued: it returns after the wait, empty.
	jobs, err := s.Take(ctx, "A", 5, 50*time.Millisecond)
	if err != nil || len(jobs) != 0 {
		t.Errorf("Take of an empty queue with a wait = %v, %v; want nothing, nil", payloads(jobs), err)
	}
}

func queueReclaim(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	idle := h.TTL
	enqueue(t, s, h.TTL, "job", "k")
	jobs := take(t, s, "A", 1)
	if len(jobs) != 1 {
		t.Fatalf("Take = %d jobs; want 1", len(jobs))
	}
	id := jobs[0].ID
	wantPayloads(t, "Reclaim of a job just taken", reclaim(t, s, "B", time.Hour))
	want := store.Progress{Posting: 2, Posted: 1}
	must(t, s.SetProgress(ctx, id, want))

	// A holder that touches its jobs keeps them.
	h.Pass(idle + idle/2)
	must(t, s.Touch(ctx, "A"))
	wantPayloads(t, "Reclaim of a touched job", reclaim(t, s, "B", idle))

	// One that stops touching loses them, with their progress.
	h.Pass(idle + idle/2)
	got := reclaim(t, s, "B", idle)
	wantPayloads(t, "Reclaim of a quiet job", got, "job")
	if len(got) == 1 {
		if got[0].ID != id || !got[0].Reclaimed || got[0].Progress != want {
			t.Errorf("reclaimed %+v; want id %s, Reclaimed, progress %+v", got[0], id, want)
		}
		if !got[0].Progress.Uncertain() {
			t.Error("Posting 2, Posted 1 is not Uncertain")
		}
	}
	wantPayloads(t, "Reclaim of a job just reclaimed", reclaim(t, s, "C", idle))
	// The old holder, back, cannot take it back by touching.
	h.Pass(idle + idle/2)
	must(t, s.Touch(ctx, "A"))
	got = reclaim(t, s, "C", idle)
	wantPayloads(t, "Reclaim after the old holder touched", got, "job")
	if len(got) == 1 && got[0].Progress != want {
		t.Errorf("progress after a second takeover = %+v; want %+v", got[0].Progress, want)
	}
	done := store.Progress{Posting: 2, Posted: 2, Finished: true}
	must(t, s.SetProgress(ctx, id, done))
	h.Pass(idle + idle/2)
	got = reclaim(t, s, "D", idle)
	if len(got) != 1 || got[0].Progress != done {
		t.Errorf("Reclaim of a finished job not yet done = %+v; want it, with %+v", got, done)
	}

	must(t, s.Done(ctx, id))
	h.Pass(idle + idle/2)
	wantPayloads(t, "Reclaim after Done", reclaim(t, s, "E", idle))
	wantPayloads(t, "Take after Done", take(t, s, "E", 10))
}

func queueConcurrent(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	// Eight deliveries of one event at once: one is queued.
	var wg sync.WaitGroup
	var mu sync.Mutex
	queued := 0
	for range 8 {
		wg.Go(func() {
			_, ok, err := s.Enqueue(ctx, []string{"event/Ev1"}, h.TTL, []byte("Ev1"))
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				queued++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if queued != 1 {
		t.Errorf("8 concurrent Enqueues of one key queued %d jobs; want 1", queued)
	}
	// 60 jobs, 4 consumers taking at once: each job to one of them.
	const n = 60
	for i := range n {
		enqueue(t, s, h.TTL, fmt.Sprint(i), fmt.Sprint("job", i))
	}
	seen := map[string]int{}
	for c := range 4 {
		wg.Go(func() {
			for {
				jobs, err := s.Take(ctx, fmt.Sprint("C", c), 3, 0)
				if err != nil {
					t.Error(err)
					return
				}
				if len(jobs) == 0 {
					return
				}
				mu.Lock()
				for _, j := range jobs {
					seen[string(j.Payload)]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != n+1 {
		t.Errorf("%d distinct jobs taken; want %d", len(seen), n+1)
	}
	for p, k := range seen {
		if k != 1 {
			t.Errorf("job %s taken %d times", p, k)
		}
	}
}

func queueReplicas(t *testing.T, h Harness) {
	if h.Another == nil {
		t.Skip("the store is not shared")
	}
	s := open(t, h)
	other := h.Another(t, s)
	defer other.Close()
	enqueue(t, s, h.TTL, "from s", "event/Ev1")
	if _, ok := enqueue(t, other, h.TTL, "redelivered to other", "event/Ev1"); ok {
		t.Error("a redelivery to another replica was queued again")
	}
	wantPayloads(t, "Take on the other replica", take(t, other, "B", 10), "from s")
	h.Pass(h.TTL + h.TTL/2)
	wantPayloads(t, "Reclaim on the first replica", reclaim(t, s, "A", h.TTL), "from s")
}
