package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// logBuffer collects the bot's logs as JSON lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// lines returns the records whose message is msg.
func (l *logBuffer) lines(msg string) []map[string]any {
	var out []map[string]any
	for line := range strings.Lines(l.String()) {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

// countReplies counts the chat.postMessage calls whose text contains s.
func countReplies(calls []fakeslack.Call, s string) int {
	n := 0
	for _, c := range calls {
		if strings.Contains(c.Text, s) {
			n++
		}
	}
	return n
}

// A NAT or proxy that drops the path leaves the socket open but silent.
// The fake stalls that way: no pings, no envelopes, and the acks the bot
// writes are lost. The bot's ping deadline replaces the socket; Slack
// redelivers the envelope whose ack it never got, and every request is
// answered exactly once.
//
// The replacement must come from the configured PingTimeout (1s), not
// slack-go's own 30s default: it is required well before that default,
// a bound loose enough for -race on two busy cores.
func TestSilentSocketIsReplaced(t *testing.T) {
	t.Parallel()
	const (
		pingTimeout = time.Second
		// replacedWithin is far under slack-go's 30s default deadline
		// and far over pingTimeout plus a reconnect.
		replacedWithin = 10 * time.Second
	)
	hs := start(t, fakeslack.Options{PingInterval: 50 * time.Millisecond, RedeliverAfter: 300 * time.Millisecond},
		func(c *bot.Config) { c.PingTimeout = pingTimeout })
	f := hs.fake
	const ch = "C40"
	before := f.SendMessage(fakeslack.Message{Channel: ch, Text: "550 before the stall"})
	hs.waitAcks(before)
	hs.replies(1)

	// The bot gets this envelope, but its ack is lost in the stall...
	f.StallAfterNext()
	stalled := time.Now()
	around := f.SendMessage(fakeslack.Message{Channel: ch, Text: "550 around the stall"})
	// ...and this one waits for a connection that works.
	during := f.SendMessage(fakeslack.Message{Channel: ch, Text: "550 during the stall"})

	ctx, cancel := context.WithTimeout(context.Background(), replacedWithin)
	defer cancel()
	if err := f.WaitConnections(ctx, 2); err != nil {
		t.Fatalf("the silent socket was not replaced within %v of the stall (PingTimeout %v; slack-go's default is 30s): %v",
			replacedWithin, pingTimeout, err)
	}
	t.Logf("silent socket replaced %v after the stall", time.Since(stalled).Round(time.Millisecond))
	hs.waitAcks(during)
	// Slack sends the envelope whose ack it missed again, on the new
	// connection; the bot acks the copy and does not answer it again.
	var again []string
	deadline := time.Now().Add(10 * time.Second)
	for len(again) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		again = f.Redeliveries(around)
	}
	if len(again) == 0 {
		t.Fatal("the fake did not redeliver the envelope whose ack was lost")
	}
	hs.waitAcks(again[0])

	calls := hs.barrier(ch, 4)
	for _, text := range []string{"before the stall", "around the stall", "during the stall"} {
		if n := countReplies(calls, text); n != 1 {
			t.Errorf("%q answered %d times, want once; replies: %s", text, n, texts(calls))
		}
	}
}

// An envelope slack-go cannot decode comes without a Request to ack. The
// bot reads its envelope_id from the raw message and acks it, and logs it
// once even when Slack redelivers it, without the payload's text.
func TestMalformedEnvelopeAckedAndLoggedOnce(t *testing.T) {
	t.Parallel()
	logs := &logBuffer{}
	hs := start(t, fakeslack.Options{}, func(c *bot.Config) { c.Logger = logs.logger() })
	f := hs.fake
	const secret = "jane.doe@example.com 550 secret paste"
	slash := f.SendPayload("slash_commands", json.RawMessage(
		`{"command":"/smtp","text":["`+secret+`"],"user_id":"U1","channel_id":"C41","trigger_id":"1.2.3"}`))
	hs.waitAcks(slash)
	// Slack redelivers what it believes was not acked: same payload, new
	// envelope ids, retry_attempt 1 and 2.
	second := f.Resend(slash)
	third := f.Resend(second)
	hs.waitAcks(second, third)
	event := f.SendPayload("events_api", json.RawMessage(`{"type":"event_callback","event_id":"EvBAD1","event":"`+secret+`"}`))
	// A decoding error that quotes the value it could not read (strconv's
	// `parsing "…"`), here a file's creation time.
	shortcut := f.SendPayload("interactive", json.RawMessage(`{"type":"message_action","callback_id":"explain_codes",`+
		`"trigger_id":"9.9.9","user":{"id":"U1"},"channel":{"id":"C41"},`+
		`"message":{"text":"x","files":[{"id":"F1","created":"`+secret+`"}]}}`))
	hs.waitAcks(event, shortcut)
	hs.barrier("C41", 1)

	warned := logs.lines("malformed envelope acked and skipped")
	if len(warned) != 3 {
		t.Errorf("%d warnings, want one per malformed payload (3):\n%s", len(warned), logs)
	}
	ids := map[any]bool{}
	for _, rec := range warned {
		ids[rec["envelope_id"]] = true
	}
	if !ids[slash] || !ids[event] || !ids[shortcut] {
		t.Errorf("warnings name envelopes %v, want %s, %s and %s", ids, slash, event, shortcut)
	}
	if n := len(logs.lines("malformed envelope redelivered; acked again")); n != 2 {
		t.Errorf("%d redeliveries logged at debug, want 2", n)
	}
	for _, leak := range []string{"jane", "secret paste"} {
		if strings.Contains(logs.String(), leak) {
			t.Errorf("the log holds payload text %q:\n%s", leak, logs)
		}
	}
}

// Slack refuses connections past 10 per app with too_many_websockets, at
// apps.connections.open or on the socket in place of the hello. The bot
// waits longer after each refusal in a row instead of reconnecting at once.
func TestTooManyWebsocketsBacksOff(t *testing.T) {
	t.Parallel()
	const base = 150 * time.Millisecond
	for _, tc := range []struct {
		name   string
		refuse func(f *fakeslack.Server, n int)
	}{
		{"socket", func(f *fakeslack.Server, n int) { f.RefuseConnections(n) }},
		{"apps.connections.open", func(f *fakeslack.Server, n int) {
			for range n {
				f.FailNext("apps.connections.open", "too_many_websockets")
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			logs := &logBuffer{}
			hs := start(t, fakeslack.Options{}, func(c *bot.Config) {
				c.ReconnectBackoff = base
				c.Logger = logs.logger()
			})
			f := hs.fake
			const refusals = 3
			tc.refuse(f, refusals)
			f.SendDisconnect()
			if err := f.WaitConnections(waitCtx(t), 2); err != nil {
				t.Fatal(err)
			}
			opens := f.Calls("apps.connections.open")
			if len(opens) != 2+refusals {
				t.Fatalf("%d calls of apps.connections.open, want %d", len(opens), 2+refusals)
			}
			// The first connection ended at once (the disconnect), then
			// three were refused: four waits, each at least half of
			// base doubled once more.
			for i := 1; i < len(opens); i++ {
				gap := opens[i].Time.Sub(opens[i-1].Time)
				if least := (base << (i - 1)) / 2; gap < least {
					t.Errorf("attempt %d came %v after the one before, want at least %v", i+1, gap, least)
				}
			}
			warned := logs.lines("socket mode connection refused or cut short; waiting before the next")
			if len(warned) != 1+refusals {
				t.Errorf("%d warnings, want %d:\n%s", len(warned), 1+refusals, logs)
			}
			if !strings.Contains(logs.String(), "too_many_websockets") {
				t.Errorf("no warning names too_many_websockets:\n%s", logs)
			}
			env := f.SendMessage(fakeslack.Message{Channel: "C42", Text: "550 after the refusals"})
			hs.waitAcks(env)
			hs.replies(1)
		})
	}
}

// A frame over the read limit closes the socket rather than being read
// whole; the bot reconnects and goes on. (The fake, like Slack, sends a
// message's text twice: as text and as a rich_text block.) The oversized envelope is never
// acked, so Slack (the fake) sends it again, up to 3 times, each closing
// a socket; the other envelopes still get through.
func TestReadLimit(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{RedeliverAfter: 300 * time.Millisecond},
		func(c *bot.Config) { c.ReadLimit = 64 << 10 })
	f := hs.fake
	f.SendMessage(fakeslack.Message{Channel: "C43", Text: "550 too big " + strings.Repeat("x", 80<<10)})
	if err := f.WaitConnections(waitCtx(t), 2); err != nil {
		t.Fatalf("a frame over the limit did not close the socket: %v", err)
	}
	// It may be written to a socket that is closing and lost: Slack, and
	// the fake, send it again.
	f.SendMessage(fakeslack.Message{Channel: "C43", Text: "550 fits " + strings.Repeat("y", 20<<10)})
	calls := hs.replies(1)
	if countReplies(calls, "too big") != 0 || countReplies(calls, "fits") != 1 {
		t.Errorf("replies: %.200s, want only the one that fits", texts(calls))
	}
}

// The default limit holds the largest message a person can send (40,000
// characters, with its rich_text mirror, every character escaped as
// \uXXXX) and stops a frame just over DefaultReadLimit.
func TestDefaultReadLimit(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	f := hs.fake
	thai := "550 " + strings.Repeat(`\u0e01`, 40000)
	payload := fmt.Sprintf(`{"type":"event_callback","event_id":"EvBIG1","team_id":"T1","api_app_id":"A1","event_time":1,`+
		`"event":{"type":"message","channel":"C44","channel_type":"channel","user":"U1","ts":"1700000001.000001","text":"%s",`+
		`"blocks":[{"type":"rich_text","block_id":"b1","elements":[{"type":"rich_text_section","elements":[{"type":"text","text":"%s"}]}]}]}}`,
		thai, thai)
	if len(payload) < 480_000 {
		t.Fatalf("payload is %d bytes; the test means the largest message", len(payload))
	}
	big := f.SendPayload("events_api", json.RawMessage(payload))
	hs.waitAcks(big)
	hs.replies(1)

	over := fakeslack.Message{Channel: "C44", Text: strings.Repeat("z", bot.DefaultReadLimit)}
	f.SendMessage(over)
	if err := f.WaitConnections(waitCtx(t), 2); err != nil {
		t.Fatalf("a frame over DefaultReadLimit did not close the socket: %v", err)
	}
}

// On shutdown, replies that outlast the timeout are dropped, and the log
// says how many.
func TestShutdownDropsWhatOutlastsTheTimeout(t *testing.T) {
	t.Parallel()
	logs := &logBuffer{}
	hs := start(t, fakeslack.Options{}, func(c *bot.Config) {
		c.ShutdownGrace = 300 * time.Millisecond
		c.Logger = logs.logger()
	})
	var envs []string
	for _, ch := range []string{"C45", "C46", "C47"} {
		envs = append(envs, hs.fake.SendMessage(fakeslack.Message{Channel: ch, Text: "550 block"}))
	}
	hs.waitAcks(envs...)
	for deadline := time.Now().Add(10 * time.Second); len(hs.h.requests()) < 3; {
		if time.Now().After(deadline) {
			t.Fatal("the handler did not get the requests")
		}
		time.Sleep(10 * time.Millisecond)
	}
	begin := time.Now()
	if err := hs.stop(); err != nil {
		t.Fatal(err)
	}
	// A generous bound: the timeout, plus the 2 s the workers get to
	// notice, plus a loaded machine.
	if took := time.Since(begin); took > 8*time.Second {
		t.Errorf("Run took %v to return with a 300ms shutdown timeout", took)
	}
	dropped := logs.lines("stopped; requests still in flight at the shutdown timeout were dropped")
	if len(dropped) != 1 || dropped[0]["dropped"] != float64(3) {
		t.Errorf("want one log line with dropped=3:\n%s", logs)
	}
	if n := hs.fake.Count("chat.postMessage"); n != 0 {
		t.Errorf("%d replies posted after the shutdown timeout", n)
	}
}
