package main

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// drive sends the items through the fake at their due times (from start),
// with concurrency goroutines calling the fake, until every item is sent,
// the bound has passed or ctx is done. Items not sent keep no envelopes.
// It returns the items sent.
func drive(ctx context.Context, fake *fakeslack.Server, c *corpus, items []*item, start time.Time, bound time.Duration, concurrency int) []*item {
	slices.SortStableFunc(items, func(a, b *item) int { return cmp.Compare(a.at, b.at) })
	work := make(chan *item, 1024)
	var wg sync.WaitGroup
	for range concurrency {
		wg.Go(func() {
			for it := range work {
				send(fake, c, it)
			}
		})
	}
	deadline := start.Add(bound)
	timer := time.NewTimer(0)
	<-timer.C
	n := 0
dispatch:
	for _, it := range items {
		due := start.Add(it.at)
		if time.Now().After(deadline) {
			break
		}
		if wait := time.Until(due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				break dispatch
			}
		}
		select {
		case work <- it:
			n++
		case <-ctx.Done():
			break dispatch
		}
	}
	close(work)
	wg.Wait()
	return items[:n]
}

// send hands one item to the fake, which writes its envelopes to the
// bot's socket in the order it takes them.
func send(fake *fakeslack.Server, c *corpus, it *item) {
	switch it.kind {
	case kindSlash:
		it.envs = []string{fake.SendSlash(fakeslack.Slash{Text: it.text, User: it.user, Channel: it.channel})}
	case kindPaste, kindChatter:
		it.ts = fake.NextTS()
		it.envs = []string{fake.SendMessage(fakeslack.Message{Channel: it.channel, User: it.user, Text: it.text, TS: it.ts})}
	case kindMention:
		m := fakeslack.Message{Channel: it.channel, User: it.user, Text: it.text}
		if it.thread {
			it.parent = fake.NextTS()
			fake.AddMessage(fakeslack.Message{Channel: it.channel, User: it.user, TS: it.parent, Text: c.parent})
			m.ThreadTS = it.parent
		}
		it.ts = fake.NextTS()
		m.TS = it.ts
		// Slack sends both for a message that mentions the bot; the bot
		// must answer once.
		it.envs = []string{fake.SendMessage(m), fake.SendMention(m)}
	}
	it.queued = time.Now()
}
