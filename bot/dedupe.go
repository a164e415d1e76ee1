package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/patrickmn/go-cache"

	"github.com/smtpcodes/smtpbot/handlers"
)

// dedupe remembers what was already handled or posted.
type dedupe struct {
	// events holds event ids and channel+ts keys for eventTTL: Slack
	// redelivers an event (same event_id, new envelope) when it missed the
	// ack, and sends a message that mentions the bot twice (message and
	// app_mention).
	events *cache.Cache
	// posted holds, per thread and reply, when it was posted.
	posted *cache.Cache
	window time.Duration
	now    func() time.Time
	ttl    time.Duration // of events
	// shared, when set, replaces events and posted: see sharedIn.
	shared *sharedDedupe
	obs    Observer
}

func newDedupe(eventTTL, window time.Duration, now func() time.Time) *dedupe {
	d := &dedupe{
		events: cache.New(eventTTL, eventTTL/2),
		window: window,
		now:    now,
		ttl:    eventTTL,
	}
	if window > 0 {
		d.posted = cache.New(window, window)
	}
	return d
}

// first reports whether key is new, and remembers it. It is atomic: of two
// callers with one key, one gets true.
func (d *dedupe) first(key string) (first bool) {
	defer func() {
		if !first && d.obs != nil {
			d.obs.Deduplicated(dedupeKind(key))
		}
	}()
	if d.shared != nil {
		return d.shared.claim("seen", key, d.ttl)
	}
	return d.events.Add(key, struct{}{}, cache.DefaultExpiration) == nil
}

// threadKey identifies a reply in a thread: channel, thread and a hash of
// the reply's text and blocks. "" for replies that are not checked.
func threadKey(r handlers.Reply) string {
	if r.Delivery != handlers.DeliverThread || r.ThreadTS == "" {
		return ""
	}
	h := sha256.New()
	h.Write([]byte(r.Text))
	h.Write([]byte{0})
	if len(r.Blocks) > 0 {
		if b, err := json.Marshal(r.Blocks); err == nil {
			h.Write(b)
		}
	}
	return r.ChannelID + "/" + r.ThreadTS + "/" + hex.EncodeToString(h.Sum(nil)[:12])
}

// repeated reports whether the same reply was posted in the thread less
// than the window ago (by the injected clock).
//
// With a shared store the check also marks: of two replicas about to post
// the same reply, one is told it is repeated. A post that then fails still
// counts for the window.
func (d *dedupe) repeated(key string) bool {
	if d.posted == nil || key == "" {
		return false
	}
	if d.shared != nil {
		return !d.shared.claim("thread", key, d.window)
	}
	v, ok := d.posted.Get(key)
	return ok && d.now().Sub(v.(time.Time)) < d.window
}

// posted remembers that the reply was posted now.
func (d *dedupe) markPosted(key string) {
	if d.posted == nil || key == "" || d.shared != nil {
		return
	}
	d.posted.Set(key, d.now(), cache.DefaultExpiration)
}
