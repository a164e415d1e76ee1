package bot

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack/socketmode"

	"github.com/smtpcodes/smtpbot/handlers"
)

// Observer is told what the bot does, for metrics. Its methods are called
// on the bot's hot paths, so they must be cheap and safe for concurrent
// use. Every string argument is one of a few fixed words (an envelope type,
// a Web API method, an outcome): never user text, a channel or an address.
type Observer interface {
	// EnvelopeReceived counts one request from Slack of a type: a Socket
	// Mode envelope, or in HTTP mode a signed request taken at
	// /slack/events, typed as the same payload's envelope would be
	// (events_api, slash_commands, interactive, hello, error_bad_message).
	EnvelopeReceived(kind string)
	// Acked records one ack and how long after the request was read it
	// was handed to the socket, or its 200 written.
	Acked(latency time.Duration)
	// Deduplicated counts a request or reply not handled again because it
	// was seen before: "event" (a redelivered event_id), "trigger" (a
	// redelivered slash command or action), "msg" (a message seen as
	// both message and app_mention, or redelivered), "malformed" (an
	// undecodable envelope sent again) or "thread" (the same reply already
	// in the thread).
	Deduplicated(kind string)
	// Handled records how long the handler took for one request of a
	// source (slash, dm, message, ...): reading the text, looking the codes
	// up and rendering the reply.
	Handled(source string, d time.Duration)
	// ReplyPosted counts one reply delivered or given up on, by method
	// (chat.postMessage, chat.postEphemeral, chat.update, views.publish,
	// response_url) and outcome ("ok" or "error").
	ReplyPosted(method, outcome string)
	// RateLimited records one HTTP 429 and the time waited for it.
	RateLimited(wait time.Duration)
	// Dropped counts a request acked but never answered: "queue_full" or
	// "shutdown".
	Dropped(reason string)
	// Reconnected counts a new Socket Mode connection after the first.
	Reconnected()
	// StoreFailed counts a call to the shared store that failed, by
	// operation: "claim" (the dedupe then fails open and answers) or
	// "queue" (the request is then run where it was received).
	StoreFailed(op string)
	// JobTakenOver counts a request this replica took over from one that
	// held it and stopped working on it (it died, or stalled past
	// Config.TakeoverAfter).
	JobTakenOver()
	// ReplyRepeated counts a reply posted again after a takeover because
	// the replica that held the job died while posting it: it may be in
	// Slack twice. After a kill these are the only duplicates.
	ReplyRepeated()
}

// nopObserver is the Observer of a bot without metrics.
type nopObserver struct{}

func (nopObserver) EnvelopeReceived(string)       {}
func (nopObserver) Acked(time.Duration)           {}
func (nopObserver) Deduplicated(string)           {}
func (nopObserver) Handled(string, time.Duration) {}
func (nopObserver) ReplyPosted(string, string)    {}
func (nopObserver) RateLimited(time.Duration)     {}
func (nopObserver) Dropped(string)                {}
func (nopObserver) Reconnected()                  {}
func (nopObserver) StoreFailed(string)            {}
func (nopObserver) JobTakenOver()                 {}
func (nopObserver) ReplyRepeated()                {}

// maxAckClock bounds the envelopes whose arrival is remembered for the ack
// latency: an envelope that is never acked (its request dropped) must not
// hold memory for ever.
const maxAckClock = 10000

// status is what the bot knows of its own health, and the arrival times
// of envelopes not acked yet.
type status struct {
	obs       Observer
	timed     bool // obs is not the no-op: keep the arrival times
	connected atomic.Bool
	everUp    atomic.Bool // a connection opened once: the next is a reconnect
	stopping  atomic.Bool

	mu      sync.Mutex
	arrived map[string]time.Time // envelope id → when the loop read it
}

func newStatus(obs Observer) *status {
	_, nop := obs.(nopObserver)
	return &status{obs: obs, timed: !nop, arrived: map[string]time.Time{}}
}

// observeEvent runs on the event loop for every event of the socketmode
// client, before it is handled: it counts envelopes, notes when each was
// read, and follows the connection's state.
func (b *Bot) observeEvent(evt socketmode.Event) {
	s := b.status
	switch evt.Type {
	case socketmode.EventTypeConnected:
		s.connected.Store(true)
		if s.everUp.Swap(true) {
			s.obs.Reconnected()
		}
		return
	case socketmode.EventTypeConnecting, socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth:
		// Each attempt to connect starts with "connecting": the previous
		// connection, if any, is gone.
		s.connected.Store(false)
		return
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed:
		return
	}
	s.obs.EnvelopeReceived(string(evt.Type))
	if s.timed && evt.Request != nil && evt.Request.EnvelopeID != "" {
		s.mu.Lock()
		if len(s.arrived) >= maxAckClock {
			clear(s.arrived)
		}
		s.arrived[evt.Request.EnvelopeID] = time.Now()
		s.mu.Unlock()
	}
}

// acked records the ack of an envelope and its latency since it was read.
func (b *Bot) acked(envelopeID string) {
	s := b.status
	if !s.timed {
		return
	}
	s.mu.Lock()
	at, ok := s.arrived[envelopeID]
	delete(s.arrived, envelopeID)
	s.mu.Unlock()
	var d time.Duration
	if ok {
		d = time.Since(at)
	}
	s.obs.Acked(d)
}

// Ready says whether the bot can do its job: "" while it is connected to
// Slack and its workers keep up, else why not. It backs /healthz.
func (b *Bot) Ready() string {
	s := b.status
	switch {
	case s.stopping.Load():
		return "shutting down"
	case !s.connected.Load():
		return "not connected to Slack"
	}
	if n, full := b.saturation(); full {
		return fmt.Sprintf("worker pool saturated: %d requests queued or running, the most it takes (new ones are dropped)", n)
	}
	return ""
}

// QueueDepth is how many requests are queued or being handled.
func (b *Bot) QueueDepth() int {
	n, _ := b.saturation()
	return n
}

// saturation is how many requests are queued or being handled, and
// whether that is as many as the bot takes: the next one would be dropped.
// With its own queue in memory that is its backlog; with a shared queue
// the backlog is on the server, and this replica is saturated when its
// workers have no room left.
func (b *Bot) saturation() (int, bool) {
	if b.ownQueue != nil {
		n := int(b.backlog.Load())
		return n, b.backlogFull()
	}
	n := b.pool.pendingCount()
	return n, b.room() <= 0
}

// observedBy makes the dedupe count what it drops and the store failures.
func (d *dedupe) observedBy(obs Observer) *dedupe {
	d.obs = obs
	if d.shared != nil {
		d.shared.obs = obs
	}
	return d
}

// dedupeKind is the metric label of a dedupe key: the word before its
// first "/" ("event", "trigger", "msg", "bad"), never the id after it.
func dedupeKind(key string) string {
	kind, _, _ := strings.Cut(key, "/")
	switch kind {
	case "event", "trigger", "msg":
		return kind
	case "bad":
		return "malformed"
	}
	return "other"
}

// outcome is the metric label of an error.
func outcome(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}

// observeHandled records the handler's time for a request; use as
// defer b.observeHandled(req.Source, time.Now()).
func (b *Bot) observeHandled(source handlers.Source, start time.Time) {
	b.cfg.Observer.Handled(string(source), time.Since(start))
}
