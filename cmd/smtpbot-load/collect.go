package main

import (
	"context"
	"slices"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// replyMethods are the calls that carry a reply to one of the tool's
// events: threaded replies and slash command answers.
var replyMethods = []string{"chat.postMessage", "response_url"}

// limitedMethods are the calls the fake rate limits.
var limitedMethods = map[string]bool{"chat.postMessage": true, "chat.postEphemeral": true, "chat.update": true}

// callKey is the item key a reply call answers (see item.key).
func callKey(c fakeslack.Call) string {
	if c.Method == "response_url" {
		return "env/" + c.EnvelopeID
	}
	return "thread/" + c.Channel + "/" + c.ThreadTS
}

// waitReplies waits until every item that wants a reply has one, or ctx is
// done; then it waits grace more, for replies that should not come. It
// polls: the fake's change notifications would wake it for every call.
func waitReplies(ctx context.Context, fake *fakeslack.Server, items []*item, grace time.Duration) {
	want := map[string]bool{}
	for _, it := range items {
		if it.wantsReply() {
			want[it.key()] = true
		}
	}
	got := map[string]bool{}
	seen := 0
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for len(got) < len(want) {
		calls, total := fake.CallsAfter(seen)
		seen = total
		for _, c := range calls {
			if c.Method != "chat.postMessage" && c.Method != "response_url" {
				continue
			}
			if k := callKey(c); want[k] {
				got[k] = true
			}
		}
		if len(got) == len(want) {
			break
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
	select {
	case <-ctx.Done():
	case <-time.After(grace):
	}
}

// analysis is what the fake's records say about the items.
type analysis struct {
	events        int // envelopes sent
	ack           []time.Duration
	unacked       int
	reply         []time.Duration
	replyByKind   [nKinds][]time.Duration
	burstReply    []time.Duration
	otherReply    []time.Duration // replies outside the burst
	sendLag       []time.Duration // envelope written to the socket - due time
	wanted        int
	lost          int
	unexpected    int
	first, last   time.Time // first envelope sent, last one sent
	done          time.Time // last ack or reply
	order         OrderResult
	burstOrder    OrderResult
	burstSent     int
	burstAnswered int
	burstLast     time.Time // last reply to the burst
	retries       RetryResult
}

// analyse matches acks and reply calls to the items. start is the time the
// items' due times count from.
func analyse(fake *fakeslack.Server, items []*item, start time.Time, retryAfter time.Duration) *analysis {
	a := &analysis{}
	acks := map[string]fakeslack.Ack{}
	for _, ack := range fake.Acks() {
		if _, dup := acks[ack.EnvelopeID]; !dup {
			acks[ack.EnvelopeID] = ack
		}
	}
	byKey := map[string]*item{}
	for _, it := range items {
		byKey[it.key()] = it
		it.sent = time.Time{}
		for _, env := range it.envs {
			a.events++
			ack, ok := acks[env]
			if !ok {
				a.unacked++
				continue
			}
			a.ack = append(a.ack, ack.Time.Sub(ack.SentAt))
			a.sendLag = append(a.sendLag, ack.SentAt.Sub(start.Add(it.at)))
			if it.sent.IsZero() || ack.SentAt.Before(it.sent) {
				it.sent = ack.SentAt
			}
			a.done = later(a.done, ack.Time)
		}
		if it.sent.IsZero() {
			it.sent = it.queued // never acked: the best guess there is
		}
		if a.first.IsZero() || it.sent.Before(a.first) {
			a.first = it.sent
		}
		a.last = later(a.last, it.sent)
	}

	calls := fake.Calls(replyMethods...)
	replyKeys := map[string][]string{} // channel -> reply keys in arrival order
	for _, c := range calls {
		k := callKey(c)
		it := byKey[k]
		if it == nil {
			a.unexpected++ // not one of ours (or a second answer to a slash command's envelope)
			continue
		}
		it.replies++
		if !it.wantsReply() || it.replies > 1 {
			a.unexpected++
			continue
		}
		it.reply = c.Time
		a.done = later(a.done, c.Time)
		replyKeys[it.channel] = append(replyKeys[it.channel], k)
	}

	sentKeys := map[string][]*item{} // channel -> items that want replies
	for _, it := range items {
		if !it.wantsReply() {
			continue
		}
		a.wanted++
		sentKeys[it.channel] = append(sentKeys[it.channel], it)
		if it.burst {
			a.burstSent++
		}
		if it.replies == 0 {
			a.lost++
			continue
		}
		d := it.reply.Sub(it.sent)
		a.reply = append(a.reply, d)
		a.replyByKind[it.kind] = append(a.replyByKind[it.kind], d)
		if it.burst {
			a.burstReply = append(a.burstReply, d)
			a.burstAnswered++
			a.burstLast = later(a.burstLast, it.reply)
		} else {
			a.otherReply = append(a.otherReply, d)
		}
	}
	for ch, its := range sentKeys {
		// The order the bot saw: the order the envelopes were written.
		slices.SortStableFunc(its, func(x, y *item) int { return x.sent.Compare(y.sent) })
		keys := make([]string, len(its))
		burst := false
		for i, it := range its {
			keys[i] = it.key()
			burst = burst || it.burst
		}
		o := checkOrder(keys, replyKeys[ch])
		a.order.Checked += o.Checked
		a.order.OutOfOrder += o.OutOfOrder
		if a.order.First == "" {
			a.order.First = o.First
		}
		if burst {
			a.burstOrder = o
		}
	}

	var attempts []attempt
	for _, c := range fake.LimitedCalls() {
		attempts = append(attempts, attempt{key: callKey(c), at: c.Time, limited: true})
	}
	for _, c := range fake.Calls() {
		if limitedMethods[c.Method] {
			attempts = append(attempts, attempt{key: callKey(c), at: c.Time})
		}
	}
	a.retries = checkRetries(attempts, retryAfter)
	return a
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
