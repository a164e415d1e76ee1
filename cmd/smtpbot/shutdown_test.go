package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/locales"
)

// SIGTERM while a reply is in flight: the bot finishes it within
// SHUTDOWN_TIMEOUT and exits 0, or, when the reply outlasts the timeout,
// drops it, exits 0 all the same, and logs how many it dropped. The reply
// is held in flight by a 429 from the fake, whose Retry-After the bot
// honours.
func TestSIGTERMDrainsRepliesInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the program")
	}
	bin := builtBot(t)
	for _, tc := range []struct {
		name       string
		retryAfter time.Duration
		timeout    string
		replies    int
		log        string
		dropped    float64
	}{
		{"finished within the timeout", time.Second, "10s", 2, "stopped; all replies delivered", 0},
		{"dropped at the timeout", 5 * time.Second, "500ms", 1, "stopped; requests still in flight at the shutdown timeout were dropped", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := fakeslack.New(fakeslack.Options{RateLimitPerChannel: 1, RateInterval: tc.retryAfter, RetryAfter: tc.retryAfter})
			t.Cleanup(fake.Close)
			p := startBot(t, bin, fake, "SHUTDOWN_TIMEOUT="+tc.timeout)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if err := fake.WaitConnections(ctx, 1); err != nil {
				t.Fatalf("%v\n%s", err, p.stderr.String())
			}

			// Two bounces in one channel: the second reply gets a 429
			// and waits Retry-After.
			fake.SendMessage(fakeslack.Message{Channel: "C1", Text: bounce})
			second := fake.SendMessage(fakeslack.Message{Channel: "C1", Text: strings.Replace(bounce, "jane.doe", "john.roe", 2)})
			if err := fake.WaitAcks(ctx, second); err != nil {
				t.Fatal(err)
			}
			if _, err := fake.WaitCalls(ctx, 1, "chat.postMessage"); err != nil {
				t.Fatal(err)
			}
			for fake.RateLimited() == 0 {
				if ctx.Err() != nil {
					t.Fatal("the second reply was not held back by a 429")
				}
				time.Sleep(10 * time.Millisecond)
			}

			took := p.terminate(t, 15*time.Second)
			t.Logf("exited %v after SIGTERM", took.Round(time.Millisecond))
			if n := fake.Count("chat.postMessage"); n != tc.replies {
				t.Errorf("%d replies delivered, want %d", n, tc.replies)
			}
			var found bool
			for line := range strings.Lines(p.stderr.String()) {
				var rec map[string]any
				if json.Unmarshal([]byte(line), &rec) != nil || rec["msg"] != tc.log {
					continue
				}
				found = true
				if tc.dropped > 0 && rec["dropped"] != tc.dropped {
					t.Errorf("dropped = %v, want %v", rec["dropped"], tc.dropped)
				}
			}
			if !found {
				t.Errorf("no log line %q:\n%s", tc.log, p.stderr.String())
			}
		})
	}
}

func TestShutdownTimeoutConfig(t *testing.T) {
	langs, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	base := map[string]string{"SLACK_APP_TOKEN": goodAppToken, "SLACK_BOT_TOKEN": goodBotToken}
	for _, tc := range []struct {
		value   string
		want    time.Duration
		wantErr bool
	}{
		{"", 10 * time.Second, false},
		{"30s", 30 * time.Second, false},
		{"0", 0, true},
		{"soon", 0, true},
		{"-1s", 0, true},
	} {
		env := map[string]string{"SHUTDOWN_TIMEOUT": tc.value}
		for k, v := range base {
			env[k] = v
		}
		c, err := loadConfig(func(k string) string { return env[k] }, langs)
		if tc.wantErr {
			if err == nil || !strings.Contains(err.Error(), "SHUTDOWN_TIMEOUT") {
				t.Errorf("SHUTDOWN_TIMEOUT=%q: error %v, want one naming the variable", tc.value, err)
			}
			continue
		}
		if err != nil || c.ShutdownTimeout != tc.want {
			t.Errorf("SHUTDOWN_TIMEOUT=%q: %v, %v; want %v", tc.value, c.ShutdownTimeout, err, tc.want)
		}
	}
}
