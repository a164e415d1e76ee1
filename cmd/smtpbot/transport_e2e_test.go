package main

import (
	"bytes"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// The end-to-end tests run over both doors into the bot: socket mode
// (slack-go's client on the fake's websocket) and HTTP mode (the fake
// POSTs signed requests to HTTP_ADDR/slack/events). The handlers cannot
// tell which was used, so the same test must pass over both.

const testSigningSecret = "8f742231b10e8888abcd99aa55cc85a5"

var transports = []string{"socket", "http"}

// eachTransport runs test once per transport, with a fake Slack that
// delivers over it; start() reads the transport from the fake.
func eachTransport(t *testing.T, test func(t *testing.T, fake *fakeslack.Server)) {
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) { test(t, newFakeOn(t, tr)) })
	}
}

// newFakeOn is a fake Slack that delivers over transport.
func newFakeOn(t *testing.T, transport string) *fakeslack.Server {
	t.Helper()
	var opts fakeslack.Options
	if transport == "http" {
		opts.SigningSecret = testSigningSecret
	}
	fake := fakeslack.New(opts)
	t.Cleanup(fake.Close)
	return fake
}

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	handedOut.Lock()
	defer handedOut.Unlock()
	for {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		// The port is free again once closed, and the kernel may give it
		// out again before the bot it was meant for binds it: two bots of
		// one test on one port would make one of them exit.
		if !handedOut.addrs[addr] {
			handedOut.addrs[addr] = true
			return addr
		}
	}
}

// handedOut holds the addresses freeAddr has given out in this process.
var handedOut = struct {
	sync.Mutex
	addrs map[string]bool
}{addrs: map[string]bool{}}

// httpEnv turns a socket-mode environment into an HTTP-mode one for the
// fake, and points the fake at the bot's request URL.
func httpEnv(t *testing.T, fake *fakeslack.Server, env map[string]string) string {
	t.Helper()
	delete(env, "SLACK_APP_TOKEN")
	env["SLACK_SIGNING_SECRET"] = fake.SigningSecret()
	if env["HTTP_ADDR"] == "" {
		env["HTTP_ADDR"] = freeAddr(t)
	}
	url := "http://" + env["HTTP_ADDR"] + "/slack/events"
	fake.SetEventsURL(url)
	return url
}

// probe is an event the bot acks and never answers.
var probe = []byte(`{"type":"event_callback","event_id":"EvPROBE","team_id":"T1",` +
	`"event":{"type":"reaction_added","user":"U1","reaction":"eyes","event_ts":"1.1"}}`)

// postSigned POSTs body to url signed with secret now, and returns the
// status (0 when the connection failed).
func postSigned(url, secret string, body []byte) int {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0
	}
	now := time.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(now, 10))
	req.Header.Set("X-Slack-Signature", fakeslack.Sign(secret, now, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitServing waits until the bot at url acks a signed request: it listens
// from start-up and answers 503 until auth.test is done.
func waitServing(t *testing.T, url, secret string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for postSigned(url, secret, probe) != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatalf("the bot did not take requests at %s within %s", url, d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
