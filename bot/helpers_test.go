package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/handlers"
)

const (
	appToken = "xapp-1-A0FAKE0001-1-0123456789abcdef"
	botToken = "xoxb-1-2-0123456789abcdef"
)

// testHandler answers like a small router: messages, mentions and DMs that
// carry "550" get "explained: <text>" in thread; the other sources get a
// recognisable reply. A text containing "panic" panics; one containing
// "block" waits for release.
type testHandler struct {
	mu          sync.Mutex
	reqs        []handlers.Request
	release     chan struct{}
	releaseOnce sync.Once
}

// Release lets blocked requests go on.
func (h *testHandler) Release() { h.releaseOnce.Do(func() { close(h.release) }) }

func newTestHandler() *testHandler { return &testHandler{release: make(chan struct{})} }

func (h *testHandler) Handle(ctx context.Context, req handlers.Request) []handlers.Reply {
	h.mu.Lock()
	h.reqs = append(h.reqs, req)
	h.mu.Unlock()
	if strings.Contains(req.Text, "panic") {
		panic("handler exploded")
	}
	if strings.Contains(req.Text, "block") {
		select {
		case <-h.release:
		case <-ctx.Done():
		}
	}
	switch req.Source {
	case handlers.SourceMessage, handlers.SourceMention, handlers.SourceDM:
		if strings.Contains(req.Text, "slow check") { // progress posted, then replaced where it was posted
			d := handlers.DeliverChannel
			if req.Source == handlers.SourceMention {
				d = handlers.DeliverThread
			}
			return []handlers.Reply{{Delivery: d, Text: "checking…", Then: func(context.Context) []handlers.Reply {
				return []handlers.Reply{{Delivery: handlers.DeliverReplace, Text: "checked"}}
			}}}
		}
		text := req.Text
		if req.ParentText != "" {
			text = req.ParentText + " | " + text
		}
		if !strings.Contains(text, "550") {
			return nil
		}
		thread := req.ThreadTS
		if thread == "" {
			thread = req.TS
		}
		return []handlers.Reply{{Delivery: handlers.DeliverThread, ChannelID: req.ChannelID, ThreadTS: thread, Text: "explained: " + text}}
	case handlers.SourceSlash:
		return []handlers.Reply{{Delivery: handlers.DeliverEphemeral, ResponseURL: req.ResponseURL, Text: "slash: " + req.Text}}
	case handlers.SourceShortcut:
		return []handlers.Reply{{Delivery: handlers.DeliverEphemeral, ResponseURL: req.ResponseURL, Text: "shortcut: " + req.Text}}
	case handlers.SourceAction:
		r := handlers.Reply{Delivery: handlers.DeliverReplace, Text: "action: " + req.Action.ActionID + "=" + req.Action.Value}
		if req.Action.ActionID == "then" { // a slow answer: progress first, then the result in its place
			r.Then = func(context.Context) []handlers.Reply {
				return []handlers.Reply{{Text: "done", Then: func(context.Context) []handlers.Reply { panic("follow-up exploded") }}}
			}
		}
		return []handlers.Reply{r}
	case handlers.SourceHome:
		return []handlers.Reply{{Delivery: handlers.DeliverHome, UserID: req.UserID, Text: "home",
			Blocks: []slack.Block{slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "*SMTP codes* home", false, false), nil, nil)}}}
	}
	return nil
}

func (h *testHandler) requests() []handlers.Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]handlers.Request(nil), h.reqs...)
}

// clock is an adjustable Config.Now.
type clock struct{ offset atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

type harness struct {
	t    *testing.T
	fake *fakeslack.Server
	h    *testHandler
	bot  *bot.Bot
	stop func() error // cancels Run and returns its result
}

func testConfig(fake *fakeslack.Server, dir string) bot.Config {
	return bot.Config{
		AppToken: appToken, BotToken: botToken, APIURL: fake.URL(), DataDir: dir,
		Logger: slog.New(slog.DiscardHandler), Workers: 4,
		// Tests drop and refuse sockets on purpose: reconnect without the
		// production pause.
		ReconnectBackoff: 10 * time.Millisecond,
	}
}

// start runs a bot against a fresh fake Slack and waits for its socket.
func start(t *testing.T, opts fakeslack.Options, configure func(*bot.Config)) *harness {
	t.Helper()
	fake := fakeslack.New(opts)
	t.Cleanup(fake.Close)
	h := newTestHandler()
	cfg := testConfig(fake, t.TempDir())
	if configure != nil {
		configure(&cfg)
	}
	b, err := bot.New(cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	stop := run(t, b, h.Release)
	if err := fake.WaitConnections(waitCtx(t), 1); err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, fake: fake, h: h, bot: b, stop: stop}
}

// run runs b until the test ends (or stop is called), and returns stop,
// which cancels Run and returns its result, once however often it is
// called. At the end of the test release, if any, is called first, so that
// Run's drain does not wait on a request the test's handler holds.
func run(t *testing.T, b *bot.Bot, release func()) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	var once sync.Once
	var runErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(20 * time.Second):
				runErr = fmt.Errorf("Run did not return; goroutines:\n%s", goroutines())
			}
		})
		return runErr
	}
	t.Cleanup(func() {
		if release != nil {
			release()
		}
		if err := stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return stop
}

func goroutines() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}

// waitCtx bounds a wait for something that must happen. It is generous
// because it costs nothing when the thing happens: under -race on two busy
// cores, a burst of a thousand envelopes once took longer than 20 s to be
// acked (each ack waits until its request is written to the bbolt work
// queue), which is slowness, not loss.
func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// replies waits for n chat.postMessage calls and returns them.
func (hs *harness) replies(n int) []fakeslack.Call {
	hs.t.Helper()
	calls, err := hs.fake.WaitCalls(waitCtx(hs.t), n, "chat.postMessage")
	if err != nil {
		hs.t.Fatalf("%v; got %s", err, texts(calls))
	}
	return calls
}

// barrier sends a message that is answered, in channel, and waits for its
// reply, which comes after the replies to everything sent before it in
// that channel. It returns all replies so far.
func (hs *harness) barrier(channel string, want int) []fakeslack.Call {
	hs.t.Helper()
	hs.fake.SendMessage(fakeslack.Message{Channel: channel, Text: "barrier 550"})
	calls := hs.replies(want)
	last := calls[len(calls)-1]
	if !strings.Contains(last.Text, "barrier") {
		hs.t.Fatalf("last reply is %q, want the barrier's; replies: %s", last.Text, texts(calls))
	}
	return calls
}

func (hs *harness) waitAcks(ids ...string) {
	hs.t.Helper()
	if err := hs.fake.WaitAcks(waitCtx(hs.t), ids...); err != nil {
		hs.t.Fatalf("%v; goroutines:\n%s", err, goroutines())
	}
}

func texts(calls []fakeslack.Call) string {
	var b strings.Builder
	for _, c := range calls {
		fmt.Fprintf(&b, "\n  %s %s thread=%s %q", c.Method, c.Channel, c.ThreadTS, c.Text)
	}
	return b.String()
}
