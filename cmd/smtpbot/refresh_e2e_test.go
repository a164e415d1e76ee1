package main

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

var sweepRefreshes = regexp.MustCompile(`smtpbot_token_refreshes_total\{outcome="ok",trigger="sweep"\} (\d+)`)

// With token rotation, the bot refreshes a workspace's token before it
// expires although no request comes from it, counts it, and the workspace
// is answered afterwards with a token that works. Slack's tokens live 12h;
// here the fake's live 3s, refreshed within 2s of expiry.
func TestTokenRefreshedInBackground(t *testing.T) {
	const lifetime = 3 * time.Second
	fake := fakeslack.New(fakeslack.Options{ClientID: e2eClientID, ClientSecret: e2eClientSecret, TokenLifetime: lifetime})
	t.Cleanup(fake.Close)
	metricsAt := freeAddr(t)
	_, base := startMulti(t, fake, t.TempDir(), "METRICS_ADDR", metricsAt,
		"TOKEN_REFRESH_INTERVAL", "200ms", "TOKEN_REFRESH_MARGIN", "2s")
	one := fakeslack.Team{ID: "T0ONE00001", Name: "One Co"}
	installIn(t, fake, base, one)

	// No request from One: the sweep alone refreshes its token, every time
	// it comes within the margin (the first token was good for 3s).
	start := time.Now()
	eventually(t, "two background refreshes", func() bool { return fake.TokensIssued(one.ID) >= 3 })
	if took := time.Since(start); took > 3*lifetime {
		t.Errorf("two refreshes took %v", took)
	}
	// The counter follows the save of each refresh, just after Slack's
	// answer: read it until it shows both.
	got := "none"
	eventually(t, "two sweep refreshes counted", func() bool {
		res, err := http.Get("http://" + metricsAt + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if m := sweepRefreshes.FindSubmatch(body); m != nil {
			got = string(m[1])
		}
		n, _ := strconv.Atoi(got)
		return n >= 2
	})

	// Well past the first token's life, One is answered with a token the
	// fake accepts (it records a refused one with no team).
	time.Sleep(lifetime)
	fake.SendMessage(fakeslack.Message{Team: one.ID, Channel: "C1", Text: bounce})
	wait(t, fake, 1, "chat.postMessage")
	if posts := postsIn(fake, "C1"); len(posts) != 1 || posts[0].Team != one.ID {
		t.Errorf("C1: posts from %v, want one with One's valid token", teams(posts))
	}
}
