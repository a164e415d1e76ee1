package main

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// These tests run the whole program, run() with the real router, the real
// bot and slack-go's socket-mode client (or, over HTTP mode, the bot's
// request URL), against the fake Slack in bot/fakeslack: what a user does
// in Slack, end to end, on loopback. A fake from newFakeOn(t, "http")
// makes start() run the bot in HTTP mode.

const bounce = `<jane.doe@example.com>: host mx1.example.com[192.0.2.10] said: 550 5.1.1
    <jane.doe@example.com>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)`

// app is one running bot.
type app struct {
	fake   *fakeslack.Server
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

func start(t *testing.T, fake *fakeslack.Server, dataDir string, extra ...string) *app {
	t.Helper()
	env := map[string]string{
		"SLACK_APP_TOKEN": "xapp-1-A0TEST00001-1-0123456789abcdef",
		"SLACK_BOT_TOKEN": "xoxb-1-2-0123456789abcdef",
		"SLACK_API_URL":   fake.URL(),
		"DATA_DIR":        dataDir,
		"LOG_LEVEL":       "error",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	url := ""
	if fake.SigningSecret() != "" {
		url = httpEnv(t, fake, env)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a := &app{fake: fake, cancel: cancel, done: make(chan error, 1)}
	before := fake.Connections()
	go func() {
		a.done <- run(ctx, []string{"--env-file", "testdata/empty.env"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard)
	}()
	t.Cleanup(a.stop)
	if url != "" {
		waitServing(t, url, fake.SigningSecret(), 10*time.Second)
		return a
	}
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := fake.WaitConnections(wctx, before+1); err != nil {
		t.Fatalf("the bot did not connect: %v", err)
	}
	return a
}

// stop cancels the bot and waits for it to exit; a second call is a no-op.
func (a *app) stop() {
	a.once.Do(func() {
		a.cancel()
		select {
		case err := <-a.done:
			if err != nil {
				panic("the bot stopped with an error: " + err.Error())
			}
		case <-time.After(15 * time.Second):
			panic("the bot did not stop within 15s of its context ending")
		}
	})
}

func newFake(t *testing.T) *fakeslack.Server {
	t.Helper()
	fake := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fake.Close)
	return fake
}

// wait returns the first n calls of the methods, failing after 10s.
func wait(t *testing.T, fake *fakeslack.Server, n int, methods ...string) []fakeslack.Call {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	calls, err := fake.WaitCalls(ctx, n, methods...)
	if err != nil {
		t.Fatalf("waiting for %d %v calls: %v (got %d)", n, methods, err, fake.Count(methods...))
	}
	return calls
}

// visible is what a reader sees of a call: its text and its blocks.
func visible(c fakeslack.Call) string { return c.Text + "\n" + string(c.Blocks) }

func TestSlashCommandEndToEnd(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		start(t, fake, t.TempDir())
		env := fake.SendSlash(fakeslack.Slash{Text: "550 5.1.1"})
		c := wait(t, fake, 1, "response_url")[0]
		if c.EnvelopeID != env || c.ResponseType == "in_channel" {
			t.Errorf("/smtp answered %+v, want an ephemeral answer to its own response URL", c)
		}
		if !strings.Contains(visible(c), "Bad Destination Mailbox Address") || !strings.Contains(visible(c), "smtp_share") {
			t.Errorf("answer lacks the explanation or the share button:\n%s", visible(c))
		}
		// Over HTTP the ack is the 200 to Slack's POST, which the fake
		// reads in its own time: the answer at the response URL can come
		// first.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := fake.WaitAcks(ctx, env); err != nil {
			t.Errorf("the slash command was not acked: %v", err)
		}
	})
}

// TestPasteAndSilence: a bounce pasted in a channel gets one threaded reply;
// chatter and the bot's own messages get none. Replies to one channel are
// delivered in order, so the bounce's reply proves the earlier messages
// were handled and left unanswered.
func TestPasteAndSilence(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		start(t, fake, t.TempDir())
		fake.SendMessage(fakeslack.Message{Text: "we had 550 people at 12:55 and shipped 4.5.1"})
		fake.SendMessage(fakeslack.Message{User: fake.BotUserID(), Text: bounce})
		fake.SendMessage(fakeslack.Message{BotID: "B0OTHER", SubType: "bot_message", Text: bounce})
		fake.SendMessage(fakeslack.Message{SubType: "message_changed", Text: bounce})
		ts := fake.NextTS()
		fake.SendMessage(fakeslack.Message{TS: ts, Text: "<!channel> look: " + bounce})
		c := wait(t, fake, 1, "chat.postMessage")[0]
		if c.ThreadTS != ts {
			t.Errorf("reply in thread %q, want under the bounce %q", c.ThreadTS, ts)
		}
		got := visible(c)
		for _, bad := range []string{"<!channel>", "jane.doe@"} {
			if strings.Contains(got, bad) {
				t.Errorf("reply carries %q", bad)
			}
		}
		if !strings.Contains(got, "j***@example.com") {
			t.Errorf("reply does not quote the masked address:\n%s", got)
		}
		if n := fake.Count("chat.postMessage"); n != 1 {
			t.Errorf("%d posts, want only the bounce's reply", n)
		}
	})
}

// TestPasteAsSlackSendsIt: Slack escapes a pasted bounce's &, < and > and
// links its addresses ("&lt;<mailto:a@b|a@b>&gt;"); the answer reads and
// quotes the bounce as it was pasted, not Slack's markup.
func TestPasteAsSlackSendsIt(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		start(t, fake, t.TempDir())
		escaped := strings.ReplaceAll(bounce, "<jane.doe@example.com>",
			"&lt;<mailto:jane.doe@example.com|jane.doe@example.com>&gt;")
		fake.SendMessage(fakeslack.Message{Text: escaped})
		got := visible(wait(t, fake, 1, "chat.postMessage")[0])
		for _, bad := range []string{"mailto", "&amp;lt;", "jane.doe@"} {
			if strings.Contains(got, bad) {
				t.Errorf("reply carries %q:\n%s", bad, got)
			}
		}
		if !strings.Contains(got, "User unknown") || !strings.Contains(got, "j***@example.com") {
			t.Errorf("reply does not read the bounce as pasted:\n%s", got)
		}
		// A code block's fence is Slack's markup, not the bounce's: the
		// report's first field starts its line, the last line ends bare.
		fenced := "```Final-Recipient: rfc822; jane.doe@example.com\nAction: failed\nStatus: 5.2.2\n" +
			"Diagnostic-Code: smtp; 552 5.2.2 Mailbox full```"
		fake.SendMessage(fakeslack.Message{Text: fenced})
		got = visible(wait(t, fake, 2, "chat.postMessage")[1])
		if !strings.Contains(got, "```Mailbox full```") || strings.Contains(got, "full``````") {
			t.Errorf("the fenced report's words are not quoted as the server wrote them:\n%s", got)
		}
	})
}

// TestForwardedBounce: a bounce forwarded from another channel arrives as
// an attachment, with the forwarder's comment as the message's text; the
// answer reads the bounce.
func TestForwardedBounce(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		start(t, fake, t.TempDir())
		escaped := strings.ReplaceAll(bounce, "<jane.doe@example.com>",
			"&lt;<mailto:jane.doe@example.com|jane.doe@example.com>&gt;")
		fake.SendMessage(fakeslack.Message{Text: "can someone on call look at this one?", Shared: escaped})
		got := visible(wait(t, fake, 1, "chat.postMessage")[0])
		if !strings.Contains(got, "User unknown") || !strings.Contains(got, "j***@example.com") {
			t.Errorf("the forwarded bounce was not read:\n%s", got)
		}
	})
}

func TestMentionDMShortcutHomeEndToEnd(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		start(t, fake, t.TempDir())

		parent := fake.NextTS()
		fake.AddMessage(fakeslack.Message{TS: parent, Text: bounce})
		fake.SendMention(fakeslack.Message{ThreadTS: parent, Text: "<@" + fake.BotUserID() + "> what does this mean?"})
		c := wait(t, fake, 1, "chat.postMessage")[0]
		if c.ThreadTS != parent || !strings.Contains(c.Text, "5.1.1") {
			t.Errorf("mention under a bounce: %q in thread %q", c.Text, c.ThreadTS)
		}

		fake.SendMessage(fakeslack.Message{Channel: "D0DM", ChannelType: "im", Text: "compare 421 450"})
		c = wait(t, fake, 2, "chat.postMessage")[1]
		if c.Channel != "D0DM" || !strings.Contains(c.Text, "421") || !strings.Contains(c.Text, "450") {
			t.Errorf("DM compare: %+v", c)
		}

		fake.SendShortcut(fakeslack.Shortcut{Message: fakeslack.Message{Text: bounce}})
		c = wait(t, fake, 1, "response_url")[0]
		if !strings.Contains(c.Text, "5.1.1") {
			t.Errorf("shortcut: %q", c.Text)
		}

		fake.SendHomeOpened(fakeslack.DefaultUser)
		c = wait(t, fake, 1, "views.publish")[0]
		if !strings.Contains(string(c.Body), "home_lang") {
			t.Errorf("App Home has no language picker: %s", c.Body)
		}
	})
}

// TestLanguageButtonAndSavedLanguage switches a reply's language in place,
// then saves a language and finds it again after a restart.
func TestLanguageButtonAndSavedLanguage(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		dir := t.TempDir()
		a := start(t, fake, dir)

		fake.SendSlash(fakeslack.Slash{Text: "421"})
		c := wait(t, fake, 1, "response_url")[0]
		value := buttonValue(t, c.Blocks, "smtp_lang:th")
		fake.SendAction(fakeslack.Action{ActionID: "smtp_lang:th", Value: value, Ephemeral: true})
		c = wait(t, fake, 2, "response_url")[1]
		if !c.ReplaceOriginal || !strings.Contains(visible(c), "วิธีแก้") {
			t.Errorf("language button: want the answer replaced in Thai, got replace=%v\n%s", c.ReplaceOriginal, visible(c))
		}

		fake.SendSlash(fakeslack.Slash{Text: "lang vi"})
		wait(t, fake, 3, "response_url")
		a.stop()

		fake.Reset()
		start(t, fake, dir)
		fake.SendSlash(fakeslack.Slash{Text: "550"})
		c = wait(t, fake, 1, "response_url")[0]
		if !strings.Contains(visible(c), "Cách xử lý") {
			t.Errorf("after a restart the saved Vietnamese was lost:\n%s", visible(c))
		}
	})
}

// buttonValue finds the value of the button with actionID in blocks.
func buttonValue(t *testing.T, blocks json.RawMessage, actionID string) string {
	t.Helper()
	var bs []struct {
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(blocks, &bs); err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		for _, e := range b.Elements {
			if e.ActionID == actionID {
				return e.Value
			}
		}
	}
	t.Fatalf("no %s button in %s", actionID, blocks)
	return ""
}

// TestLanguageButtonKeepsTheBlocklist: a bounce that names Spamhaus gets
// its removal page as the next step, and still does once a language
// button has rendered the answer again from the button's value, over both
// transports.
func TestLanguageButtonKeepsTheBlocklist(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		start(t, fake, t.TempDir())
		const delist = "https://check.spamhaus.org/"
		fake.SendSlash(fakeslack.Slash{Text: "Status: 5.7.1\nDiagnostic-Code: smtp; 554 5.7.1 Service unavailable; " +
			"Client host [198.51.100.23] blocked using zen.spamhaus.org"})
		c := wait(t, fake, 1, "response_url")[0]
		if !strings.Contains(visible(c), delist) {
			t.Fatalf("the answer does not name Spamhaus's removal page:\n%s", visible(c))
		}
		fake.SendAction(fakeslack.Action{ActionID: "smtp_lang:vi", Value: buttonValue(t, c.Blocks, "smtp_lang:vi"), Ephemeral: true})
		c = wait(t, fake, 2, "response_url")[1]
		if !c.ReplaceOriginal || !strings.Contains(visible(c), delist) {
			t.Errorf("after the language button the answer lost the removal page (replace=%v):\n%s", c.ReplaceOriginal, visible(c))
		}
	})
}

// TestSnippetAndShare: a long paste that Slack turned into a snippet file is
// read and explained in the thread, and "Share in channel" on an ephemeral
// answer posts it for everyone.
func TestSnippetAndShare(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		start(t, fake, t.TempDir())

		long := bounce + "\n" + strings.Repeat("Received: from relay.example.net by mx.example.com; Tue, 7 May 2024 12:55:01 +0000\n", 60)
		f := fake.AddFile(fakeslack.File{Name: "bounce.txt", Mode: "snippet", Content: []byte(long)})
		ts := fake.NextTS()
		fake.SendMessage(fakeslack.Message{TS: ts, Text: "this bounced", Files: []string{f.ID}})
		c := wait(t, fake, 1, "chat.postMessage")[0]
		if c.ThreadTS != ts || !strings.Contains(c.Text, "5.1.1") {
			t.Errorf("snippet: reply %q in thread %q", c.Text, c.ThreadTS)
		}

		fake.SendSlash(fakeslack.Slash{Text: "550 5.7.26"})
		c = wait(t, fake, 1, "response_url")[0]
		fake.SendAction(fakeslack.Action{ActionID: "smtp_share", Value: buttonValue(t, c.Blocks, "smtp_share"), Ephemeral: true})
		c = wait(t, fake, 2, "response_url")[1]
		if c.ResponseType != "in_channel" || !strings.Contains(visible(c), "5.7.26") || strings.Contains(string(c.Blocks), "smtp_share") {
			t.Errorf("share: want the answer in the channel without a share button, got %q\n%s", c.ResponseType, visible(c))
		}
	})
}
