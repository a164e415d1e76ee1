package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// HTTP mode (the Events API): Slack POSTs every event, slash command and
// interaction to one request URL, as Bolt takes them, and the handler here
// turns each into the same socketmode.Event the socket-mode client decodes,
// for the same intake (receive). Only the door differs: a signature check
// instead of the app token, and the 200 instead of the ack frame.

// DefaultMaxBodyBytes bounds one request body over HTTP: 16 MiB. A body is
// an envelope's payload (DefaultReadLimit explains the largest, 6.9 MB as
// \uXXXX escapes); interactivity payloads come form-encoded, which turns
// each escape's backslash into %5C: 8 bytes a character, 9.2 MB at worst.
const DefaultMaxBodyBytes = 16 << 20

// httpAckDeadline is when the 200 is written at the latest, whether or not
// the intake has acked: Slack takes a request that got no answer within 3
// seconds for failed and sends it again.
const httpAckDeadline = 2500 * time.Millisecond

// eventsHandler serves POST /slack/events.
type eventsHandler struct {
	b      *Bot
	secret string
	max    int64
	log    *slog.Logger

	// mu guards open and the Add of inflight, so that close waits for
	// every request that got past the door before the pool drains.
	mu       sync.Mutex
	open     bool
	closed   bool
	inflight sync.WaitGroup
}

// EventsHandler is the handler of Slack's request URL (POST /slack/events)
// in HTTP mode: events, slash commands and interactivity alike. It answers
// 503 until Run has learnt who the bot is, and again once Run's context is
// done, so that Slack sends those requests again (to another replica behind
// a load balancer). It is nil for a bot in socket mode.
func (b *Bot) EventsHandler() http.Handler {
	if b.events == nil {
		return nil
	}
	return b.events
}

// enter admits one request, unless the bot is not serving.
func (h *eventsHandler) enter() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.open || h.closed {
		return false
	}
	h.inflight.Add(1)
	return true
}

func (h *eventsHandler) start() {
	h.mu.Lock()
	h.open = true
	h.mu.Unlock()
}

// stop turns new requests away and waits up to d for the ones already past
// the door to reach the intake.
func (h *eventsHandler) stop(d time.Duration) {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	done := make(chan struct{})
	go func() { h.inflight.Wait(); close(done) }()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}

// Why a signature was refused, in a word for the log (never the header's
// value, which a replay could use).
func signatureProblem(err error) string {
	switch {
	case errors.Is(err, slack.ErrMissingHeaders):
		return "missing X-Slack-Signature or X-Slack-Request-Timestamp"
	case errors.Is(err, slack.ErrExpiredTimestamp):
		return "timestamp more than 5 minutes off"
	case errors.Is(err, slack.ErrInvalidSignature):
		return "signature does not match"
	case errors.Is(err, strconv.ErrSyntax), errors.Is(err, strconv.ErrRange):
		return "timestamp is not a number"
	}
	return "signature is not hex"
}

func (h *eventsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.max))
	read := time.Now()
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.log.Warn("request from Slack over the size limit; refused", "limit", h.max)
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		h.log.Debug("request body unreadable", "error", err)
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	// The signature comes first: nothing of an unsigned body is read.
	sv, err := slack.NewSecretsVerifier(r.Header, h.secret)
	if err == nil {
		_, _ = sv.Write(body)
		err = sv.Ensure()
	}
	if err != nil {
		h.log.Warn("request refused: not signed by Slack with SLACK_SIGNING_SECRET",
			"reason", signatureProblem(err), "remote", r.RemoteAddr)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	obs := h.b.status.obs
	evt, id, challenge, err := decodeHTTP(r.Header.Get("Content-Type"), body)
	if err != nil {
		h.log.Warn("request from Slack skipped", "error", redactQuoted(err.Error()), "bytes", len(body))
		// 200: the body was signed, so Slack sent it; it would fail the
		// same way every time it was sent again. It counts as socket
		// mode counts an envelope it cannot decode, acked all the same.
		obs.EnvelopeReceived(string(socketmode.EventTypeErrorBadMessage))
		w.WriteHeader(http.StatusOK)
		obs.Acked(time.Since(read))
		return
	}
	if challenge != "" {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, challenge)
		return
	}
	if !h.enter() {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "not serving", http.StatusServiceUnavailable)
		return
	}
	defer h.inflight.Done()
	// Counted as socket mode counts the same request's envelope, and its
	// 200 as the ack; one refused with 503 above is not taken, and comes
	// again.
	obs.EnvelopeReceived(string(evt.Type))
	if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
		h.log.Debug("request sent again by Slack", "id", id, "retry_num", n,
			"retry_reason", r.Header.Get("X-Slack-Retry-Reason"))
	}
	acked := make(chan struct{})
	var once sync.Once
	in := inbound{evt: evt, id: id, ack: func() { once.Do(func() { close(acked) }) }}
	go h.b.receive(in)
	t := time.NewTimer(httpAckDeadline)
	defer t.Stop()
	select {
	case <-acked:
	case <-t.C:
		h.log.Debug("request not acked by the deadline; answering 200 all the same", "id", id)
	case <-r.Context().Done():
		return
	}
	w.WriteHeader(http.StatusOK)
	obs.Acked(time.Since(read))
}

// decodeHTTP turns a signed body into the event socketmode would have
// decoded from the same payload, and an id for the logs (the event id or
// the trigger id, which stay the same when Slack sends a request again).
// For url_verification it returns the challenge to answer with instead.
func decodeHTTP(contentType string, body []byte) (evt socketmode.Event, id, challenge string, err error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "application/json" {
		ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
		if err != nil {
			return evt, "", "", err
		}
		if ev.Type == slackevents.URLVerification {
			var v struct {
				Challenge string `json:"challenge"`
			}
			if err := json.Unmarshal(body, &v); err != nil || v.Challenge == "" {
				return evt, "", "", errors.New("url_verification without a challenge")
			}
			return evt, "", v.Challenge, nil
		}
		if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
			id = cb.EventID
		}
		return socketmode.Event{Type: socketmode.EventTypeEventsAPI, Data: ev}, id, "", nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return evt, "", "", err
	}
	if p := form.Get("payload"); p != "" {
		var cb slack.InteractionCallback
		if err := json.Unmarshal([]byte(p), &cb); err != nil {
			return evt, "", "", err
		}
		return socketmode.Event{Type: socketmode.EventTypeInteractive, Data: cb}, cb.TriggerID, "", nil
	}
	// SlashCommandParse reads a request's form: hand it one over the body
	// already read.
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, "/", bytes.NewReader(body))
	if err != nil {
		return evt, "", "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	cmd, err := slack.SlashCommandParse(req)
	if err != nil {
		return evt, "", "", err
	}
	if cmd.Command == "" {
		return evt, "", "", errors.New("form body that is neither a slash command nor an interaction")
	}
	return socketmode.Event{Type: socketmode.EventTypeSlashCommand, Data: cmd}, cmd.TriggerID, "", nil
}

// serveHTTP is Run's transport in HTTP mode: the listener belongs to the
// caller, who mounts EventsHandler; the bot takes requests until ctx is
// done, then turns new ones away (503: Slack sends them again, to a
// replica that is still up) and waits for the ones past the door to reach
// the intake. Run then drains the work.
func (b *Bot) serveHTTP(ctx context.Context) {
	b.events.start()
	b.log.Info("taking Slack's requests over HTTP")
	<-ctx.Done()
	b.events.stop(httpAckDeadline)
}
