package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/store/storetest"
)

// startReplica runs one smtpbot process of several sharing the Redis
// server at redisURL.
func startReplica(t *testing.T, bin string, fake *fakeslack.Server, redisURL string, extra ...string) *botProcess {
	t.Helper()
	return startBot(t, bin, fake, append([]string{"REDIS_URL=" + redisURL, "LOG_LEVEL=info"}, extra...)...)
}

// logged counts the process's JSON log lines with the message msg.
func (r *botProcess) logged(msg string) int {
	n := 0
	for line := range strings.Lines(r.stderr.String()) {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == msg {
			n++
		}
	}
	return n
}

// replicaRequests is how many requests TestReplicasSIGKILL sends:
// SMTPBOT_REPLICA_REQUESTS, 2000 by default.
func replicaRequests(t *testing.T) int {
	n := 2000
	if v := os.Getenv("SMTPBOT_REPLICA_REQUESTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 100 {
			t.Fatalf("SMTPBOT_REPLICA_REQUESTS=%q: want a number, at least 100", v)
		}
	}
	return n
}

// TestReplicasSIGKILL runs three replicas of the real program on one real
// redis-server against the fake Slack, which spreads envelopes over their
// three connections, redelivers those not acked (to another connection)
// and sends a copy of every 10th request anyway, slash commands and button
// clicks included, as a retrying load balancer would. One replica is
// SIGKILLed while the requests stream in. Every request must be answered;
// a request answered twice can only be one whose reply the dead replica
// was posting as it died and that the replica taking the job over could
// not find in its thread (ephemeral answers): it logs and counts those,
// and they are at most one for the one kill. (A language button replaces
// its message: answered twice, it still shows once.)
func TestReplicasSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the program three times, with a redis-server")
	}
	redis := storetest.StartRedis(t, storetest.RedisOptions{})
	bin := builtBot(t)
	fake := fakeslack.New(fakeslack.Options{RedeliverAfter: 2 * time.Second, DuplicateEvery: 10})
	t.Cleanup(fake.Close)
	var reps []*botProcess
	for range 3 {
		reps = append(reps, startReplica(t, bin, fake, redis.URL, "TAKEOVER_AFTER=2s"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := fake.WaitConnections(ctx, 3); err != nil {
		t.Fatalf("%v\n%s", err, reps[0].stderr.String())
	}

	// A language button to click, from an answer to /smtp.
	first := fake.SendSlash(fakeslack.Slash{Text: "421"})
	calls, err := fake.WaitCalls(ctx, 1, "response_url")
	if err != nil {
		t.Fatal(err)
	}
	button := buttonValue(t, calls[0].Blocks, "smtp_lang:th")

	// What each request's answer looks like: a thread reply under the
	// message, or a post to the response URL made for the envelope.
	n := replicaRequests(t)
	want := map[string]bool{"env/" + first: true}
	begin := time.Now()
	killAt := n * 2 / 5
	var killedAt time.Duration
	for i := range n {
		channel := fmt.Sprintf("C%02d", i%40)
		switch i % 10 {
		case 3:
			want["env/"+fake.SendSlash(fakeslack.Slash{Text: "550 5.1.1", Channel: channel})] = true
		case 7:
			want["env/"+fake.SendAction(fakeslack.Action{ActionID: "smtp_lang:th", Value: button, Channel: channel, Ephemeral: true})] = true
		default:
			ts := fake.NextTS()
			fake.SendMessage(fakeslack.Message{Channel: channel, TS: ts, Text: bounce})
			want["msg/"+channel+"/"+ts] = true
		}
		if i == killAt {
			if err := reps[1].cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killedAt = time.Since(begin)
		}
		if i%50 == 49 {
			time.Sleep(20 * time.Millisecond) // a stream, not one burst
		}
	}
	sent := time.Since(begin)

	answers := func() map[string]int {
		got := map[string]int{}
		for _, c := range fake.Calls("chat.postMessage", "response_url") {
			switch {
			case c.Method == "response_url" && c.ReplaceOriginal:
				// Replacing the message twice shows it once.
				got["env/"+c.EnvelopeID] = 1
			case c.Method == "response_url":
				got["env/"+c.EnvelopeID]++
			default:
				got["msg/"+c.Channel+"/"+c.ThreadTS]++
			}
		}
		return got
	}
	var got map[string]int
	for {
		got = answers()
		missing := 0
		for k := range want {
			if got[k] == 0 {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("%d of %d requests never answered\nsurvivor's log:\n%s", missing, len(want), tail(reps[0].stderr.String()))
		}
		time.Sleep(50 * time.Millisecond)
	}
	all := time.Since(begin)
	// Time for a late duplicate to show.
	time.Sleep(time.Second)
	got = answers()
	dups := 0
	for k, c := range got {
		if !want[k] {
			t.Errorf("an answer to something never asked: %s", k)
		}
		if c > 1 {
			dups += c - 1
		}
	}
	repeated := reps[0].logged(repeatedMsg) + reps[2].logged(repeatedMsg)
	takenOver := reps[0].logged(takeoverMsg) + reps[2].logged(takeoverMsg)
	t.Logf("%d requests sent in %v (%d envelopes acked, copies and redeliveries included), replica 2 killed at %v; all answered after %v; "+
		"%d jobs taken over, %d replies repeated, %d duplicates",
		len(want), sent.Round(time.Millisecond), len(fake.Acks()), killedAt.Round(time.Millisecond),
		all.Round(time.Millisecond), takenOver, repeated, dups)
	if dups > repeated {
		t.Errorf("%d duplicate answers, but only %d replies were counted as repeated after the takeover", dups, repeated)
	}
	if dups > 1 {
		t.Errorf("%d duplicate answers after one kill; want at most 1", dups)
	}
	for i, r := range reps {
		if i == 1 {
			continue
		}
		select {
		case <-r.exited:
			t.Errorf("replica %d exited: %v\n%s", i+1, r.err, tail(r.stderr.String()))
		default:
		}
	}
}

// The log messages the test counts (bot/queue.go).
const (
	repeatedMsg = "reply posted again: the replica that held the job died while posting it, so it may be there twice"
	takeoverMsg = "job taken over from a replica that left it unfinished"
)

func tail(s string) string {
	if len(s) > 4000 {
		return "…" + s[len(s)-4000:]
	}
	return s
}
