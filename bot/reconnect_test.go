package bot

import (
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"
)

// The wait doubles per refusal, stays within the upper half of its step
// (so it never retries hot), is capped, and is spread by jitter.
func TestBackoff(t *testing.T) {
	const base, limit = time.Second, 2 * time.Minute
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 40 {
		step := limit
		if n < 7 { // 1s << 7 = 128s > 2m
			step = base << n
		}
		seen := map[time.Duration]bool{}
		for range 50 {
			d := backoff(base, limit, n, r.Int64N)
			if d < step/2 || d > step {
				t.Fatalf("backoff after %d refusals = %v, want within [%v, %v]", n, d, step/2, step)
			}
			seen[d] = true
		}
		if len(seen) < 10 {
			t.Errorf("after %d refusals only %d different waits in 50: no jitter", n, len(seen))
		}
	}
	// The extremes of the draw.
	if d := backoff(base, limit, 0, func(int64) int64 { return 0 }); d != base/2 {
		t.Errorf("lowest first wait = %v, want %v", d, base/2)
	}
	if d := backoff(base, limit, 100, func(n int64) int64 { return n - 1 }); d != limit {
		t.Errorf("highest capped wait = %v, want %v", d, limit)
	}
}

// The gate waits only after a refused or cut-short connection, and a
// connection that lasted resets the count.
func TestReconnectGateDecides(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	g := newReconnectGate(nil, time.Second, discardLogger())
	g.now = func() time.Time { return now }
	g.randN = func(n int64) int64 { return n - 1 } // the top of each step

	steps := []struct {
		what   string
		failed string // the open's error, "" for success
		after  time.Duration
		want   time.Duration
	}{
		{"first connection", "", 0, 0},
		{"after a connection that lasted an hour", "", time.Hour, 0},
		{"after one that lasted 2s", `"too_many_websockets"`, 2 * time.Second, time.Second},
		{"after a refused open", `"too_many_websockets"`, 0, 2 * time.Second},
		{"after another", "", 0, 4 * time.Second},
		{"after one cut short", "", time.Second, 8 * time.Second},
		{"after one that lasted", "", time.Minute, 0},
		{"one cut short after that starts from the first step", "", 0, time.Second},
	}
	for _, s := range steps {
		now = now.Add(s.after)
		if got := g.before(); got != s.want {
			t.Errorf("%s: wait %v, want %v", s.what, got, s.want)
		}
		g.mu.Lock()
		g.openFailed = s.failed
		if s.failed == "" {
			g.openedAt = now
		}
		g.mu.Unlock()
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
