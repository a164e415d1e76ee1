package bot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/store"
	"github.com/smtpcodes/smtpbot/store/storetest"
)

// runReplica runs one more bot on hs's fake Slack with its own client of
// the shared store at url, as another replica would, and waits for its
// socket.
func runReplica(t *testing.T, fake *fakeslack.Server, h bot.Handler, url string, conns int) *bot.Bot {
	t.Helper()
	st, err := store.OpenRedis(store.RedisOptions{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	cfg := testConfig(fake, t.TempDir())
	cfg.Store = st
	b, err := bot.New(cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	run(t, b, nil)
	if err := fake.WaitConnections(waitCtx(t), conns); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, bot.StoreFile)); !os.IsNotExist(err) {
		t.Errorf("a bot with a shared store opened %s too (%v): replicas on one host would fight over its lock", bot.StoreFile, err)
	}
	return b
}

// settledReplies returns how many replies each message text got, once no
// new reply has come for quiet.
func settledReplies(t *testing.T, fake *fakeslack.Server, want int, quiet time.Duration) map[string]int {
	t.Helper()
	if _, err := fake.WaitCalls(waitCtx(t), want, "chat.postMessage"); err != nil {
		t.Fatal(err)
	}
	// A duplicate would come within milliseconds of the first reply; wait
	// for the count to hold still before reading it.
	n := -1
	var calls []fakeslack.Call
	for {
		calls = fake.Calls("chat.postMessage")
		if len(calls) == n {
			break
		}
		n = len(calls)
		time.Sleep(quiet)
	}
	got := map[string]int{}
	for _, c := range calls {
		got[c.Text]++
	}
	return got
}

// TestReplicasAnswerOnce: two bots on one fake Slack and one Redis. Every
// message is delivered, then redelivered twice with new envelope ids (as
// Slack does when it missed an ack), landing on either replica: each is
// answered once, and a language chosen through one replica is read by the
// other.
func TestReplicasAnswerOnce(t *testing.T) {
	srv := storetest.StartRedis(t, storetest.RedisOptions{})
	fake := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fake.Close)
	h := newTestHandler()
	t.Cleanup(h.Release)
	a := runReplica(t, fake, h, srv.URL, 1)
	b := runReplica(t, fake, h, srv.URL, 2)

	const n = 30
	var envs []string
	for i := range n {
		id := fake.SendMessage(fakeslack.Message{Channel: fmt.Sprintf("C%d", i%3), Text: fmt.Sprintf("550 message %d", i)})
		envs = append(envs, id, fake.Resend(id), fake.Resend(id))
	}
	if err := fake.WaitAcks(waitCtx(t), envs...); err != nil {
		t.Fatal(err)
	}
	got := settledReplies(t, fake, n, 200*time.Millisecond)
	for i := range n {
		if c := got[fmt.Sprintf("explained: 550 message %d", i)]; c != 1 {
			t.Errorf("message %d answered %d times; want once", i, c)
		}
	}
	if len(got) != n {
		t.Errorf("%d different replies; want %d: %v", len(got), n, got)
	}

	ctx := context.Background()
	if err := a.Prefs().SaveLanguage(ctx, "U1", "vi"); err != nil {
		t.Fatal(err)
	}
	if tag := b.Prefs().SavedLanguage(ctx, "U1"); tag != "vi" {
		t.Errorf("choice saved through one replica, read through the other: %q; want vi", tag)
	}
	if err := b.Prefs().SaveLanguage(ctx, "U1", "th"); err != nil {
		t.Fatal(err)
	}
	if tag := a.Prefs().SavedLanguage(ctx, "U1"); tag != "th" {
		t.Errorf("choice changed through one replica, read through the other: %q; want th", tag)
	}
}

// TestStoreOutageFailsOpen: with the shared store down the bot still
// answers (dedupe fails open), says when a choice cannot be saved, and
// uses the last choice it read; once the store is back, the choices saved
// before are all there.
func TestStoreOutageFailsOpen(t *testing.T) {
	srv := storetest.StartRedis(t, storetest.RedisOptions{Persist: true})
	fake := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fake.Close)
	h := newTestHandler()
	t.Cleanup(h.Release)
	b := runReplica(t, fake, h, srv.URL, 1)
	ctx := context.Background()
	for u, tag := range map[string]string{"U1": "vi", "U2": "th"} {
		if err := b.Prefs().SaveLanguage(ctx, u, tag); err != nil {
			t.Fatal(err)
		}
	}
	fake.SendMessage(fakeslack.Message{Channel: "C1", Text: "550 before"})
	if _, err := fake.WaitCalls(waitCtx(t), 1, "chat.postMessage"); err != nil {
		t.Fatal(err)
	}

	srv.Stop()
	fake.SendMessage(fakeslack.Message{Channel: "C1", Text: "550 during the outage"})
	calls, err := fake.WaitCalls(waitCtx(t), 2, "chat.postMessage")
	if err != nil {
		t.Fatalf("no answer with the store down: %v", err)
	}
	if !strings.Contains(calls[1].Text, "during the outage") {
		t.Errorf("reply with the store down: %q", calls[1].Text)
	}
	if err := b.Prefs().SaveLanguage(ctx, "U3", "vi"); err == nil {
		t.Error("SaveLanguage with the store down: no error; the user would think it saved")
	}
	if tag := b.Prefs().SavedLanguage(ctx, "U1"); tag != "vi" {
		t.Errorf("SavedLanguage with the store down = %q; want the last read, vi", tag)
	}

	srv.Start()
	deadline := time.Now().Add(10 * time.Second)
	for b.Prefs().SaveLanguage(ctx, "U3", "vi") != nil {
		if time.Now().After(deadline) {
			t.Fatal("the store did not come back within 10s of the server's restart")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for u, want := range map[string]string{"U1": "vi", "U2": "th", "U3": "vi"} {
		if tag := b.Prefs().SavedLanguage(ctx, u); tag != want {
			t.Errorf("after the outage SavedLanguage(%s) = %q; want %q", u, tag, want)
		}
	}
}
