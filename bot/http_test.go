package bot_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/handlers"
)

const signingSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// httpHarness is a bot in HTTP mode behind an httptest server, and the
// fake Slack delivering to it.
type httpHarness struct {
	*harness
	srv *httptest.Server
	// front, when set, sees every request before the bot (to refuse some).
	front atomic.Pointer[func(http.ResponseWriter, *http.Request) bool]
}

// startHTTP runs a bot in HTTP mode against a fresh fake Slack that
// delivers to it over HTTP, and waits until the bot takes requests.
func startHTTP(t *testing.T, opts fakeslack.Options, configure func(*bot.Config)) *httpHarness {
	t.Helper()
	opts.SigningSecret = signingSecret
	fake := fakeslack.New(opts)
	t.Cleanup(fake.Close)
	h := newTestHandler()
	cfg := testConfig(fake, t.TempDir())
	cfg.AppToken, cfg.SigningSecret = "", signingSecret
	if configure != nil {
		configure(&cfg)
	}
	b, err := bot.New(cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	hh := &httpHarness{}
	events := b.EventsHandler()
	hh.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := hh.front.Load(); f != nil && (*f)(w, r) {
			return
		}
		events.ServeHTTP(w, r)
	}))
	t.Cleanup(hh.srv.Close)
	fake.SetEventsURL(hh.srv.URL + "/slack/events")

	hh.harness = &harness{t: t, fake: fake, h: h, bot: b, stop: run(t, b, h.Release)}
	waitServing(t, hh.srv.URL)
	return hh
}

// signed posts body to url signed with secret at ts.
func signed(t *testing.T, url, secret string, ts time.Time, ctype string, body []byte) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set("X-Slack-Signature", fakeslack.Sign(secret, ts.Unix(), body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// ignoredEvent is an event the bot takes and never answers.
var ignoredEvent = []byte(`{"type":"event_callback","event_id":"EvIGNORED","team_id":"T1","api_app_id":"A1",` +
	`"event":{"type":"reaction_added","user":"U1","reaction":"eyes","event_ts":"1.1"}}`)

// waitServing waits until the bot answers a signed request with 200: it
// answers 503 until Run has called auth.test.
func waitServing(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for signed(t, url, signingSecret, time.Now(), "application/json", ignoredEvent) != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("the bot did not start taking requests")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Every kind of request Slack sends over HTTP reaches the same handlers as
// over the socket, and is answered the same way.
func TestHTTPEveryKindOfRequest(t *testing.T) {
	t.Parallel()
	hs := startHTTP(t, fakeslack.Options{}, nil)
	f := hs.fake
	if err := f.VerifyURL(waitCtx(t)); err != nil {
		t.Fatal(err)
	}
	ids := []string{
		f.SendMessage(fakeslack.Message{Channel: "C1", TS: "1700000001.000100", Text: "550 over http"}),
		f.SendSlash(fakeslack.Slash{Channel: "C1", Text: "421 4.7.0"}),
		f.SendShortcut(fakeslack.Shortcut{Message: fakeslack.Message{Channel: "C1", Text: "452 full"}}),
		f.SendAction(fakeslack.Action{Channel: "C1", ActionID: "smtp_lang:th", Value: "550|th", Ephemeral: true}),
		f.SendHomeOpened("U7"),
	}
	hs.waitAcks(ids...)
	msg := hs.replies(1)[0]
	if msg.ThreadTS != "1700000001.000100" || msg.Text != "explained: 550 over http" {
		t.Errorf("message reply: %+v", msg)
	}
	rs, err := f.WaitCalls(waitCtx(t), 3, "response_url")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ids[1]: "slash: 421 4.7.0", ids[2]: "shortcut: 452 full", ids[3]: "action: smtp_lang:th=550|th"}
	for _, c := range rs {
		if want[c.EnvelopeID] != c.Text {
			t.Errorf("response URL of %s got %q, want %q", c.EnvelopeID, c.Text, want[c.EnvelopeID])
		}
	}
	if _, err := f.WaitCalls(waitCtx(t), 1, "views.publish"); err != nil {
		t.Fatal(err)
	}
	sources := map[handlers.Source]bool{}
	for _, r := range hs.h.requests() {
		sources[r.Source] = true
	}
	for _, s := range []handlers.Source{handlers.SourceMessage, handlers.SourceSlash, handlers.SourceShortcut, handlers.SourceAction, handlers.SourceHome} {
		if !sources[s] {
			t.Errorf("no request of source %q reached the handler", s)
		}
	}
}

// A request Slack sends again (X-Slack-Retry-Num, same event_id or
// trigger_id) is acked and not answered again.
func TestHTTPRetriesAnsweredOnce(t *testing.T) {
	t.Parallel()
	hs := startHTTP(t, fakeslack.Options{}, nil)
	f := hs.fake
	msg := f.SendMessage(fakeslack.Message{Channel: "C5", Text: "550 once"})
	slash := f.SendSlash(fakeslack.Slash{Channel: "C5", Text: "550"})
	act := f.SendAction(fakeslack.Action{Channel: "C5", ActionID: "smtp_share", Value: "v", Ephemeral: true})
	ids := []string{msg, slash, act}
	for _, id := range []string{msg, slash, act} {
		again := f.Resend(id)
		ids = append(ids, again, f.Resend(again))
	}
	hs.waitAcks(ids...)
	calls := hs.barrier("C5", 2)
	if calls[0].Text != "explained: 550 once" {
		t.Errorf("replies: %s", texts(calls))
	}
	f.SendSlash(fakeslack.Slash{Channel: "C5", Text: "barrier"})
	rs, err := f.WaitCalls(waitCtx(t), 3, "response_url")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rs[2].Text, "barrier") || len(f.Calls("response_url")) != 3 {
		t.Errorf("a retried command or click was answered again: %s", texts(f.Calls("response_url")))
	}
}

// A request that got no 200 (a replica answering 500, a connection
// refused) comes again with X-Slack-Retry-Num, and is answered once.
func TestHTTPFailedDeliveryIsRetried(t *testing.T) {
	t.Parallel()
	hs := startHTTP(t, fakeslack.Options{}, nil)
	var mu sync.Mutex
	var retryNums []string
	refuse := 2
	front := func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		retryNums = append(retryNums, r.Header.Get("X-Slack-Retry-Num")+"/"+r.Header.Get("X-Slack-Retry-Reason"))
		if refuse > 0 {
			refuse--
			http.Error(w, "busy", http.StatusInternalServerError)
			return true
		}
		return false
	}
	hs.front.Store(&front)
	id := hs.fake.SendMessage(fakeslack.Message{Channel: "C6", Text: "550 retried"})
	r := hs.replies(1)[0]
	if r.Text != "explained: 550 retried" {
		t.Errorf("reply: %+v", r)
	}
	again := hs.fake.Redeliveries(id)
	if len(again) != 2 {
		t.Fatalf("sent again under %v, want 2 retries", again)
	}
	hs.waitAcks(again[1])
	mu.Lock()
	got := strings.Join(retryNums, " ")
	mu.Unlock()
	if got != "/ 1/http_error 2/http_error" {
		t.Errorf("retry headers seen: %q", got)
	}
	if hs.fake.FailedPosts() != 2 {
		t.Errorf("failed posts %d, want 2", hs.fake.FailedPosts())
	}
}

// Signature checks (Slack's "Verifying requests from Slack"): anything not
// signed with the secret over this very body, within 5 minutes, is refused
// with 401 and never reaches the handlers.
func TestHTTPSignatureRefused(t *testing.T) {
	t.Parallel()
	hs := startHTTP(t, fakeslack.Options{}, nil)
	url := hs.srv.URL + "/slack/events"
	body := []byte(`{"type":"event_callback","event_id":"EvFORGED","team_id":"T1",` +
		`"event":{"type":"message","channel":"C9","channel_type":"channel","user":"U1","text":"550 forged","ts":"1700000009.000001"}}`)
	now := time.Now()
	good := func() http.Header {
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		h.Set("X-Slack-Request-Timestamp", strconv.FormatInt(now.Unix(), 10))
		h.Set("X-Slack-Signature", fakeslack.Sign(signingSecret, now.Unix(), body))
		return h
	}
	cases := []struct {
		name string
		edit func(h http.Header, body []byte) []byte
	}{
		{"wrong secret", func(h http.Header, b []byte) []byte {
			h.Set("X-Slack-Signature", fakeslack.Sign("0123456789abcdef0123456789abcdef", now.Unix(), b))
			return b
		}},
		{"stale timestamp", func(h http.Header, b []byte) []byte {
			old := now.Add(-5*time.Minute - 30*time.Second).Unix()
			h.Set("X-Slack-Request-Timestamp", strconv.FormatInt(old, 10))
			h.Set("X-Slack-Signature", fakeslack.Sign(signingSecret, old, b))
			return b
		}},
		{"timestamp in the future", func(h http.Header, b []byte) []byte {
			later := now.Add(6 * time.Minute).Unix()
			h.Set("X-Slack-Request-Timestamp", strconv.FormatInt(later, 10))
			h.Set("X-Slack-Signature", fakeslack.Sign(signingSecret, later, b))
			return b
		}},
		{"timestamp changed after signing", func(h http.Header, b []byte) []byte {
			h.Set("X-Slack-Request-Timestamp", strconv.FormatInt(now.Unix()-1, 10))
			return b
		}},
		{"altered body", func(h http.Header, b []byte) []byte {
			return bytes.Replace(b, []byte("550 forged"), []byte("551 forged"), 1)
		}},
		{"body with a byte added", func(h http.Header, b []byte) []byte { return append(b, ' ') }},
		{"missing signature", func(h http.Header, b []byte) []byte { h.Del("X-Slack-Signature"); return b }},
		{"missing timestamp", func(h http.Header, b []byte) []byte { h.Del("X-Slack-Request-Timestamp"); return b }},
		{"missing both", func(h http.Header, b []byte) []byte {
			h.Del("X-Slack-Signature")
			h.Del("X-Slack-Request-Timestamp")
			return b
		}},
		{"unknown version", func(h http.Header, b []byte) []byte {
			h.Set("X-Slack-Signature", "v1="+strings.TrimPrefix(h.Get("X-Slack-Signature"), "v0="))
			return b
		}},
		{"signature not hex", func(h http.Header, b []byte) []byte { h.Set("X-Slack-Signature", "v0=zz"); return b }},
		{"signature cut short", func(h http.Header, b []byte) []byte {
			h.Set("X-Slack-Signature", h.Get("X-Slack-Signature")[:20])
			return b
		}},
		{"timestamp not a number", func(h http.Header, b []byte) []byte {
			h.Set("X-Slack-Request-Timestamp", "soon")
			return b
		}},
	}
	for _, tc := range cases {
		h := good()
		b := tc.edit(h, append([]byte(nil), body...))
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
		req.Header = h
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", tc.name, resp.StatusCode)
		}
	}
	// The same body, well signed, goes through: the cases above failed on
	// their one change.
	if code := signed(t, url, signingSecret, now, "application/json", body); code != http.StatusOK {
		t.Fatalf("well signed: status %d", code)
	}
	calls := hs.barrier("C9", 2)
	if calls[0].Text != "explained: 550 forged" {
		t.Errorf("replies: %s", texts(calls))
	}
	for _, r := range hs.h.requests() {
		if strings.Contains(r.Text, "551") {
			t.Errorf("a refused request reached the handler: %q", r.Text)
		}
	}
}

// Bounds and manners of the door: a body over the limit is refused (413),
// a GET is refused (405), a signed body that is not a request Slack sends
// is acked and skipped.
func TestHTTPRefusals(t *testing.T) {
	t.Parallel()
	hs := startHTTP(t, fakeslack.Options{}, func(c *bot.Config) { c.MaxBodyBytes = 4096 })
	url := hs.srv.URL + "/slack/events"
	big := []byte(`{"type":"event_callback","event_id":"EvBIG","event":{"type":"message","channel":"C1","text":"550 ` +
		strings.Repeat("x", 5000) + `","ts":"1.2"}}`)
	if code := signed(t, url, signingSecret, time.Now(), "application/json", big); code != http.StatusRequestEntityTooLarge {
		t.Errorf("body over the limit: status %d, want 413", code)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", resp.StatusCode)
	}
	for _, b := range []struct{ ctype, body string }{
		{"application/json", `{"type":"event_callback","event":"not an object"}`},
		{"application/json", `not json`},
		{"application/x-www-form-urlencoded", `payload=%7B%22type%22%3A42%7D`},
		{"application/x-www-form-urlencoded", `text=550&user_id=U1`},
		{"application/x-www-form-urlencoded", `%zz`},
	} {
		if code := signed(t, url, signingSecret, time.Now(), b.ctype, []byte(b.body)); code != http.StatusOK {
			t.Errorf("%s %q: status %d, want 200 (acked, skipped)", b.ctype, b.body, code)
		}
	}
	hs.barrier("C1", 1)
	if n := len(hs.h.requests()); n != 1 {
		t.Errorf("%d requests reached the handler, want only the barrier", n)
	}
}

// Once Run's context is done the bot answers 503, so that Slack sends the
// request again (to a replica still up), and the requests it took are
// finished.
func TestHTTPStopsTakingRequestsOnShutdown(t *testing.T) {
	t.Parallel()
	hs := startHTTP(t, fakeslack.Options{}, nil)
	hs.fake.SendMessage(fakeslack.Message{Channel: "C8", Text: "550 taken"})
	hs.replies(1)
	if err := hs.stop(); err != nil {
		t.Fatal(err)
	}
	code := signed(t, hs.srv.URL, signingSecret, time.Now(), "application/json", ignoredEvent)
	if code != http.StatusServiceUnavailable {
		t.Errorf("after shutdown: status %d, want 503", code)
	}
}

func TestHTTPModeConfig(t *testing.T) {
	t.Parallel()
	h := newTestHandler()
	for _, tc := range []struct {
		name             string
		app, bot, secret string
		want             string // in the error; "" for none
	}{
		{"socket", appToken, botToken, "", ""},
		{"http", "", botToken, signingSecret, ""},
		{"both: socket wins", appToken, botToken, signingSecret, ""},
		{"neither", "", botToken, "", "SLACK_APP_TOKEN is empty"},
		{"placeholder secret", "", botToken, "...", "example value"},
		{"short secret", "", botToken, "abc123", "too short"},
		{"token as secret", "", botToken, botToken, "holds a token"},
		{"http without bot token", "", "", signingSecret, "SLACK_BOT_TOKEN is empty"},
	} {
		b, err := bot.New(bot.Config{AppToken: tc.app, BotToken: tc.bot, SigningSecret: tc.secret}, h)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
		}
		if tc.secret != "" && strings.Contains(fmt.Sprint(err), tc.secret) {
			t.Errorf("%s: the error quotes the secret", tc.name)
		}
		if err != nil {
			continue
		}
		if (b.EventsHandler() != nil) != (tc.app == "") {
			t.Errorf("%s: EventsHandler present = %v", tc.name, b.EventsHandler() != nil)
		}
		b.Close()
	}
}
