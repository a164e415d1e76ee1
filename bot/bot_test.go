package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/handlers"
)

func TestMessageGetsThreadReply(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	env := hs.fake.SendMessage(fakeslack.Message{Channel: "C1", TS: "1700000001.000100", Text: "550 5.1.1 user unknown"})
	hs.waitAcks(env)
	r := hs.replies(1)[0]
	if r.Channel != "C1" || r.ThreadTS != "1700000001.000100" || r.Text != "explained: 550 5.1.1 user unknown" {
		t.Errorf("reply = %+v", r)
	}
	// A DM is answered too, with the DM source.
	hs.fake.SendMessage(fakeslack.Message{Channel: "D1", ChannelType: "im", Text: "550 in a DM"})
	hs.replies(2)
	reqs := hs.h.requests()
	if got := reqs[len(reqs)-1].Source; got != handlers.SourceDM {
		t.Errorf("DM source = %q", got)
	}
	if got := reqs[0].Source; got != handlers.SourceMessage {
		t.Errorf("channel message source = %q", got)
	}
}

// Every envelope is acked, the ignored and malformed ones too, and none of
// those is answered.
func TestAcksEveryEnvelopeAndIgnoresWhatItShould(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	f := hs.fake
	ch := "C2"
	var envs []string
	send := func(id string) { envs = append(envs, id) }

	send(f.SendMessage(fakeslack.Message{Channel: ch, Text: "550 answered"}))
	// The bot's own message, another bot's, a bot_message.
	send(f.SendMessage(fakeslack.Message{Channel: ch, User: f.BotUserID(), BotID: f.BotID(), Text: "550 mine"}))
	send(f.SendMessage(fakeslack.Message{Channel: ch, User: "", BotID: "BOTHER", Text: "550 other bot"}))
	send(f.SendMessage(fakeslack.Message{Channel: ch, User: "", BotID: "BOTHER", SubType: "bot_message", Text: "550 bot_message"}))
	// An edit, a deletion, a join.
	send(f.SendEvent(map[string]any{
		"type": "message", "subtype": "message_changed", "channel": ch, "channel_type": "channel", "hidden": true,
		"ts": f.NextTS(), "event_ts": f.NextTS(),
		"message":          map[string]any{"type": "message", "user": "U1", "text": "550 edited", "ts": "1700000000.000001", "edited": map[string]any{"user": "U1", "ts": "1700000000.000009"}},
		"previous_message": map[string]any{"type": "message", "user": "U1", "text": "550 before", "ts": "1700000000.000001"},
	}))
	send(f.SendEvent(map[string]any{"type": "message", "subtype": "message_deleted", "channel": ch, "channel_type": "channel", "hidden": true, "deleted_ts": "1700000000.000001", "ts": f.NextTS()}))
	send(f.SendMessage(fakeslack.Message{Channel: ch, SubType: "channel_join", Text: "<@U1> has joined the channel 550"}))
	// An event the bot does not subscribe to, a global shortcut, another
	// message shortcut.
	send(f.SendEvent(map[string]any{"type": "reaction_added", "user": "U1", "reaction": "eyes", "item": map[string]any{"type": "message", "channel": ch, "ts": "1"}, "event_ts": f.NextTS()}))
	send(f.SendShortcut(fakeslack.Shortcut{CallbackID: "something_else", Message: fakeslack.Message{Channel: ch, Text: "550"}}))
	// Malformed: payload not an object, unknown inner event type, a bad
	// interactive payload, a bad slash payload, an unknown envelope type.
	bad := map[string]string{
		"bad-1": `{"envelope_id":"bad-1","type":"events_api","payload":"not an object","accepts_response_payload":false}`,
		"bad-2": `{"envelope_id":"bad-2","type":"events_api","payload":{"type":"event_callback","event_id":"Ev1","event":{"type":"no_such_event"}}}`,
		"bad-3": `{"envelope_id":"bad-3","type":"interactive","payload":{"type":42}}`,
		"bad-4": `{"envelope_id":"bad-4","type":"slash_commands","payload":{"text":["not","a","string"]}}`,
		"bad-5": `{"envelope_id":"bad-5","type":"brand_new_type","payload":{}}`,
	}
	for id, frame := range bad {
		f.SendRaw(id, []byte(frame))
		send(id)
	}
	f.SendRaw("", []byte(`this is not json{`))

	hs.waitAcks(envs...)
	calls := hs.barrier(ch, 2)
	if calls[0].Text != "explained: 550 answered" {
		t.Errorf("replies: %s", texts(calls))
	}
	if n := len(hs.fake.Calls("chat.postMessage", "chat.postEphemeral", "response_url")); n != 2 {
		t.Errorf("%d replies, want 2: %s", n, texts(hs.fake.Calls()))
	}
	for _, a := range hs.fake.Acks() {
		if a.Time.Before(a.SentAt) {
			t.Errorf("ack of %s before it was sent", a.EnvelopeID)
		}
	}
}

func TestRepliesToOtherBotsWhenAsked(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, func(c *bot.Config) { c.ReplyToBots = true })
	f := hs.fake
	f.SendMessage(fakeslack.Message{Channel: "C3", BotID: "BOTHER", SubType: "bot_message", Text: "550 from a forwarder"})
	f.SendMessage(fakeslack.Message{Channel: "C3", User: f.BotUserID(), BotID: f.BotID(), Text: "550 mine"})
	calls := hs.barrier("C3", 2)
	if calls[0].Text != "explained: 550 from a forwarder" {
		t.Errorf("replies: %s", texts(calls))
	}
}

func TestEchoedOwnRepliesAreIgnored(t *testing.T) {
	t.Parallel()
	// Slack sends the bot's own posts back as message events; answering
	// them would loop (the reply contains "550").
	hs := start(t, fakeslack.Options{EchoBotMessages: true}, nil)
	hs.fake.SendMessage(fakeslack.Message{Channel: "C4", Text: "550 once"})
	hs.replies(1)
	hs.barrier("C4", 2)
	hs.barrier("C4", 3) // after the first barrier's echo
	if n := hs.fake.Count("chat.postMessage"); n != 3 {
		t.Errorf("%d replies, want 2: %s", n, texts(hs.fake.Calls("chat.postMessage")))
	}
}

func TestRedeliveredEventAnsweredOnce(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	env := hs.fake.SendMessage(fakeslack.Message{Channel: "C5", Text: "550 once"})
	again := hs.fake.Resend(env)
	third := hs.fake.Resend(again)
	hs.waitAcks(env, again, third)
	calls := hs.barrier("C5", 2)
	if len(calls) != 2 {
		t.Errorf("replies: %s", texts(calls))
	}
}

func TestMessageAndMentionAnsweredOnce(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	f := hs.fake
	m := fakeslack.Message{Channel: "C6", TS: f.NextTS(), Text: "<@" + f.BotUserID() + "> 550 5.7.1 rejected"}
	f.SendMessage(m)
	f.SendMention(m)
	// The other order, too.
	m2 := fakeslack.Message{Channel: "C6", TS: f.NextTS(), Text: "<@" + f.BotUserID() + "> 550 5.1.1 again"}
	f.SendMention(m2)
	f.SendMessage(m2)
	calls := hs.barrier("C6", 3)
	if len(calls) != 3 {
		t.Errorf("replies: %s", texts(calls))
	}
	for _, r := range hs.h.requests()[:2] {
		if r.Source != handlers.SourceMention {
			t.Errorf("source = %q, want mention", r.Source)
		}
	}
}

func TestMentionInThreadGetsParentText(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	f := hs.fake
	parent := f.NextTS()
	f.AddMessage(fakeslack.Message{Channel: "C7", TS: parent, Text: "550 5.1.1 <bob@example.com>: user unknown"})
	f.SendMention(fakeslack.Message{Channel: "C7", ThreadTS: parent, Text: "<@" + f.BotUserID() + "> explain"})
	r := hs.replies(1)[0]
	if r.ThreadTS != parent || !strings.Contains(r.Text, "user unknown | <@") {
		t.Errorf("reply = %+v", r)
	}
	if n := f.Count("conversations.replies"); n != 1 {
		t.Errorf("conversations.replies called %d times", n)
	}
}

func TestSameExplanationNotRepeatedInThread(t *testing.T) {
	t.Parallel()
	clk := &clock{}
	hs := start(t, fakeslack.Options{}, func(c *bot.Config) {
		c.DedupeWindow = time.Minute
		c.Now = clk.Now
	})
	f := hs.fake
	thread := f.NextTS()
	f.SendMessage(fakeslack.Message{Channel: "C8", ThreadTS: thread, Text: "550 5.1.1"})
	f.SendMessage(fakeslack.Message{Channel: "C8", ThreadTS: thread, Text: "550 5.1.1"})
	// The same text in another thread is answered.
	f.SendMessage(fakeslack.Message{Channel: "C8", Text: "550 5.1.1"})
	calls := hs.barrier("C8", 3)
	if len(calls) != 3 {
		t.Fatalf("replies: %s", texts(calls))
	}
	clk.Advance(2 * time.Minute)
	f.SendMessage(fakeslack.Message{Channel: "C8", ThreadTS: thread, Text: "550 5.1.1"})
	calls = hs.replies(4)
	if calls[3].ThreadTS != thread {
		t.Errorf("after the window: %s", texts(calls))
	}
}

func TestRateLimitedReplyRetriedInOrder(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{RateLimitPerChannel: 1, RateInterval: time.Second, RetryAfter: time.Second}, nil)
	f := hs.fake
	f.SendMessage(fakeslack.Message{Channel: "C9", Text: "550 first"})
	f.SendMessage(fakeslack.Message{Channel: "C9", Text: "550 second"})
	f.SendMessage(fakeslack.Message{Channel: "C10", Text: "550 elsewhere"})
	calls := hs.replies(3)
	var order []string
	for _, c := range calls {
		order = append(order, strings.TrimPrefix(c.Text, "explained: 550 "))
	}
	if got := strings.Join(order, ","); got != "first,elsewhere,second" && got != "elsewhere,first,second" {
		t.Errorf("order = %s", got)
	}
	if f.RateLimited() == 0 {
		t.Error("no 429 was sent")
	}
}

func TestReconnectsAfterDisconnect(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	hs.fake.SendDisconnect()
	if err := hs.fake.WaitConnections(waitCtx(t), 2); err != nil {
		t.Fatal(err)
	}
	env := hs.fake.SendMessage(fakeslack.Message{Channel: "C11", Text: "550 after disconnect"})
	hs.waitAcks(env)
	hs.replies(1)
}

func TestReconnectsAfterDroppedSocket(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	hs.fake.DropConnection()
	env := hs.fake.SendMessage(fakeslack.Message{Channel: "C12", Text: "550 after drop"})
	if err := hs.fake.WaitConnections(waitCtx(t), 2); err != nil {
		t.Fatal(err)
	}
	hs.waitAcks(env)
	hs.replies(1)
	// And once more.
	hs.fake.DropConnection()
	hs.fake.SendMessage(fakeslack.Message{Channel: "C12", Text: "550 after second drop"})
	hs.replies(2)
}

func TestPanickingHandlerIsRecovered(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	hs.fake.SendMessage(fakeslack.Message{Channel: "C13", Text: "550 panic"})
	hs.fake.SendMessage(fakeslack.Message{Channel: "C13", Text: "550 fine"})
	calls := hs.barrier("C13", 2)
	if calls[0].Text != "explained: 550 fine" {
		t.Errorf("replies: %s", texts(calls))
	}
}

// The ack does not wait for the handler.
func TestAckBeforeWork(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	env := hs.fake.SendMessage(fakeslack.Message{Channel: "C14", Text: "550 block"})
	hs.waitAcks(env)
	if n := hs.fake.Count("chat.postMessage"); n != 0 {
		t.Fatalf("replied before release: %d", n)
	}
	// Other channels are served meanwhile.
	hs.fake.SendMessage(fakeslack.Message{Channel: "C15", Text: "550 other"})
	hs.replies(1)
	hs.h.Release()
	hs.replies(2)
}

func TestSlashCommandAnswersOnResponseURL(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	env := hs.fake.SendSlash(fakeslack.Slash{Text: "550 5.1.1", Channel: "C16"})
	calls, err := hs.fake.WaitCalls(waitCtx(t), 1, "response_url")
	if err != nil {
		t.Fatal(err)
	}
	c := calls[0]
	if c.EnvelopeID != env || c.Text != "slash: 550 5.1.1" || c.ResponseType != "ephemeral" || c.ReplaceOriginal {
		t.Errorf("response_url call = %+v", c)
	}
}

func TestShortcutExplainsTheMessage(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	env := hs.fake.SendShortcut(fakeslack.Shortcut{Message: fakeslack.Message{Channel: "C17", Text: "421 4.7.0 try again later"}})
	calls, err := hs.fake.WaitCalls(waitCtx(t), 1, "response_url")
	if err != nil {
		t.Fatal(err)
	}
	if c := calls[0]; c.EnvelopeID != env || c.Text != "shortcut: 421 4.7.0 try again later" {
		t.Errorf("response_url call = %+v", c)
	}
	r := hs.h.requests()[0]
	if r.Source != handlers.SourceShortcut || r.ChannelID != "C17" || r.TS == "" || r.ResponseURL == "" {
		t.Errorf("request = %+v", r)
	}
}

func TestBlockActions(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	f := hs.fake
	// On an ephemeral message: replaced through the response URL.
	env := f.SendAction(fakeslack.Action{ActionID: "lang", Value: "th", Channel: "C18", Ephemeral: true})
	calls, err := f.WaitCalls(waitCtx(t), 1, "response_url")
	if err != nil {
		t.Fatal(err)
	}
	if c := calls[0]; c.EnvelopeID != env || !c.ReplaceOriginal || c.Text != "action: lang=th" {
		t.Errorf("response_url call = %+v", c)
	}
	// On a regular message: chat.update of that message; a select's value.
	ts := f.NextTS()
	f.SendAction(fakeslack.Action{ActionID: "pick", Value: "vi", Channel: "C18", MessageTS: ts, Select: true})
	calls, err = f.WaitCalls(waitCtx(t), 1, "chat.update")
	if err != nil {
		t.Fatal(err)
	}
	if c := calls[0]; c.Channel != "C18" || c.TS != ts || c.Text != "action: pick=vi" {
		t.Errorf("chat.update call = %+v", c)
	}
	a := hs.h.requests()[0].Action
	if a == nil || !a.Ephemeral || a.ActionID != "lang" {
		t.Errorf("action = %+v", a)
	}
}

func TestAppHomePublishesView(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	hs.fake.SendHomeOpened("U19")
	calls, err := hs.fake.WaitCalls(waitCtx(t), 1, "views.publish")
	if err != nil {
		t.Fatal(err)
	}
	c := calls[0]
	if c.User != "U19" || !strings.Contains(c.Params["view"], `"type":"home"`) || !strings.Contains(c.Params["view"], "SMTP codes") {
		t.Errorf("views.publish call = %+v", c)
	}
}

func TestFileShareTextIsDownloaded(t *testing.T) {
	t.Parallel()
	// The limit covers the message and its files together: 13 bytes of
	// text, the whole 60-byte .eml, 47 bytes of the 126-byte snippet, and
	// nothing of the last text file, which is not downloaded at all.
	hs := start(t, fakeslack.Options{}, func(c *bot.Config) { c.MaxFileBytes = 120 })
	f := hs.fake
	eml := f.AddFile(fakeslack.File{Name: "bounce.eml", Filetype: "email", Mimetype: "message/rfc822",
		Content: []byte("Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n")})
	snippet := f.AddFile(fakeslack.File{Name: "-", Mode: "snippet", Content: []byte("452 4.2.2 mailbox full" + strings.Repeat(" ", 100) + "TAIL")})
	png := f.AddFile(fakeslack.File{Name: "shot.png", Filetype: "png", Mimetype: "image/png", Content: []byte("\x89PNG 550")})
	big := f.AddFile(fakeslack.File{Name: "big.txt", Content: []byte(strings.Repeat("550 5.7.1 x\n", 1000))})
	f.SendMessage(fakeslack.Message{Channel: "C20", Text: "what is this?", Files: []string{eml.ID, snippet.ID, png.ID, big.ID}})
	hs.replies(1)
	req := hs.h.requests()[0]
	text := req.Text
	if !strings.HasPrefix(text, "what is this?\n\n") || !strings.Contains(text, "550 5.1.1 user unknown") ||
		!strings.Contains(text, "452 4.2.2") || strings.Contains(text, "TAIL") || strings.Contains(text, "PNG") ||
		strings.Contains(text, "5.7.1") {
		t.Errorf("text = %q", text)
	}
	if want := (handlers.Cut{Read: 120, Total: 13 + 60 + 126 + 12000}); req.Cut != want {
		t.Errorf("cut = %+v, want %+v", req.Cut, want)
	}
	if n := f.Count("files.download"); n != 2 {
		t.Errorf("%d downloads, want 2", n)
	}
}

// TestLongMessageTextIsCut checks that a message text longer than the
// limit (which Slack itself never sends, but a proxy or a fake might) is
// read only as far as the limit, without splitting a character.
func TestLongMessageTextIsCut(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, func(c *bot.Config) { c.MaxFileBytes = 100 })
	hs.fake.SendMessage(fakeslack.Message{Channel: "C22", Text: "550 5.1.1 " + strings.Repeat("ก", 1000)})
	hs.replies(1)
	req := hs.h.requests()[0]
	if len(req.Text) > 100 || !utf8.ValidString(req.Text) || !strings.HasPrefix(req.Text, "550 5.1.1 ") {
		t.Errorf("text = %q", req.Text)
	}
	if want := (handlers.Cut{Read: int64(len(req.Text)), Total: 3010}); req.Cut != want {
		t.Errorf("cut = %+v, want %+v", req.Cut, want)
	}
}

func TestShutdownDeliversRepliesInFlight(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{RateLimitPerChannel: 1, RetryAfter: time.Second}, nil)
	hs.fake.SendMessage(fakeslack.Message{Channel: "C21", Text: "550 one"})
	env := hs.fake.SendMessage(fakeslack.Message{Channel: "C21", Text: "550 two"})
	// Once acked, the envelope was taken: its reply, held back by the rate
	// limit, must still be delivered.
	hs.waitAcks(env)
	hs.replies(1)
	if err := hs.stop(); err != nil {
		t.Fatal(err)
	}
	if n := hs.fake.Count("chat.postMessage"); n != 2 {
		t.Errorf("%d replies delivered, want 2", n)
	}
}

func TestRefusedBotTokenStopsRun(t *testing.T) {
	t.Parallel()
	fake := fakeslack.New(fakeslack.Options{})
	defer fake.Close()
	fake.FailNext("auth.test", "invalid_auth")
	b, err := bot.New(testConfig(fake, ""), newTestHandler())
	if err != nil {
		t.Fatal(err)
	}
	err = b.Run(waitCtx(t))
	if err == nil || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN") {
		t.Errorf("Run = %v", err)
	}
}

func TestBadTokensRejected(t *testing.T) {
	t.Parallel()
	cases := []struct {
		app, bot string
		want     []string
	}{
		{"", botToken, []string{"SLACK_APP_TOKEN", "App-Level Tokens", "connections:write"}},
		{"xoxb-swapped-secret", botToken, []string{"SLACK_APP_TOKEN", "swapped"}},
		{"nonsense-secret", botToken, []string{"SLACK_APP_TOKEN", "xapp-"}},
		{appToken, "", []string{"SLACK_BOT_TOKEN", "OAuth & Permissions", "Bot User OAuth Token"}},
		{appToken, "xoxp-user-secret", []string{"SLACK_BOT_TOKEN", "user token"}},
		{appToken, "xapp-secret", []string{"SLACK_BOT_TOKEN", "swapped"}},
		{"", "", []string{"SLACK_APP_TOKEN", "SLACK_BOT_TOKEN"}},
	}
	for _, c := range cases {
		_, err := bot.New(bot.Config{AppToken: c.app, BotToken: c.bot}, newTestHandler())
		if err == nil {
			t.Errorf("New(%q, %q) accepted", c.app, c.bot)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("New(%q, %q) = %q, want it to mention %q", c.app, c.bot, err, w)
			}
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("error quotes the token: %q", err)
		}
	}
}

func TestSavedLanguageSurvivesRestart(t *testing.T) {
	t.Parallel()
	fake := fakeslack.New(fakeslack.Options{})
	defer fake.Close()
	dir := t.TempDir()
	ctx := context.Background()
	b, err := bot.New(testConfig(fake, dir), newTestHandler())
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Prefs().SavedLanguage(ctx, "U1"); got != "" {
		t.Errorf("before saving: %q", got)
	}
	if err := b.Prefs().SaveLanguage(ctx, "U1", "th"); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b2, err := bot.New(testConfig(fake, dir), newTestHandler())
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	if got := b2.Prefs().SavedLanguage(ctx, "U1"); got != "th" {
		t.Errorf("after restart: %q, want th", got)
	}
	// A second bot on the same store is refused rather than left hanging.
	if _, err := bot.New(testConfig(fake, dir), newTestHandler()); err == nil || !strings.Contains(err.Error(), "locked") {
		t.Errorf("second bot on one store: %v", err)
	}
}

func TestSlackLocaleFromUsersInfoIsCached(t *testing.T) {
	t.Parallel()
	fake := fakeslack.New(fakeslack.Options{})
	defer fake.Close()
	fake.SetUser(fakeslack.User{ID: "U1", Locale: "th-TH"})
	b, err := bot.New(testConfig(fake, ""), newTestHandler())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	for range 3 {
		if got := b.Prefs().SlackLocale(ctx, "U1"); got != "th-TH" {
			t.Errorf("locale = %q", got)
		}
	}
	if got := b.Prefs().SlackLocale(ctx, "U404"); got != "" {
		t.Errorf("unknown user's locale = %q", got)
	}
	calls := fake.Calls("users.info")
	if len(calls) != 2 || calls[0].Params["include_locale"] != "true" {
		t.Errorf("users.info calls: %+v", calls)
	}
}

func TestErrorsAreSurvived(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	hs.fake.FailNext("chat.postMessage", "channel_not_found")
	hs.fake.SendMessage(fakeslack.Message{Channel: "C22", Text: "550 lost"})
	calls := hs.barrier("C22", 2) // the failed call is recorded too
	if !strings.Contains(calls[0].Text, "lost") {
		t.Errorf("replies: %s", texts(calls))
	}
}

// TestRedeliveredSlashCommandAnsweredOnce: a slash command or a click that
// arrives again under a new envelope id keeps its trigger id, and is
// answered once.
func TestRedeliveredSlashCommandAnsweredOnce(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	env := hs.fake.SendSlash(fakeslack.Slash{Text: "550", Channel: "C11"})
	again := hs.fake.Resend(env)
	hs.waitAcks(env, again)
	hs.fake.SendSlash(fakeslack.Slash{Text: "barrier", Channel: "C11"})
	calls, err := hs.fake.WaitCalls(waitCtx(t), 2, "response_url")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(calls[1].Text, "barrier") {
		t.Errorf("the redelivered command was answered again: %s", texts(calls))
	}
}
