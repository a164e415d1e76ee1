package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// connectBound is how long the bot may take to connect before the run is
// abandoned.
const connectBound = 10 * time.Second

// grace is how long the tool keeps listening after the last expected reply,
// for replies that should not come (to chatter, or twice).
const grace = 300 * time.Millisecond

// burstAt is when the burst is sent, after the steady traffic has begun.
const burstAt = 500 * time.Millisecond

// load runs one scenario and measures it.
func load(ctx context.Context, o *options, stderr io.Writer) (*Report, error) {
	r := &Report{
		Scenario: o.scenario,
		Machine:  machine(),
		Offered: Offered{Rate: o.rate, Count: o.count, DurationS: o.duration.Seconds(), Concurrency: o.concurrency,
			Channels: o.channels, Users: o.users, Mix: o.mix, Seed: o.seed},
		Kinds:       map[string]int{},
		ReplyByKind: map[string]Summary{},
	}
	m, err := parseMix(o.mix)
	if err != nil {
		return nil, err
	}
	var dirs []string
	for d := range strings.SplitSeq(o.fixtures, ",") {
		if d = strings.TrimSpace(d); d != "" {
			dirs = append(dirs, d)
		}
	}
	c, _, err := newCorpus(dirs, o.minConfidence())
	if err != nil {
		return nil, err
	}

	tmp, err := os.MkdirTemp("", "smtpbot-load-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	r.Bot.Path = o.bot
	if r.Bot.Path == "" {
		if r.Bot.Path, err = buildBot(tmp); err != nil {
			return nil, err
		}
		r.Bot.Built = true
	}
	if fi, err := os.Stat(r.Bot.Path); err != nil {
		return nil, err
	} else {
		r.Bot.Bytes = fi.Size()
	}

	opts := fakeslack.Options{Lean: true, EchoBotMessages: o.echo}
	if o.limit > 0 {
		opts.RateLimitPerChannel, opts.RateInterval, opts.RetryAfter = o.limit, o.interval, o.retryAfter
		r.RateLimit = &RateLimit{PerChannel: o.limit, IntervalMS: ms(o.interval), RetryAfterS: announced(o.retryAfter)}
	}
	fake := fakeslack.New(opts)
	defer fake.Close()
	users := make([]string, o.users)
	for i := range users {
		users[i] = fmt.Sprintf("U0LOAD%04d", i+1)
		locale := "en-US"
		switch i % 10 {
		case 3:
			locale = "vi-VN"
		case 7:
			locale = "th-TH"
		}
		fake.SetUser(fakeslack.User{ID: users[i], Name: strings.ToLower(users[i]), Locale: locale})
	}
	channels := make([]string, o.channels)
	for i := range channels {
		channels[i] = fmt.Sprintf("C0LOAD%04d", i+1)
	}

	// Start the bot and time its connection.
	dataDir := filepath.Join(tmp, "data")
	var echo io.Writer
	if o.verbose {
		echo = stderr
	}
	bot, err := startBot(r.Bot.Path, tmp, botEnv(fake.URL(), dataDir, o.env), echo)
	if err != nil {
		return nil, err
	}
	defer bot.kill()
	cctx, cancel := context.WithTimeout(ctx, connectBound)
	err = waitConnected(cctx, fake, bot)
	cancel()
	if err != nil {
		_, head := bot.logs.snapshot()
		return nil, fmt.Errorf("the bot did not connect: %w\n%s", err, strings.Join(head, "\n"))
	}
	r.StartupMS = ms(time.Since(bot.started))
	if !sleepCtx(ctx, o.settle) {
		return nil, ctx.Err()
	}
	if r.IdleRSS, _, err = memory(bot.pid()); err != nil {
		return nil, fmt.Errorf("reading the bot's memory: %w", err)
	}

	// Plan, then drive the load.
	p := &planner{c: c, rng: rand.New(rand.NewPCG(o.seed, 0x5eed)), mix: m, users: users, threadMention: o.threadShare}
	steadyChannels := channels
	if o.scenario == "burst" {
		steadyChannels = channels[1:]
	}
	items := p.steady(o.count, o.rate, steadyChannels, o.duration)
	if o.scenario == "burst" {
		items = append(items, p.burst(o.burst, channels[0], burstAt)...)
	}
	cpu0, _ := cpuTime(bot.pid())
	self0 := selfCPU()
	start := time.Now()
	items = drive(ctx, fake, c, items, start, o.duration, o.concurrency)
	wctx, cancel := context.WithTimeout(ctx, o.timeout)
	waitReplies(wctx, fake, items, grace)
	var ids []string
	for _, it := range items {
		ids = append(ids, it.envs...)
	}
	_ = fake.WaitAcks(wctx, ids...)
	cancel()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	cpu1, _ := cpuTime(bot.pid())
	self1 := selfCPU()
	r.EndRSS, r.PeakRSS, _ = memory(bot.pid())
	r.Machine.LoadAfter = loadAverage()

	a := analyse(fake, items, start, time.Duration(announced(o.retryAfter))*time.Second)
	running, detail := !bot.exited(), "it was still running"
	if !running {
		detail = fmt.Sprintf("it exited during the load: %v", bot.err)
	}
	r.check("the bot ran to the end of the load", running, "%s", detail)
	code, took := bot.stop(o.stopTimeout)
	r.ExitCode, r.StopMS = code, ms(took)
	r.BotLogs, r.BotLogHead = bot.logs.snapshot()

	r.fill(a, items)
	r.BotCPUS = (cpu1 - cpu0).Seconds()
	if a.events > 0 {
		r.BotCPUUS = float64(cpu1-cpu0) / float64(time.Microsecond) / float64(a.events)
	}
	r.ToolCPUS = (self1 - self0).Seconds()
	r.verify(o)
	return r, nil
}

// announced is the Retry-After the fake puts in a 429: whole seconds, at
// least one.
func announced(d time.Duration) int { return max(1, int(math.Ceil(d.Seconds()))) }

// waitConnected waits for the bot's websocket, or for the bot to die.
func waitConnected(ctx context.Context, fake *fakeslack.Server, bot *child) error {
	done := make(chan error, 1)
	go func() { done <- fake.WaitConnections(ctx, 1) }()
	select {
	case err := <-done:
		return err
	case <-bot.done:
		return fmt.Errorf("it exited: %v", bot.err)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// fill turns the analysis into the report's figures.
func (r *Report) fill(a *analysis, items []*item) {
	r.Events = a.events
	pastes, total := 0, 0
	for _, it := range items {
		r.Kinds[it.kind.String()]++
		if it.kind != kindPaste {
			continue
		}
		n := len(it.text)
		if pastes == 0 || n < r.PasteBytes.Min {
			r.PasteBytes.Min = n
		}
		r.PasteBytes.Max = max(r.PasteBytes.Max, n)
		pastes++
		total += n
	}
	if pastes > 0 {
		r.PasteBytes.Mean = total / pastes
	}
	if span := a.last.Sub(a.first); span > 0 {
		r.SentRate = float64(a.events) / span.Seconds()
	}
	if span := a.done.Sub(a.first); span > 0 {
		r.HandledRate = float64(a.events) / span.Seconds()
		r.LoadS = span.Seconds()
	}
	r.SendLag = summarize(a.sendLag)
	r.Ack = summarize(a.ack)
	r.Reply = summarize(a.reply)
	for k := range nKinds {
		if len(a.replyByKind[k]) > 0 {
			r.ReplyByKind[k.String()] = summarize(a.replyByKind[k])
		}
	}
	r.Expected, r.Lost, r.Unexpected, r.Unacked, r.Order = a.wanted, a.lost, a.unexpected, a.unacked, a.order
	if r.RateLimit != nil {
		r.RateLimit.Retries = a.retries
	}
	if r.Scenario == "burst" {
		b := &BurstReport{Sent: a.burstSent, Answered: a.burstAnswered, Order: a.burstOrder,
			Reply: summarize(a.burstReply), OtherReply: summarize(a.otherReply)}
		var first time.Time
		for _, it := range items {
			if it.burst {
				b.Channel = it.channel
				if first.IsZero() || it.sent.Before(first) {
					first = it.sent
				}
			}
		}
		if !a.burstLast.IsZero() {
			b.Seconds = a.burstLast.Sub(first).Seconds()
		}
		r.Burst = b
	}
}

// verify records the pass/fail checks (after any recorded during the run).
func (r *Report) verify(o *options) {
	r.check("every envelope acked", r.Unacked == 0, "%d of %d not acked", r.Unacked, r.Events)
	r.check("no reply lost", r.Lost == 0, "%d of %d expected replies missing after %v", r.Lost, r.Expected, o.timeout)
	r.check("no unexpected reply", r.Unexpected == 0, "%d replies to chatter, repeated or unknown", r.Unexpected)
	r.check("replies in order in every channel", r.Order.OutOfOrder == 0, "%d of %d out of order", r.Order.OutOfOrder, r.Order.Checked)
	if rl := r.RateLimit; rl != nil {
		rr := rl.Retries
		r.check("every 429 honoured", rr.Honoured(),
			"%d served, %d retried, %d early, %d of %d limited replies delivered", rr.Served, rr.Retries, rr.Early, rr.Delivered, rr.Replies)
	}
	if b := r.Burst; b != nil {
		r.check("the whole burst answered, in order", b.Answered == b.Sent && b.Order.OutOfOrder == 0,
			"%d of %d answered, %d out of order", b.Answered, b.Sent, b.Order.OutOfOrder)
		if o.scenario == "burst" && r.RateLimit.Retries.Served == 0 {
			r.check("the burst was rate limited", false, "no 429 served: raise -burst or lower -limit")
		}
	}
	r.check("clean stop", r.ExitCode == 0, "exit status %d after %s (bound %v)", r.ExitCode, msText(r.StopMS), o.stopTimeout)
	r.OK = true
	for _, c := range r.Checks {
		r.OK = r.OK && c.OK
	}
}
