package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// The replicas scenario: for each count of replicas in -replicas, a fresh
// fake Slack and that many smtpbot processes sharing one redis-server
// (started here on loopback), the same stream of requests at -rate (bounces
// pasted in channels, slash commands, language buttons), and one replica
// SIGKILLed at 40% of the stream (with one replica, it is started again at
// once, as a supervisor would). The fake spreads the envelopes over the
// connections, redelivers those not acked within -redeliver to another
// connection, and sends a copy of every 10th request anyway. It reports,
// per replica count, throughput, reply latency, lost and duplicated
// answers, and the bot's own count of takeovers and repeated replies.

// ReplicaRun is one row of the replicas report.
type ReplicaRun struct {
	Replicas  int     `json:"replicas"`
	Requests  int     `json:"requests"`
	Killed    bool    `json:"killed"`
	SentRate  float64 `json:"sent_per_s"`
	Handled   float64 `json:"answered_per_s"`
	Reply     Summary `json:"reply"`
	Lost      int     `json:"lost"`
	Dups      int     `json:"duplicated"`
	Repeated  int     `json:"repeated_counted"`
	TakenOver int     `json:"taken_over"`
	Envelopes int     `json:"envelopes_acked"`
	LastS     float64 `json:"last_answer_s"`
}

// lineCounter counts the bot's JSON log lines by message.
type lineCounter struct {
	mu   sync.Mutex
	part []byte
	msgs map[string]int
}

func (l *lineCounter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.part = append(l.part, p...)
	for {
		i := bytes.IndexByte(l.part, '\n')
		if i < 0 {
			break
		}
		var rec struct {
			Msg string `json:"msg"`
		}
		if json.Unmarshal(l.part[:i], &rec) == nil {
			l.msgs[rec.Msg]++
		}
		l.part = l.part[i+1:]
	}
	return len(p), nil
}

func (l *lineCounter) count(msg string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.msgs[msg]
}

// The bot's log messages counted (bot/queue.go).
const (
	repeatedMsg = "reply posted again: the replica that held the job died while posting it, so it may be there twice"
	takeoverMsg = "job taken over from a replica that left it unfinished"
)

// redisServer is a redis-server (or valkey-server) on a free loopback port.
type redisServer struct {
	cmd  *exec.Cmd
	addr string
}

func startRedis(dir string) (*redisServer, error) {
	var bin string
	for _, name := range []string{"redis-server", "valkey-server"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		return nil, errors.New("the replicas scenario needs redis-server (Debian: apt-get install -y redis-server) or valkey-server on PATH")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	r := &redisServer{cmd: cmd, addr: fmt.Sprintf("127.0.0.1:%d", port)}
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", r.addr); err == nil {
			_ = c.Close()
			return r, nil
		}
	}
	r.stop()
	return nil, errors.New("redis-server did not listen within 10s")
}

func (r *redisServer) stop() {
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
}

// replica is one bot process of the scenario.
type replica struct {
	cmd  *exec.Cmd
	logs *lineCounter
	done chan struct{}
}

func startReplica(bin, dir string, env []string, logs *lineCounter) (*replica, error) {
	cmd := exec.Command(bin)
	cmd.Dir, cmd.Env = dir, env
	cmd.Stdout, cmd.Stderr = io.Discard, logs
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	r := &replica{cmd: cmd, logs: logs, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(r.done) }()
	return r, nil
}

func (r *replica) signal(sig syscall.Signal) { _ = r.cmd.Process.Signal(sig) }

func (r *replica) wait(d time.Duration) {
	select {
	case <-r.done:
	case <-time.After(d):
		r.signal(syscall.SIGKILL)
		<-r.done
	}
}

// runReplicas runs the scenario for each replica count.
func runReplicas(ctx context.Context, o *options, stdout, stderr io.Writer) int {
	tmp, err := os.MkdirTemp("", "smtpbot-replicas-")
	if err != nil {
		fmt.Fprintln(stderr, "smtpbot-load:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	bin := o.bot
	if bin == "" {
		if bin, err = buildBot(tmp); err != nil {
			fmt.Fprintln(stderr, "smtpbot-load:", err)
			return 1
		}
	}
	redis, err := startRedis(tmp)
	if err != nil {
		fmt.Fprintln(stderr, "smtpbot-load:", err)
		return 1
	}
	defer redis.stop()
	var runs []ReplicaRun
	for i, n := range o.replicas {
		run, err := replicaRun(ctx, o, bin, filepath.Join(tmp, strconv.Itoa(i)), redis.addr, n, fmt.Sprintf("load%d:", i))
		if err != nil {
			fmt.Fprintln(stderr, "smtpbot-load:", err)
			return 1
		}
		runs = append(runs, run)
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(map[string]any{"scenario": "replicas", "machine": machine(), "runs": runs})
	} else {
		printReplicas(stdout, o, runs)
	}
	for _, r := range runs {
		if r.Lost > 0 || r.Dups > r.Repeated || (r.Killed && r.Dups > 1) {
			return 1
		}
	}
	return 0
}

func printReplicas(w io.Writer, o *options, runs []ReplicaRun) {
	kill := "no replica killed"
	if o.kill {
		kill = "one replica SIGKILLed at 40% (with one, started again at once)"
	}
	fmt.Fprintf(w, "%d requests at %.0f/s offered (80%% pastes, 10%% /smtp, 10%% language buttons), %s\n\n", o.count, o.rate, kill)
	fmt.Fprintln(w, "| replicas | sent/s | answered/s | reply median | reply p99 | reply max | lost | duplicated | repeated (counted) | taken over | envelopes acked |")
	fmt.Fprintln(w, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range runs {
		fmt.Fprintf(w, "| %d | %.0f | %.0f | %.1f ms | %.0f ms | %.0f ms | %d | %d | %d | %d | %d |\n",
			r.Replicas, r.SentRate, r.Handled, r.Reply.Median, r.Reply.P99, r.Reply.Max, r.Lost, r.Dups, r.Repeated, r.TakenOver, r.Envelopes)
	}
}

// replicaRun sends the stream to n replicas and measures it.
func replicaRun(ctx context.Context, o *options, bin, dir, redisAddr string, n int, prefix string) (ReplicaRun, error) {
	res := ReplicaRun{Replicas: n}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, err
	}
	// Not lean: a replica that takes a job over reads the thread
	// (conversations.replies) to see whether the reply is already there.
	fake := fakeslack.New(fakeslack.Options{RedeliverAfter: o.redeliver, DuplicateEvery: 10})
	defer fake.Close()
	logs := &lineCounter{msgs: map[string]int{}}
	env := func(i int) []string {
		return botEnv(fake.URL(), filepath.Join(dir, fmt.Sprint("data", i)), append([]string{
			"REDIS_URL=redis://" + redisAddr, "REDIS_KEY_PREFIX=" + prefix,
			"LOG_FORMAT=json", "LOG_LEVEL=info", "TAKEOVER_AFTER=" + o.takeover.String(),
		}, o.env...))
	}
	var reps []*replica
	defer func() {
		for _, r := range reps {
			r.signal(syscall.SIGTERM)
		}
		for _, r := range reps {
			r.wait(o.stopTimeout)
		}
	}()
	for i := range n {
		r, err := startReplica(bin, dir, env(i), logs)
		if err != nil {
			return res, err
		}
		reps = append(reps, r)
	}
	cctx, cancel := context.WithTimeout(ctx, connectBound)
	err := fake.WaitConnections(cctx, n)
	cancel()
	if err != nil {
		return res, fmt.Errorf("%d replicas did not connect: %w", n, err)
	}
	// A language button to click, from an answer to /smtp.
	first := fake.SendSlash(fakeslack.Slash{Text: "421"})
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	calls, err := fake.WaitCalls(wctx, 1, "response_url")
	cancel()
	if err != nil {
		return res, err
	}
	button, err := langButton(calls[0].Blocks)
	if err != nil {
		return res, err
	}
	sent := map[string]time.Time{"env/" + first: calls[0].Time}

	killAt := o.count * 2 / 5
	start := time.Now()
	for i := range o.count {
		if d := time.Until(start.Add(time.Duration(float64(i) / o.rate * float64(time.Second)))); d > 0 {
			if !sleepCtx(ctx, d) {
				return res, ctx.Err()
			}
		}
		channel := fmt.Sprintf("C0REPL%04d", i%o.channels)
		now := time.Now()
		switch i % 10 {
		case 3:
			sent["env/"+fake.SendSlash(fakeslack.Slash{Text: "550 5.1.1", Channel: channel})] = now
		case 7:
			sent["env/"+fake.SendAction(fakeslack.Action{ActionID: "smtp_lang:th", Value: button, Channel: channel, Ephemeral: true})] = now
		default:
			ts := fake.NextTS()
			fake.SendMessage(fakeslack.Message{Channel: channel, TS: ts, Text: replicaBounces[i%len(replicaBounces)]})
			sent["msg/"+channel+"/"+ts] = now
		}
		if i == killAt && o.kill {
			res.Killed = true
			victim := reps[len(reps)-1]
			victim.signal(syscall.SIGKILL)
			<-victim.done
			if n == 1 {
				r, err := startReplica(bin, dir, env(n), logs)
				if err != nil {
					return res, err
				}
				reps = append(reps, r)
			}
		}
	}
	sentFor := time.Since(start)
	res.Requests = len(sent) - 1
	res.SentRate = float64(o.count) / sentFor.Seconds()

	answers := func() map[string][]time.Time {
		got := map[string][]time.Time{}
		for _, c := range fake.Calls("chat.postMessage", "response_url") {
			k := "msg/" + c.Channel + "/" + c.ThreadTS
			if c.Method == "response_url" {
				k = "env/" + c.EnvelopeID
				if c.ReplaceOriginal && len(got[k]) > 0 {
					continue // a replacement shown once however often sent
				}
			}
			got[k] = append(got[k], c.Time)
		}
		return got
	}
	deadline := time.Now().Add(o.timeout + sentFor)
	var got map[string][]time.Time
	for {
		got = answers()
		missing := 0
		for k := range sent {
			if len(got[k]) == 0 {
				missing++
			}
		}
		if missing == 0 || time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	sleepCtx(ctx, time.Second) // for late duplicates
	got = answers()
	var lat []time.Duration
	var last time.Time
	for k, t0 := range sent {
		ts := got[k]
		if len(ts) == 0 {
			res.Lost++
			continue
		}
		res.Dups += len(ts) - 1
		lat = append(lat, ts[0].Sub(t0))
		if ts[0].After(last) {
			last = ts[0]
		}
	}
	res.Reply = summarize(lat)
	res.LastS = last.Sub(start).Seconds()
	if res.LastS > 0 {
		res.Handled = float64(res.Requests-res.Lost) / res.LastS
	}
	res.Repeated = logs.count(repeatedMsg)
	res.TakenOver = logs.count(takeoverMsg)
	res.Envelopes = len(fake.Acks())
	return res, nil
}

// langButton finds the value of the "smtp_lang:th" button in blocks.
func langButton(blocks json.RawMessage) (string, error) {
	var bs []struct {
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	_ = json.Unmarshal(blocks, &bs)
	for _, b := range bs {
		for _, e := range b.Elements {
			if e.ActionID == "smtp_lang:th" {
				return e.Value, nil
			}
		}
	}
	return "", errors.New("no smtp_lang:th button in the answer to /smtp 421")
}

// replicaBounces are the pasted bounces of the scenario.
var replicaBounces = []string{
	"<jane.doe@example.com>: host mx1.example.com[192.0.2.10] said: 550 5.1.1 <jane.doe@example.com>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)",
	"host mx.example.net[198.51.100.7] said: 452 4.2.2 The email account that you tried to reach is over quota. (in reply to RCPT TO command)",
	"Remote server returned '554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org'",
	"421 4.7.0 [TSS04] Messages from 192.0.2.44 temporarily deferred due to unexpected volume or user complaints",
	"550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.",
}
