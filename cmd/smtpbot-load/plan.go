package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// kind is what an event is and what the bot must do with it.
type kind int

const (
	kindSlash   kind = iota // /smtp …: one answer to its response URL
	kindPaste               // a bounce pasted in a channel: one reply in its thread
	kindChatter             // a channel message with numbers: no reply
	kindMention             // message + app_mention of one message: one reply in its thread
	nKinds
)

var kindNames = [nKinds]string{"slash", "paste", "chatter", "mention"}

func (k kind) String() string { return kindNames[k] }

// envelopes is how many envelopes an event of kind k sends: a mention
// comes as a message event and an app_mention, as Slack sends them.
func (k kind) envelopes() int {
	if k == kindMention {
		return 2
	}
	return 1
}

// item is one event to send, and what became of it.
type item struct {
	kind    kind
	channel string
	user    string
	text    string
	thread  bool          // a mention in a thread under a bounce
	burst   bool          // part of the burst into one channel
	at      time.Duration // when to send it, from the start of the run

	// Set when sent.
	envs   []string  // envelope ids
	ts     string    // the message's ts (not for slash commands)
	parent string    // the thread's root ts, for a mention in a thread
	queued time.Time // when the fake took it

	// Set by the analysis.
	sent    time.Time // when its first envelope was written to the socket
	replies int
	reply   time.Time // when the first reply reached the fake
}

// key is where the bot's reply to the item goes: the response URL of a
// slash command's envelope, or the channel and thread of a message.
func (it *item) key() string {
	switch {
	case it.kind == kindSlash:
		return "env/" + it.envs[0]
	case it.parent != "":
		return "thread/" + it.channel + "/" + it.parent
	}
	return "thread/" + it.channel + "/" + it.ts
}

func (it *item) wantsReply() bool { return it.kind != kindChatter }

// mix is the share of each kind of event.
type mix [nKinds]int

// parseMix reads "slash=25,paste=35,chatter=25,mention=15".
func parseMix(s string) (mix, error) {
	var m mix
	total := 0
	for part := range strings.SplitSeq(s, ",") {
		name, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 {
			return m, fmt.Errorf("mix: %q is not kind=weight", part)
		}
		k := -1
		for i, kn := range kindNames {
			if kn == name {
				k = i
			}
		}
		if k < 0 {
			return m, fmt.Errorf("mix: unknown kind %q (slash, paste, chatter, mention)", name)
		}
		m[k] = n
		total += n
	}
	if total == 0 {
		return m, fmt.Errorf("mix: all weights are zero")
	}
	return m, nil
}

func (m mix) pick(rng *rand.Rand) kind {
	total := 0
	for _, w := range m {
		total += w
	}
	n := rng.IntN(total)
	for k, w := range m {
		if n < w {
			return kind(k)
		}
		n -= w
	}
	return kindChatter
}

// planner makes the events of a run, the same for the same seed.
type planner struct {
	c        *corpus
	rng      *rand.Rand
	mix      mix
	channels []string
	users    []string
	// threadMention is the share (out of 100) of mentions sent in a thread
	// under a bounce, which makes the bot read the thread's parent.
	threadMention int
}

func (p *planner) event(channel string) *item {
	it := &item{kind: p.mix.pick(p.rng), channel: channel, user: p.users[p.rng.IntN(len(p.users))]}
	switch it.kind {
	case kindSlash:
		it.text = p.c.slash[p.rng.IntN(len(p.c.slash))]
	case kindPaste:
		it.text = p.c.bounces[p.rng.IntN(len(p.c.bounces))].body
	case kindChatter:
		it.text = p.c.chatter[p.rng.IntN(len(p.c.chatter))].body
	case kindMention:
		if p.rng.IntN(100) < p.threadMention {
			it.text = "<@" + fakeslack.DefaultBotUserID + ">"
			it.thread = true
		} else {
			it.text = p.c.mentions[p.rng.IntN(len(p.c.mentions))]
		}
	}
	return it
}

// steady plans count events (envelopes: a mention is two) at rate per
// second, spread over channels round-robin, stopping at the time bound.
func (p *planner) steady(count int, rate float64, channels []string, bound time.Duration) []*item {
	var out []*item
	for envs, i := 0, 0; envs < count; i++ {
		it := p.event(channels[i%len(channels)])
		it.at = time.Duration(float64(envs) / rate * float64(time.Second))
		if it.at > bound {
			break
		}
		envs += it.kind.envelopes()
		out = append(out, it)
	}
	return out
}

// burst plans n bounces into one channel, all due at once.
func (p *planner) burst(n int, channel string, at time.Duration) []*item {
	out := make([]*item, n)
	for i := range out {
		b := p.c.bounces[i%len(p.c.bounces)]
		out[i] = &item{kind: kindPaste, channel: channel, user: p.users[i%len(p.users)], text: b.body, burst: true, at: at}
	}
	return out
}
