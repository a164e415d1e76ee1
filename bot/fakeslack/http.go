package fakeslack

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// HTTP delivery: with Options.EventsURL set, the fake plays Slack's side of
// the Events API. Every request a Send method makes is POSTed to that URL,
// signed with Options.SigningSecret, in the body Slack uses for its kind:
// an event_callback as JSON, a slash command as a form, an interaction as
// a form field "payload" holding JSON. A 200 within Options.HTTPTimeout
// counts as the ack (Acked, WaitAcks); anything else (another status, a
// refused connection, a timeout) makes the fake send the request again,
// up to 3 times, with X-Slack-Retry-Num and X-Slack-Retry-Reason, as
// Slack does.

// httpReq is one delivery waiting for a sender.
type httpReq struct {
	id      string // this delivery's id, under which its ack is recorded
	origin  string // the first delivery's id, for Redeliveries
	typ     string
	payload json.RawMessage
	attempt int
	reason  string
}

// defaultHTTPTimeout is how long Slack waits for the 200.
const defaultHTTPTimeout = 3 * time.Second

func (s *Server) startHTTP() {
	if s.opts.HTTPTimeout <= 0 {
		s.opts.HTTPTimeout = defaultHTTPTimeout
	}
	if s.opts.HTTPSenders <= 0 {
		s.opts.HTTPSenders = 1
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = s.opts.HTTPSenders
	s.httpc = &http.Client{Transport: t, Timeout: s.opts.HTTPTimeout}
	s.posts = make(chan httpReq, 8192)
	for range s.opts.HTTPSenders {
		go s.sendPosts()
	}
}

// Sign returns the X-Slack-Signature Slack puts on a request: "v0=" and the
// hex HMAC-SHA256, keyed with the signing secret, of "v0:{timestamp}:{body}".
func Sign(secret string, timestamp int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "v0:%d:", timestamp)
	m.Write(body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

// HTTPBody returns the body and content type Slack POSTs for a request of
// the type ("events_api", "slash_commands" or "interactive") carrying the
// payload a socket-mode envelope would carry.
func HTTPBody(typ string, payload json.RawMessage) ([]byte, string) {
	switch typ {
	case "slash_commands":
		var fields map[string]any
		if json.Unmarshal(payload, &fields) != nil {
			return payload, "application/x-www-form-urlencoded"
		}
		form := url.Values{}
		for k, v := range fields {
			if str, ok := v.(string); ok {
				form.Set(k, str)
			} else {
				raw, _ := json.Marshal(v)
				form.Set(k, string(raw))
			}
		}
		return []byte(form.Encode()), "application/x-www-form-urlencoded"
	case "interactive":
		return []byte(url.Values{"payload": {string(payload)}}.Encode()), "application/x-www-form-urlencoded"
	}
	return payload, "application/json"
}

// SetEventsURL sets (or changes) the request URL of HTTP delivery, for a
// bot whose listener starts after the fake.
func (s *Server) SetEventsURL(u string) { s.eventsURL.Store(&u) }

// post queues a delivery for the senders.
func (s *Server) post(r httpReq) {
	select {
	case <-s.stopping:
	case s.posts <- r:
	}
}

func (s *Server) sendPosts() {
	for {
		select {
		case <-s.stopping:
			return
		case r := <-s.posts:
			s.deliver(r)
		}
	}
}

// deliver POSTs one request and records the ack, or schedules the next
// attempt.
func (s *Server) deliver(r httpReq) {
	body, ctype := HTTPBody(r.typ, r.payload)
	now := time.Now()
	req, err := http.NewRequest(http.MethodPost, *s.eventsURL.Load(), bytes.NewReader(body))
	if err != nil {
		s.log.Warn("fakeslack: bad EventsURL", "error", err)
		return
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(now.Unix(), 10))
	req.Header.Set("X-Slack-Signature", Sign(s.opts.SigningSecret, now.Unix(), body))
	if r.attempt > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(r.attempt))
		req.Header.Set("X-Slack-Retry-Reason", r.reason)
	}
	s.mu.Lock()
	s.sentAt[r.id] = now
	s.mu.Unlock()
	resp, err := s.httpc.Do(req)
	reason := "http_error"
	if err == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			s.recordAck(r.id, nil)
			return
		}
		s.log.Debug("fakeslack: request refused", "id", r.id, "status", resp.StatusCode)
	} else {
		if ue, ok := err.(*url.Error); ok && ue.Timeout() {
			reason = "http_timeout"
		}
		s.log.Debug("fakeslack: request failed", "id", r.id, "error", err)
	}
	s.mu.Lock()
	delete(s.sentAt, r.id)
	s.failedPosts++
	s.notifyLocked()
	s.mu.Unlock()
	if r.attempt >= maxRedeliveries {
		s.log.Warn("fakeslack: request given up after 3 retries", "id", r.id)
		return
	}
	next := r
	next.attempt++
	next.reason = reason
	next.id = s.envelopeID()
	if next.origin == "" {
		next.origin = r.id
	}
	s.mu.Lock()
	s.redelivered[next.origin] = append(s.redelivered[next.origin], next.id)
	s.mu.Unlock()
	s.keep(next.id, replayable{typ: r.typ, payload: r.payload, attempt: next.attempt, origin: next.origin})
	time.AfterFunc(s.opts.HTTPRetryWait, func() { s.post(next) })
}

// recordAck records the ack of a delivery (a frame on the socket, a 200
// over HTTP).
func (s *Server) recordAck(id string, payload json.RawMessage) {
	now := time.Now()
	s.mu.Lock()
	sent := s.sentAt[id]
	delete(s.sentAt, id)
	s.acks = append(s.acks, Ack{EnvelopeID: id, Time: now, SentAt: sent, Payload: payload})
	s.acked[id] = true
	s.notifyLocked()
	s.mu.Unlock()
}

// FailedPosts returns how many HTTP deliveries got no 200 (each is sent
// again, up to 3 times).
func (s *Server) FailedPosts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failedPosts
}

// VerifyURL sends the url_verification request Slack sends when a request
// URL is saved in the app's settings, and reports whether the answer
// echoes the challenge.
func (s *Server) VerifyURL(ctx context.Context) error {
	challenge := fmt.Sprintf("challenge-%d", s.next())
	body, _ := json.Marshal(map[string]string{
		"token": "fakeVerificationToken", "challenge": challenge, "type": "url_verification",
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, *s.eventsURL.Load(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	now := time.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(now, 10))
	req.Header.Set("X-Slack-Signature", Sign(s.opts.SigningSecret, now, body))
	resp, err := s.httpc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK || string(got) != challenge {
		return fmt.Errorf("url_verification answered %d %q, want 200 %q", resp.StatusCode, got, challenge)
	}
	return nil
}

// SigningSecret is the secret the fake signs HTTP deliveries with; "" for
// a fake that delivers over the socket.
func (s *Server) SigningSecret() string { return s.opts.SigningSecret }
