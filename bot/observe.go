package bot

import "time"

// Observer is told what the bot does, for metrics. Its methods are called
// on the bot's hot paths, so they must be cheap and safe for concurrent
// use. Every string argument is one of a few fixed words (an envelope type,
// a Web API method, an outcome): never user text, a channel or an address.
type Observer interface {
	// EnvelopeReceived counts one Socket Mode envelope of a type:
	// events_api, slash_commands, interactive, hello, disconnect, ...
	EnvelopeReceived(kind string)
	// Acked records one ack and how long after the envelope was read it
	// was written.
	Acked(latency time.Duration)
	// Deduplicated counts a request not answered again because it was a
	// redelivery: "event", "trigger" or "message".
	Deduplicated(kind string)
	// Handled records how long the handler took for one request of a
	// source (slash, dm, message, ...): reading the text, looking the codes
	// up and rendering the reply.
	Handled(source string, d time.Duration)
	// ReplyPosted counts one Web API call that delivered a reply, by
	// method (chat.postMessage, chat.postEphemeral, response_url, ...) and
	// outcome ("ok" or "error").
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
