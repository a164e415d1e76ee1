// Command smtpbot-load measures the real bot end to end, under load, on
// loopback.
//
// It starts the fake Slack of bot/fakeslack in its own process on
// 127.0.0.1, then the real smtpbot binary as a child process pointed at it
// (SLACK_API_URL), and drives events through the fake's websocket at a set
// rate: slash commands, bounces of 1 to 40 KB pasted in channels, chatter
// that must get no reply, and mentions (each as a message event and an
// app_mention, as Slack sends them), spread over several channels. It
// reports:
//
//   - start-up: process start to the websocket connection the fake sees;
//   - memory: idle RSS after connecting and settling, peak RSS (VmHWM) at
//     the end of the load;
//   - throughput: events written to the socket per second, and handled
//     (acked and answered) per second;
//   - latency: envelope written to the socket → ack read back, and →
//     the reply's Web API call reaching the fake (median, p99, max);
//   - correctness: replies lost (none may be), unexpected replies (to
//     chatter, or twice: none may be), envelopes never acked, replies out
//     of order within a channel;
//   - under -scenario burst: a per-channel rate limit in the fake, a burst
//     of -burst bounces into one channel beside steady traffic to the
//     others; every 429 must be retried no earlier than Retry-After, every
//     burst reply must arrive, in order, while the other channels' latency
//     is reported apart;
//   - the bot's CPU time over the load, and the tool's own (with the fake),
//     to show which side is the bottleneck;
//   - a clean stop: SIGTERM, exit status 0 within -stop-timeout.
//
// Without -bot it builds ./cmd/smtpbot as the Dockerfile does, so run it
// from the repository:
//
//	go run ./cmd/smtpbot-load                        # 5,000 events at 500/s
//	go run ./cmd/smtpbot-load -rate 2000 -count 30000
//	go run ./cmd/smtpbot-load -scenario burst
//	go run ./cmd/smtpbot-load -json > run.json
//	go run ./cmd/smtpbot-load -scenario replicas -count 3000 -rate 300
//
// The exit status is 0 when every check passed, 1 when one failed (the
// table says which), 2 for a usage error. Targets are shown beside the
// figures but do not change the status: they depend on the machine.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// options are the command-line flags.
type options struct {
	bot         string
	scenario    string
	rate        float64
	count       int
	duration    time.Duration
	concurrency int
	channels    int
	users       int
	mix         string
	threadShare int
	seed        uint64
	timeout     time.Duration
	settle      time.Duration
	stopTimeout time.Duration
	burst       int
	limit       int
	interval    time.Duration
	retryAfter  time.Duration
	echo        bool
	fixtures    string
	env         envFlag
	json        bool
	verbose     bool
	// replicas scenario
	replicas  []int
	kill      bool
	takeover  time.Duration
	redeliver time.Duration
}

// envFlag collects repeated -env KEY=VALUE.
type envFlag []string

func (e *envFlag) String() string { return strings.Join(*e, " ") }

func (e *envFlag) Set(s string) error {
	if k, _, ok := strings.Cut(s, "="); !ok || k == "" {
		return fmt.Errorf("%q is not KEY=VALUE", s)
	}
	*e = append(*e, s)
	return nil
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("smtpbot-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.bot, "bot", "", "path of the smtpbot binary to run; when empty, ./cmd/smtpbot is built into a temporary directory")
	fs.StringVar(&o.scenario, "scenario", "mix", "mix: the mix of events at -rate; burst: also a per-channel rate limit and a burst of -burst bounces into one channel; "+
		"replicas: the same stream to 1, 2 and 3 replicas (-replicas) on one redis-server, one SIGKILLed mid-stream")
	replicas := fs.String("replicas", "1,2,3", "replicas scenario: the replica counts to run, one after the other")
	fs.BoolVar(&o.kill, "kill", true, "replicas scenario: SIGKILL one replica at 40% of the stream (with one, it is started again at once)")
	fs.DurationVar(&o.takeover, "takeover", 2*time.Second, "replicas scenario: the bots' TAKEOVER_AFTER")
	fs.DurationVar(&o.redeliver, "redeliver", 3*time.Second, "replicas scenario: the fake redelivers an envelope not acked within this, as Slack does")
	fs.Float64Var(&o.rate, "rate", 500, "events offered per second (a mention's two envelopes count as two)")
	fs.IntVar(&o.count, "count", 5000, "events to send (the burst comes on top)")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "stop sending after this long even if -count is not reached")
	fs.IntVar(&o.concurrency, "concurrency", 4, "goroutines handing events to the fake")
	fs.IntVar(&o.channels, "channels", 8, "channels the events are spread over")
	fs.IntVar(&o.users, "users", 50, "users the events come from (some with Thai or Vietnamese Slack locales)")
	fs.StringVar(&o.mix, "mix", "slash=25,paste=35,chatter=25,mention=15", "share of each kind of event")
	fs.IntVar(&o.threadShare, "thread-mentions", 20, "percent of mentions made in a thread under a bounce (the bot then reads the thread's parent)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the event mix: the same seed sends the same events")
	fs.DurationVar(&o.timeout, "timeout", 15*time.Second, "how long after the last send to wait for the replies; later ones count as lost")
	fs.DurationVar(&o.settle, "settle", time.Second, "wait after the bot connects before reading its idle RSS")
	fs.DurationVar(&o.stopTimeout, "stop-timeout", 15*time.Second, "how long the bot may take to exit after SIGTERM")
	fs.IntVar(&o.burst, "burst", 200, "burst scenario: bounces sent at once into one channel")
	fs.IntVar(&o.limit, "limit", 0, "posts per channel per -interval the fake lets through before answering 429 (0: none in mix, 20 in burst)")
	fs.DurationVar(&o.interval, "interval", 100*time.Millisecond, "the rate limit's interval")
	fs.DurationVar(&o.retryAfter, "retry-after", time.Second, "the Retry-After the fake announces with a 429 (whole seconds)")
	fs.BoolVar(&o.echo, "echo", false, "echo every chat.postMessage back as a message event, as Slack does (more events for the bot, not counted)")
	fs.StringVar(&o.fixtures, "fixtures", "catalog/testdata/bounces,handlers/testdata/paste", "comma-separated directories whose *.txt files join the generated texts (missing ones are skipped)")
	fs.Var(&o.env, "env", "KEY=VALUE for the bot's environment, such as WORKERS=32 (repeatable)")
	fs.BoolVar(&o.json, "json", false, "print the report as JSON")
	fs.BoolVar(&o.verbose, "v", false, "copy the bot's log to stderr")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: smtpbot-load [flags]\n\nRuns the real bot against the fake Slack on loopback under load and reports\nlatency, throughput, memory, start-up and correctness. Run it from the repository.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	for f := range strings.SplitSeq(*replicas, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 10 {
			return nil, fmt.Errorf("-replicas: %q is not a list of counts from 1 to 10 (Slack opens at most 10 connections)", *replicas)
		}
		o.replicas = append(o.replicas, n)
	}
	switch {
	case o.scenario != "mix" && o.scenario != "burst" && o.scenario != "replicas":
		return nil, fmt.Errorf("-scenario: %q is not mix, burst or replicas", o.scenario)
	case o.takeover <= 0 || o.redeliver <= 0:
		return nil, errors.New("-takeover and -redeliver must be positive")
	case o.rate <= 0 || math.IsInf(o.rate, 0) || math.IsNaN(o.rate):
		return nil, errors.New("-rate must be positive")
	case o.count < 0 || o.concurrency < 1 || o.users < 1 || o.burst < 1:
		return nil, errors.New("-count must be zero or more; -concurrency, -users and -burst at least 1")
	case o.channels < 1 || (o.scenario == "burst" && o.channels < 2):
		return nil, errors.New("-channels must be at least 1, and 2 for the burst scenario")
	case o.duration <= 0 || o.timeout <= 0 || o.stopTimeout <= 0 || o.interval <= 0 || o.retryAfter <= 0:
		return nil, errors.New("durations must be positive")
	case o.limit < 0 || o.threadShare < 0 || o.threadShare > 100:
		return nil, errors.New("-limit must be zero or more, -thread-mentions from 0 to 100")
	}
	if o.limit == 0 && o.scenario == "burst" {
		o.limit = 20
	}
	return o, nil
}

// minConfidence is the bot's MIN_CONFIDENCE: its default, unless -env sets
// it.
func (o *options) minConfidence() float64 {
	v := 0.5
	for _, kv := range o.env {
		if k, s, _ := strings.Cut(kv, "="); k == "MIN_CONFIDENCE" {
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				v = f
			}
		}
	}
	return v
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "smtpbot-load:", err)
		return 2
	}
	if o.scenario == "replicas" {
		return runReplicas(ctx, o, stdout, stderr)
	}
	r, err := load(ctx, o, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "smtpbot-load:", err)
		return 1
	}
	if o.json {
		if err := r.printJSON(stdout); err != nil {
			fmt.Fprintln(stderr, "smtpbot-load:", err)
			return 1
		}
	} else {
		r.printTable(stdout)
	}
	if !r.OK {
		return 1
	}
	return 0
}
