package bot

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/handlers"
	"github.com/smtpcodes/smtpbot/store"
)

// countingObserver counts takeovers and repeated replies.
type countingObserver struct {
	nopObserver
	takenOver, repeated atomic.Int64
}

func (o *countingObserver) JobTakenOver()  { o.takenOver.Add(1) }
func (o *countingObserver) ReplyRepeated() { o.repeated.Add(1) }

// TestTakeover: jobs that a dead replica held are taken over after
// TakeoverAfter; the replies it recorded as posted are not posted again,
// the one it was posting when it died is (and counted), the rest follow.
func TestTakeover(t *testing.T) {
	fake := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fake.Close)
	shared, err := store.OpenEmbedded(store.EmbeddedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer shared.Close()
	ctx := context.Background()

	// Each request gets two replies in its thread: "<text> 1", "<text> 2".
	// Those whose text starts with "eph" get them as ephemeral messages,
	// which a takeover cannot look for.
	h := HandlerFunc(func(_ context.Context, r handlers.Request) []handlers.Reply {
		d := handlers.DeliverThread
		if strings.HasPrefix(r.Text, "eph") {
			d = handlers.DeliverEphemeral
		}
		return []handlers.Reply{{Delivery: d, Text: r.Text + " 1"}, {Delivery: d, Text: r.Text + " 2"}}
	})
	cases := []struct {
		text     string
		progress store.Progress
		want     []string
	}{
		// Died in the handler: nothing was posted, all is posted once.
		{"fresh", store.Progress{}, []string{"fresh 1", "fresh 2"}},
		// Died posting reply 1: it may be there; posted again.
		{"during", store.Progress{Posting: 1}, []string{"during 1", "during 2"}},
		// Died between the two replies: only the second.
		{"between", store.Progress{Posting: 1, Posted: 1}, []string{"between 2"}},
		// Died posting the last: it alone, again.
		{"last", store.Progress{Posting: 2, Posted: 1}, []string{"last 2"}},
		// Died posting reply 1, which reached the thread: found there,
		// not posted again.
		{"arrived", store.Progress{Posting: 1}, []string{"arrived 2"}},
		// An ephemeral reply may have reached the user: posted again, and
		// counted as a possible duplicate.
		{"eph-during", store.Progress{Posting: 1}, []string{"eph-during 1", "eph-during 2"}},
		{"eph-between", store.Progress{Posting: 1, Posted: 1}, []string{"eph-between 2"}},
	}
	for i, c := range cases {
		ts := fake.NextTS()
		tasks := []task{{Req: handlers.Request{Source: handlers.SourceMessage, UserID: "U1",
			ChannelID: "C" + c.text, TS: ts, Text: c.text}}}
		fake.AddMessage(fakeslack.Message{Channel: "C" + c.text, TS: ts, Text: c.text})
		if c.text == "arrived" {
			fake.AddMessage(fakeslack.Message{Channel: "C" + c.text, ThreadTS: ts, Text: "arrived 1",
				User: fake.BotUserID(), BotID: fake.BotID()})
		}
		payload, _ := json.Marshal(tasks)
		if _, ok, err := shared.Enqueue(ctx, []string{c.text}, time.Hour, payload); !ok || err != nil {
			t.Fatalf("Enqueue %d: %v %v", i, ok, err)
		}
	}
	jobs, err := shared.Take(ctx, "dead-replica", 10, 0)
	if err != nil || len(jobs) != len(cases) {
		t.Fatalf("Take = %d jobs, %v", len(jobs), err)
	}
	for i, j := range jobs {
		if err := shared.SetProgress(ctx, j.ID, cases[i].progress); err != nil {
			t.Fatal(err)
		}
	}

	obs := &countingObserver{}
	b, err := New(Config{
		AppToken: "xapp-1-A0FAKE0001-1-0123456789abcdef", BotToken: "xoxb-1-2-0123456789abcdef",
		APIURL: fake.URL(), Store: shared, Logger: slog.New(slog.DiscardHandler),
		TakeoverAfter: 100 * time.Millisecond, Observer: obs,
	}, h)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- b.Run(runCtx) }()
	defer func() { stop(); <-done }()

	want := 0
	for _, c := range cases {
		want += len(c.want)
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := fake.WaitCalls(wctx, want, "chat.postMessage", "chat.postEphemeral"); err != nil {
		t.Fatal(err)
	}
	// Give a wrongly repeated reply the time to show up.
	time.Sleep(300 * time.Millisecond)
	got := map[string][]string{}
	for _, call := range fake.Calls("chat.postMessage", "chat.postEphemeral") {
		got[call.Channel] = append(got[call.Channel], call.Text)
	}
	for _, c := range cases {
		if strings.Join(got["C"+c.text], "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: posted %q; want %q", c.text, got["C"+c.text], c.want)
		}
	}
	if n := obs.takenOver.Load(); n != int64(len(cases)) {
		t.Errorf("JobTakenOver counted %d; want %d", n, len(cases))
	}
	if n := obs.repeated.Load(); n != 1 {
		t.Errorf("ReplyRepeated counted %d; want 1 (eph-during; the thread replies were looked for)", n)
	}
	// Done: nothing is left for anyone.
	time.Sleep(200 * time.Millisecond)
	if left, _ := shared.Reclaim(ctx, "another", time.Millisecond, 10); len(left) != 0 {
		t.Errorf("%d jobs left in the queue after they were answered", len(left))
	}
}
