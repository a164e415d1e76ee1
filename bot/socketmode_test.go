package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// The fake pings like Slack, and slack-go's client relies on it: without
// pings it drops the connection after its ping interval and reconnects.
func TestFakePingsKeepTheClientConnected(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		fakePing time.Duration
	}{
		{"pings", 50 * time.Millisecond},
		{"no pings", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := fakeslack.New(fakeslack.Options{PingInterval: tc.fakePing})
			defer fake.Close()
			api := slack.New(botToken, slack.OptionAppLevelToken(appToken), slack.OptionAPIURL(fake.URL()))
			sm := socketmode.New(api, socketmode.OptionPingInterval(time.Second),
				socketmode.OptionLog(discardLog{}))
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				for {
					select {
					case <-sm.Events:
					case <-ctx.Done():
						return
					}
				}
			}()
			go func() { done <- sm.RunContext(ctx) }()
			defer func() { cancel(); <-done }()
			if err := fake.WaitConnections(waitCtx(t), 1); err != nil {
				t.Fatal(err)
			}
			if tc.fakePing > 0 {
				time.Sleep(2500 * time.Millisecond)
				if n := fake.Connections(); n != 1 {
					t.Errorf("%d connections despite pings", n)
				}
				return
			}
			if err := fake.WaitConnections(waitCtx(t), 2); err != nil {
				t.Errorf("no reconnect without pings: %v", err)
			}
		})
	}
}

type discardLog struct{}

func (discardLog) Output(int, string) error { return nil }

func TestRefusedAppTokenStopsRun(t *testing.T) {
	t.Parallel()
	fake := fakeslack.New(fakeslack.Options{})
	defer fake.Close()
	fake.FailNext("apps.connections.open", "invalid_auth")
	b, err := bot.New(testConfig(fake, ""), newTestHandler())
	if err != nil {
		t.Fatal(err)
	}
	err = b.Run(waitCtx(t))
	if err == nil || !strings.Contains(err.Error(), "SLACK_APP_TOKEN") {
		t.Errorf("Run = %v", err)
	}
}

// A burst over many channels: every envelope acked, every message
// answered, each channel's replies in order.
func TestBurst(t *testing.T) {
	t.Parallel()
	const channels, perChannel = 25, 40
	hs := start(t, fakeslack.Options{}, func(c *bot.Config) { c.Workers = 16 })
	begin := time.Now()
	var envs []string
	for i := range perChannel {
		for c := range channels {
			envs = append(envs, hs.fake.SendMessage(fakeslack.Message{
				Channel: fmt.Sprintf("CB%03d", c), Text: fmt.Sprintf("550 #%03d", i),
			}))
		}
	}
	hs.waitAcks(envs...)
	calls := hs.replies(channels * perChannel)
	t.Logf("%d events answered in %v", len(envs), time.Since(begin))
	last := map[string]string{}
	for _, c := range calls {
		if c.Text <= last[c.Channel] {
			t.Fatalf("%s: %q after %q", c.Channel, c.Text, last[c.Channel])
		}
		last[c.Channel] = c.Text
	}
	var worst time.Duration
	for _, a := range hs.fake.Acks() {
		worst = max(worst, a.Time.Sub(a.SentAt))
	}
	t.Logf("slowest ack: %v", worst)
}
