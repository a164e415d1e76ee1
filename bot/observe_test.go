package bot_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// recorder is a bot.Observer that counts what it is told.
type recorder struct {
	mu     sync.Mutex
	counts map[string]int
	waited time.Duration
}

func (r *recorder) add(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.counts == nil {
		r.counts = map[string]int{}
	}
	r.counts[key]++
}

func (r *recorder) get(key string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts[key]
}

func (r *recorder) EnvelopeReceived(kind string)           { r.add("envelope " + kind) }
func (r *recorder) Acked(time.Duration)                    { r.add("ack") }
func (r *recorder) Deduplicated(kind string)               { r.add("dedupe " + kind) }
func (r *recorder) Handled(source string, _ time.Duration) { r.add("handled " + source) }
func (r *recorder) ReplyPosted(method, outcome string)     { r.add("reply " + method + " " + outcome) }
func (r *recorder) Dropped(reason string)                  { r.add("dropped " + reason) }
func (r *recorder) Reconnected()                           { r.add("reconnect") }
func (r *recorder) StoreFailed(op string)                  { r.add("store " + op) }
func (r *recorder) JobTakenOver()                          { r.add("taken over") }
func (r *recorder) ReplyRepeated()                         { r.add("repeated") }
func (r *recorder) RateLimited(wait time.Duration) {
	r.add("429")
	r.mu.Lock()
	r.waited += wait
	r.mu.Unlock()
}

// eventually polls cond for up to 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s: not within 10s", what)
}

// What the bot does reaches its Observer: envelopes by type, acks,
// replies by method, 429s with their wait, redeliveries dropped,
// reconnects.
func TestObserverCounts(t *testing.T) {
	rec := &recorder{}
	hs := start(t, fakeslack.Options{RateLimitPerChannel: 1, RateInterval: 200 * time.Millisecond, RetryAfter: time.Second},
		func(c *bot.Config) { c.Observer = rec })

	first := hs.fake.SendMessage(fakeslack.Message{Channel: "C1", Text: "550 one"})
	hs.fake.SendMessage(fakeslack.Message{Channel: "C1", Text: "550 two"}) // the bucket is empty: 429
	hs.replies(2)
	hs.waitAcks(hs.fake.Resend(first))
	hs.fake.SendSlash(fakeslack.Slash{Text: "550"})
	hs.fake.SendHomeOpened(fakeslack.DefaultUser)
	if _, err := hs.fake.WaitCalls(waitCtx(t), 2, "response_url", "views.publish"); err != nil {
		t.Fatal(err)
	}
	hs.fake.DropConnection()
	// The reconnect is counted when the client reconnects, the new
	// socket's hello a moment later: wait for both.
	eventually(t, "reconnect", func() bool { return rec.get("reconnect") == 1 && rec.get("envelope hello") == 2 })

	for key, want := range map[string]int{
		"envelope events_api":       4,
		"envelope slash_commands":   1,
		"ack":                       5,
		"dedupe event":              1,
		"handled message":           2,
		"handled slash":             1,
		"handled home":              1,
		"reply chat.postMessage ok": 2,
		"reply response_url ok":     1,
		"reply views.publish ok":    1,
		"429":                       1,
		"envelope connected":        0, // connection events are not envelopes
		"envelope hello":            2,
	} {
		if got := rec.get(key); got != want {
			t.Errorf("%s = %d, want %d (all: %v)", key, got, want, rec.counts)
		}
	}
	if rec.waited < time.Second {
		t.Errorf("waited %v for 429s, want the Retry-After of 1s", rec.waited)
	}
}

// Ready is "" only while connected with room in the worker pool; a full
// pool, a lost connection and the shutdown each say why not.
func TestReady(t *testing.T) {
	rec := &recorder{}
	hs := start(t, fakeslack.Options{}, func(c *bot.Config) {
		c.Observer = rec
		c.Workers = 1
		c.MaxPending = 2
	})
	eventually(t, "ready once connected", func() bool { return hs.bot.Ready() == "" })

	hs.fake.SendMessage(fakeslack.Message{Channel: "C1", Text: "550 block"})
	hs.fake.SendMessage(fakeslack.Message{Channel: "C2", Text: "550 block"})
	eventually(t, "saturated", func() bool { return strings.Contains(hs.bot.Ready(), "worker pool saturated") })
	if hs.bot.QueueDepth() != 2 {
		t.Errorf("QueueDepth = %d, want 2", hs.bot.QueueDepth())
	}
	hs.waitAcks(hs.fake.SendMessage(fakeslack.Message{Channel: "C3", Text: "550 three"}))
	eventually(t, "a request dropped", func() bool { return rec.get("dropped queue_full") == 1 })
	hs.h.Release()
	hs.replies(2)
	eventually(t, "ready once the pool drains", func() bool { return hs.bot.Ready() == "" })

	hs.fake.Close()
	eventually(t, "not ready without Slack", func() bool { return hs.bot.Ready() == "not connected to Slack" })
	if err := hs.stop(); err != nil {
		t.Fatal(err)
	}
	if got := hs.bot.Ready(); got != "shutting down" {
		t.Errorf("after Run: Ready = %q", got)
	}
}

// Over HTTP, each request Slack sends is counted as the same envelope type
// socket mode counts, and its 200 as its ack; what is not a request
// (url_verification, an unsigned body) is not counted.
func TestHTTPObserverCounts(t *testing.T) {
	rec := &recorder{}
	hs := startHTTP(t, fakeslack.Options{}, func(c *bot.Config) { c.Observer = rec })
	f := hs.fake
	if err := f.VerifyURL(waitCtx(t)); err != nil {
		t.Fatal(err)
	}
	served := rec.get("envelope events_api") // waitServing's requests
	hs.waitAcks(
		f.SendMessage(fakeslack.Message{Channel: "C1", Text: "550 over http"}),
		f.SendSlash(fakeslack.Slash{Channel: "C1", Text: "421"}),
		f.SendAction(fakeslack.Action{Channel: "C1", ActionID: "smtp_lang:th", Value: "550|th", Ephemeral: true}),
	)
	if status := signed(t, hs.srv.URL, "not the secret", time.Now(), "application/json", ignoredEvent); status != http.StatusUnauthorized {
		t.Fatalf("unsigned request: %d", status)
	}
	for key, want := range map[string]int{
		"envelope events_api":     served + 1,
		"envelope slash_commands": 1,
		"envelope interactive":    1,
		"ack":                     served + 3,
	} {
		if got := rec.get(key); got != want {
			t.Errorf("%s = %d, want %d (all: %v)", key, got, want, rec.counts)
		}
	}
}
