package fakeslack_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

func post(t *testing.T, u, token string, form url.Values) (*http.Response, map[string]any) {
	t.Helper()
	form.Set("token", token)
	resp, err := http.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp, body
}

func TestRateLimitAndAuth(t *testing.T) {
	f := fakeslack.New(fakeslack.Options{RateLimitPerChannel: 2, RateInterval: time.Hour, RetryAfter: 1500 * time.Millisecond})
	defer f.Close()
	for i := range 3 {
		resp, body := post(t, f.URL()+"chat.postMessage", "xoxb-1", url.Values{"channel": {"C1"}, "text": {"hi"}})
		if i < 2 && body["ok"] != true {
			t.Errorf("call %d: %v", i, body)
		}
		if i == 2 && (resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2") {
			t.Errorf("call 3: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	if _, body := post(t, f.URL()+"chat.postMessage", "xoxb-1", url.Values{"channel": {"C2"}}); body["ok"] != true {
		t.Errorf("other channel: %v", body)
	}
	if f.RateLimited() != 1 || f.Count("chat.postMessage") != 3 {
		t.Errorf("limited %d, calls %d", f.RateLimited(), f.Count("chat.postMessage"))
	}
	if l := f.LimitedCalls(); len(l) != 1 || l[0].Channel != "C1" || l[0].Time.IsZero() {
		t.Errorf("limited calls: %+v", l)
	}
	if _, body := post(t, f.URL()+"auth.test", "xapp-1", url.Values{}); body["error"] != "invalid_auth" {
		t.Errorf("auth.test with an app token: %v", body)
	}
	if _, body := post(t, f.URL()+"apps.connections.open", "xoxb-1", url.Values{}); body["error"] != "invalid_auth" {
		t.Errorf("connections.open with a bot token: %v", body)
	}
	for _, c := range f.Calls() {
		if _, ok := c.Params["token"]; ok {
			t.Errorf("token recorded in %s", c.Method)
		}
	}
}

// A lean fake records who was called where and when, not what was said,
// and keeps no history of the messages it sent.
func TestLean(t *testing.T) {
	f := fakeslack.New(fakeslack.Options{Lean: true})
	defer f.Close()
	ts := f.NextTS()
	f.SendMessage(fakeslack.Message{TS: ts, Text: "550 5.1.1"})
	if _, body := post(t, f.URL()+"chat.postMessage", "xoxb-1", url.Values{"channel": {"C1"}, "thread_ts": {ts}, "text": {"hi"}}); body["ok"] != true {
		t.Fatalf("post: %v", body)
	}
	c := f.Calls("chat.postMessage")
	if len(c) != 1 || c[0].Channel != "C1" || c[0].ThreadTS != ts || c[0].Text != "" || c[0].Params != nil {
		t.Errorf("lean call: %+v", c)
	}
	if after, n := f.CallsAfter(0); len(after) != 1 || n != 1 {
		t.Errorf("CallsAfter(0) = %d calls, %d in all", len(after), n)
	}
	if after, n := f.CallsAfter(1); len(after) != 0 || n != 1 {
		t.Errorf("CallsAfter(1) = %d calls, %d in all", len(after), n)
	}
	_, body := post(t, f.URL()+"conversations.replies", "xoxb-1", url.Values{"channel": {fakeslack.DefaultChannel}, "ts": {ts}})
	if body["error"] != "thread_not_found" {
		t.Errorf("a lean fake kept the sent message: %v", body)
	}
}

func TestFileNeedsBotToken(t *testing.T) {
	f := fakeslack.New(fakeslack.Options{})
	defer f.Close()
	file := f.AddFile(fakeslack.File{Name: "a.txt", Content: []byte("550")})
	_, body := post(t, f.URL()+"files.info", "xoxb-1", url.Values{"file": {file.ID}})
	u := body["file"].(map[string]any)["url_private"].(string)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Errorf("without token: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer xoxb-1")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(data) != "550" {
		t.Errorf("content %q", data)
	}
}

// A raw websocket client: hello first, envelopes in order, acks recorded,
// Resend keeps the payload and bumps retry_attempt, disconnect stops the
// connection's envelopes.
func TestSocket(t *testing.T) {
	f := fakeslack.New(fakeslack.Options{})
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, body := post(t, f.URL()+"apps.connections.open", "xapp-1", url.Values{})
	c, _, err := websocket.DefaultDialer.DialContext(ctx, body["url"].(string), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	type env struct {
		Type         string          `json:"type"`
		EnvelopeID   string          `json:"envelope_id"`
		RetryAttempt int             `json:"retry_attempt"`
		Payload      json.RawMessage `json:"payload"`
	}
	read := func() env {
		t.Helper()
		var e env
		_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
		if err := c.ReadJSON(&e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	if e := read(); e.Type != "hello" {
		t.Fatalf("first frame %q", e.Type)
	}
	id := f.SendMessage(fakeslack.Message{Text: "550"})
	again := f.Resend(id)
	f.SendDisconnect()
	f.SendSlash(fakeslack.Slash{Text: "later"})
	e1, e2, e3 := read(), read(), read()
	if e1.EnvelopeID != id || e2.EnvelopeID != again || e2.RetryAttempt != 1 || e3.Type != "disconnect" {
		t.Errorf("frames: %+v %+v %+v", e1, e2, e3)
	}
	var p1, p2 struct {
		EventID string `json:"event_id"`
	}
	_ = json.Unmarshal(e1.Payload, &p1)
	_ = json.Unmarshal(e2.Payload, &p2)
	if p1.EventID == "" || p1.EventID != p2.EventID {
		t.Errorf("event ids %q %q", p1.EventID, p2.EventID)
	}
	if err := c.WriteJSON(map[string]any{"envelope_id": id}); err != nil {
		t.Fatal(err)
	}
	if err := f.WaitAcks(ctx, id); err != nil {
		t.Fatal(err)
	}
	if un := f.Unacked(); !slices.Contains(un, again) || slices.Contains(un, id) {
		t.Errorf("unacked: %v", un)
	}
	// The slash command waits for the next connection.
	_ = c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if _, _, err := c.ReadMessage(); err == nil {
		t.Error("a frame after disconnect")
	}
}

// dial opens a raw socket-mode connection to the fake and returns a reader
// of its frames' types and envelope ids.
func dial(t *testing.T, f *fakeslack.Server) (*websocket.Conn, func(time.Duration) (typ, id, reason string, err error)) {
	t.Helper()
	_, body := post(t, f.URL()+"apps.connections.open", "xapp-1", url.Values{})
	c, _, err := websocket.DefaultDialer.Dial(body["url"].(string), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, func(d time.Duration) (string, string, string, error) {
		var e struct {
			Type       string `json:"type"`
			EnvelopeID string `json:"envelope_id"`
			Reason     string `json:"reason"`
		}
		_ = c.SetReadDeadline(time.Now().Add(d))
		err := c.ReadJSON(&e)
		return e.Type, e.EnvelopeID, e.Reason, err
	}
}

// An envelope never acked comes again 3 times under new ids, then no more,
// as from Slack.
func TestRedeliverAfter(t *testing.T) {
	f := fakeslack.New(fakeslack.Options{RedeliverAfter: 50 * time.Millisecond})
	defer f.Close()
	_, read := dial(t, f)
	if typ, _, _, err := read(3 * time.Second); typ != "hello" || err != nil {
		t.Fatalf("first frame %q, %v", typ, err)
	}
	id := f.SendMessage(fakeslack.Message{Text: "550"})
	var got []string
	for {
		_, env, _, err := read(500 * time.Millisecond)
		if err != nil {
			break
		}
		got = append(got, env)
	}
	if want := append([]string{id}, f.Redeliveries(id)...); len(got) != 4 || !slices.Equal(got, want) {
		t.Errorf("frames %v, want the envelope and 3 redeliveries %v", got, want)
	}
}

// A stalled connection stays open but sends nothing, and loses what the
// client writes; envelopes wait for the next connection.
func TestStallAndRefuse(t *testing.T) {
	f := fakeslack.New(fakeslack.Options{PingInterval: 20 * time.Millisecond})
	defer f.Close()
	c, read := dial(t, f)
	pings := make(chan struct{}, 100)
	c.SetPingHandler(func(string) error { pings <- struct{}{}; return nil })
	if typ, _, _, err := read(3 * time.Second); typ != "hello" || err != nil {
		t.Fatalf("first frame %q, %v", typ, err)
	}
	f.StallAfterNext()
	last := f.SendMessage(fakeslack.Message{Text: "550 last"})
	if _, env, _, err := read(3 * time.Second); env != last || err != nil {
		t.Fatalf("the frame before the stall: %q, %v", env, err)
	}
	if err := c.WriteJSON(map[string]any{"envelope_id": last}); err != nil {
		t.Fatal(err)
	}
	queued := f.SendMessage(fakeslack.Message{Text: "550 queued"})
	for len(pings) > 0 {
		<-pings
	}
	if _, env, _, err := read(300 * time.Millisecond); err == nil {
		t.Errorf("frame %q on a stalled connection", env)
	}
	if len(pings) > 0 {
		t.Error("pings on a stalled connection")
	}
	if f.Acked(last) {
		t.Error("an ack written after the stall arrived")
	}

	// The next connection is refused, the one after gets the envelope.
	f.RefuseConnections(1)
	_, read2 := dial(t, f)
	if typ, _, reason, _ := read2(3 * time.Second); typ != "disconnect" || reason != "too_many_websockets" {
		t.Errorf("refused connection got %q %q", typ, reason)
	}
	if f.Refused() != 1 || f.Connections() != 1 {
		t.Errorf("refused %d, connections %d", f.Refused(), f.Connections())
	}
	_, read3 := dial(t, f)
	if typ, _, _, _ := read3(3 * time.Second); typ != "hello" {
		t.Fatalf("first frame %q", typ)
	}
	if _, env, _, err := read3(3 * time.Second); env != queued || err != nil {
		t.Errorf("queued envelope: %q, %v", env, err)
	}
}
