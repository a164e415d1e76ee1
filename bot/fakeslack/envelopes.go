package fakeslack

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Message is a message as Slack describes it in message and app_mention
// events. Empty fields get defaults: DefaultChannel, channel type
// "channel", DefaultUser, a fresh TS.
type Message struct {
	// Team is the workspace the message is from; Options.TeamID when
	// empty.
	Team        string
	Channel     string
	ChannelType string // "channel", "group", "im", "mpim"
	User        string
	BotID       string // set for messages posted by bots
	Text        string
	TS          string
	ThreadTS    string
	SubType     string // "bot_message", "thread_broadcast", ...; "file_share" when Files are set
	Files       []string
	// Shared is the text of a message this one forwards (Slack's
	// "Forward message"), sent as Slack does: an attachment with
	// is_share, the forwarding comment being Text.
	Shared string
}

// Slash is a slash command invocation.
type Slash struct {
	Command, Text, User, Channel string // "/smtp" and defaults when empty
	Team                         string // Options.TeamID when empty
}

// Shortcut is a message shortcut used on a message.
type Shortcut struct {
	CallbackID string // "explain_codes" when empty
	User       string
	Team       string  // Options.TeamID when empty
	Message    Message // the message the shortcut was used on
}

// Action is a click on a button (or a choice in a select) of a message.
type Action struct {
	ActionID, BlockID, Value string
	User, Channel            string
	Team                     string // Options.TeamID when empty
	MessageTS, ThreadTS      string
	Ephemeral                bool // the message holding the button is ephemeral
	Select                   bool // a static_select choice rather than a button
}

// replayable is what Resend needs to send an envelope again.
type replayable struct {
	typ     string
	payload json.RawMessage
	attempt int
	origin  string // the first envelope's id
}

const maxReplayable = 10000

// maxRedeliveries is how often Slack sends an envelope again when it was
// not acked.
const maxRedeliveries = 3

// envelope writes a Socket Mode envelope and returns its id.
func (s *Server) envelope(typ string, payload any, acceptsResponse bool) string {
	raw, err := json.Marshal(payload)
	if err != nil {
		panic(fmt.Sprintf("fakeslack: marshal %s payload: %v", typ, err))
	}
	id := s.envelopeID()
	s.keep(id, replayable{typ: typ, payload: raw})
	s.send(id, typ, raw, acceptsResponse, 0, "")
	return id
}

func (s *Server) envelopeID() string {
	n := s.next()
	return fmt.Sprintf("e%07x-fa4e-4c1a-9d2b-%012x", n&0xfffffff, n)
}

func (s *Server) keep(id string, r replayable) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opts.Lean {
		// Kept only until acked, for RedeliverAfter and DuplicateEvery:
		// the memory follows the envelopes in flight.
		if s.opts.RedeliverAfter > 0 || s.opts.DuplicateEvery > 0 {
			s.replay[id] = r
		}
		return
	}
	s.replay[id] = r
	s.replayQ = append(s.replayQ, id)
	if len(s.replayQ) > maxReplayable {
		delete(s.replay, s.replayQ[0])
		s.replayQ = s.replayQ[1:]
	}
}

// send queues an envelope for the socket. The frame is put together by
// hand: json.Marshal would compact the payload, already compact, again,
// which cost a fifth of the fake's time under load.
func (s *Server) send(id, typ string, payload json.RawMessage, acceptsResponse bool, attempt int, reason string) {
	if s.posts != nil {
		s.post(httpReq{id: id, typ: typ, payload: payload, attempt: attempt, reason: reason})
		return
	}
	data := make([]byte, 0, len(payload)+192)
	data = append(data, `{"envelope_id":`...)
	data = appendString(data, id)
	data = append(data, `,"payload":`...)
	data = append(data, payload...)
	data = append(data, `,"type":`...)
	data = appendString(data, typ)
	data = append(data, `,"accepts_response_payload":`...)
	data = strconv.AppendBool(data, acceptsResponse)
	data = append(data, `,"retry_attempt":`...)
	data = strconv.AppendInt(data, int64(attempt), 10)
	data = append(data, `,"retry_reason":`...)
	data = appendString(data, reason)
	data = append(data, '}')
	s.out <- frame{envelopeID: id, data: data}
	if attempt == 0 && s.opts.DuplicateEvery > 0 && s.sent.Add(1)%int64(s.opts.DuplicateEvery) == 0 {
		// A copy under a new envelope id, acked or not, as a retrying
		// load balancer or a Slack retry after a lost ack sends it.
		s.Resend(id)
	}
}

// appendString appends s as a JSON string.
func appendString(data []byte, s string) []byte {
	q, _ := json.Marshal(s)
	return append(data, q...)
}

// Resend delivers an envelope again under a new envelope id, with the same
// payload (for events, the same event_id) and retry_attempt one higher, as
// Slack does when an ack does not arrive in time. It returns the new id, or
// "" when the envelope is unknown (or too old to be kept).
func (s *Server) Resend(envelopeID string) string {
	s.mu.Lock()
	r, ok := s.replay[envelopeID]
	s.mu.Unlock()
	if !ok {
		return ""
	}
	r.attempt++
	if r.origin == "" {
		r.origin = envelopeID
	}
	id := s.envelopeID()
	s.mu.Lock()
	s.redelivered[r.origin] = append(s.redelivered[r.origin], id)
	s.mu.Unlock()
	s.keep(id, r)
	s.send(id, r.typ, r.payload, r.typ != "events_api", r.attempt, "timeout")
	return id
}

// Redeliveries returns the ids under which the envelope was sent again
// (by Resend, or by Options.RedeliverAfter), oldest first.
func (s *Server) Redeliveries(envelopeID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.redelivered[envelopeID]...)
}

// SendPayload sends an envelope of the given type with the payload as it
// is, which may be one slack-go cannot decode; unlike SendRaw, Resend and
// RedeliverAfter can send it again. It returns the envelope id.
func (s *Server) SendPayload(typ string, payload json.RawMessage) string {
	id := s.envelopeID()
	s.keep(id, replayable{typ: typ, payload: append(json.RawMessage(nil), payload...)})
	s.send(id, typ, payload, typ != "events_api", 0, "")
	return id
}

// redeliver sends the envelope again if it is still not acked, as Slack
// does, up to maxRedeliveries times.
func (s *Server) redeliver(envelopeID string) {
	select {
	case <-s.stopping:
		return
	default:
	}
	s.mu.Lock()
	r, ok := s.replay[envelopeID]
	acked := s.acked[envelopeID]
	s.mu.Unlock()
	if !ok || acked || r.attempt >= maxRedeliveries {
		return
	}
	s.Resend(envelopeID)
}

// SendEvent wraps an inner Events API event (any value that marshals to
// the event's JSON, with its "type") in an event_callback with a fresh
// event_id, and sends it.
func (s *Server) SendEvent(inner any) string { return s.sendEventFor("", inner) }

// sendEventFor is SendEvent for an event from the team ("": the fake's
// own).
func (s *Server) sendEventFor(team string, inner any) string {
	now := time.Now()
	if s.opts.Now != nil {
		now = s.opts.Now()
	}
	t := s.teamOf(team)
	return s.envelope("events_api", map[string]any{
		"token":         "fakeVerificationToken",
		"team_id":       t.ID,
		"enterprise_id": enterpriseOrNil(t),
		"api_app_id":    s.opts.AppID,
		"event":         inner,
		"type":          "event_callback",
		"event_id":      s.newID("Ev"),
		"event_time":    now.Unix(),
		"authorizations": []map[string]any{{
			"enterprise_id": enterpriseOrNil(t), "team_id": t.ID, "user_id": t.BotUserID,
			"is_bot": true, "is_enterprise_install": t.OrgWide && t.EnterpriseID != "",
		}},
		"is_ext_shared_channel": false,
		"event_context":         "4-fake",
	}, false)
}

func (s *Server) fillMessage(m Message) Message {
	m.Channel = or(m.Channel, DefaultChannel)
	m.ChannelType = or(m.ChannelType, "channel")
	if m.User == "" && m.BotID == "" {
		m.User = DefaultUser
	}
	m.TS = or(m.TS, s.NextTS())
	if len(m.Files) > 0 && m.SubType == "" {
		m.SubType = "file_share"
	}
	return m
}

func (s *Server) messageJSON(typ string, m Message) map[string]any {
	ev := map[string]any{
		"type": typ, "text": m.Text, "ts": m.TS, "event_ts": m.TS,
		"channel": m.Channel, "team": s.teamOf(m.Team).ID,
	}
	if typ == "message" {
		ev["channel_type"] = m.ChannelType
	}
	if m.User != "" {
		ev["user"] = m.User
	}
	if m.BotID != "" {
		ev["bot_id"] = m.BotID
	}
	if m.ThreadTS != "" {
		ev["thread_ts"] = m.ThreadTS
	}
	if m.SubType != "" {
		ev["subtype"] = m.SubType
	}
	if m.SubType == "" && m.BotID == "" {
		n := s.next()
		ev["client_msg_id"] = fmt.Sprintf("c%07x-0000-4000-8000-%012x", n&0xfffffff, n)
		ev["blocks"] = []any{map[string]any{"type": "rich_text", "block_id": "b1", "elements": []any{
			map[string]any{"type": "rich_text_section", "elements": []any{map[string]any{"type": "text", "text": m.Text}}},
		}}}
	}
	if m.Shared != "" {
		ev["attachments"] = []any{map[string]any{
			"id": 1, "is_share": true, "is_msg_unfurl": true, "text": m.Shared, "fallback": "[shared] " + m.Shared,
			"author_id": "U0OTHER001", "channel_id": "C0OTHER001", "ts": s.NextTS(), "mrkdwn_in": []any{"text"},
		}}
	}
	if len(m.Files) > 0 {
		var files []any
		s.stateMu.Lock()
		for _, id := range m.Files {
			if f, ok := s.files[id]; ok {
				files = append(files, s.fileJSON(f))
			} else {
				files = append(files, map[string]any{"id": id, "mode": "hidden_by_limit"})
			}
		}
		s.stateMu.Unlock()
		ev["files"] = files
		ev["upload"] = false
	}
	return ev
}

// SendMessage sends a message event (and keeps the message in the channel's
// history). It returns the envelope id.
func (s *Server) SendMessage(m Message) string {
	m = s.fillMessage(m)
	if !s.opts.Lean {
		s.remember(m.Channel, histMsg{TS: m.TS, ThreadTS: m.ThreadTS, User: m.User, BotID: m.BotID, Text: m.Text})
	}
	return s.sendEventFor(m.Team, s.messageJSON("message", m))
}

// SendMention sends an app_mention event for the message. Slack sends one
// besides the message event when a message in a channel mentions the bot;
// to mimic that, send both with the same TS.
func (s *Server) SendMention(m Message) string {
	m = s.fillMessage(m)
	ev := s.messageJSON("app_mention", m)
	delete(ev, "subtype")
	return s.sendEventFor(m.Team, ev)
}

// SendHomeOpened sends app_home_opened for the user's Home tab.
func (s *Server) SendHomeOpened(user string) string {
	return s.SendEvent(map[string]any{
		"type": "app_home_opened", "user": or(user, DefaultUser), "channel": "D0FAKE0001",
		"tab": "home", "event_ts": s.NextTS(),
	})
}

func (s *Server) team(id string) map[string]any {
	return map[string]any{"id": s.teamOf(id).ID, "domain": "fake"}
}

func (s *Server) user(id, team string) map[string]any {
	id = or(id, DefaultUser)
	return map[string]any{"id": id, "username": "user" + id, "name": "user" + id, "team_id": s.teamOf(team).ID}
}

// SendSlash sends a slash command. Its response URL is
// ResponseURLFor(the returned envelope id).
func (s *Server) SendSlash(c Slash) string {
	id := s.envelopeID()
	payload := map[string]any{
		"token": "fakeVerificationToken", "team_id": s.teamOf(c.Team).ID, "team_domain": "fake",
		"channel_id": or(c.Channel, DefaultChannel), "channel_name": "bounces",
		"user_id": or(c.User, DefaultUser), "user_name": "user",
		"command": or(c.Command, "/smtp"), "text": c.Text,
		"api_app_id": s.opts.AppID, "is_enterprise_install": strconv.FormatBool(s.teamOf(c.Team).OrgWide),
		"response_url": s.ResponseURLFor(id), "trigger_id": s.newID("trigger."),
		"enterprise_id": s.teamOf(c.Team).EnterpriseID,
	}
	return s.sendWithID(id, "slash_commands", payload, true)
}

func (s *Server) sendWithID(id, typ string, payload any, acceptsResponse bool) string {
	raw, err := json.Marshal(payload)
	if err != nil {
		panic(fmt.Sprintf("fakeslack: marshal %s payload: %v", typ, err))
	}
	s.keep(id, replayable{typ: typ, payload: raw})
	s.send(id, typ, raw, acceptsResponse, 0, "")
	return id
}

// SendShortcut sends a message shortcut (type message_action) used on
// sc.Message. Its response URL is ResponseURLFor(the returned envelope id).
func (s *Server) SendShortcut(sc Shortcut) string {
	id := s.envelopeID()
	m := s.fillMessage(sc.Message)
	msg := map[string]any{"type": "message", "text": m.Text, "ts": m.TS}
	if m.User != "" {
		msg["user"] = m.User
	}
	if m.BotID != "" {
		msg["bot_id"] = m.BotID
	}
	if m.ThreadTS != "" {
		msg["thread_ts"] = m.ThreadTS
	}
	if len(m.Files) > 0 {
		msg["files"] = s.messageJSON("message", m)["files"]
	}
	payload := map[string]any{
		"type": "message_action", "token": "fakeVerificationToken", "action_ts": s.NextTS(),
		"team": s.team(sc.Team), "user": s.user(sc.User, sc.Team),
		"channel":               map[string]any{"id": m.Channel, "name": "bounces"},
		"is_enterprise_install": false, "enterprise": nil,
		"callback_id":  or(sc.CallbackID, "explain_codes"),
		"trigger_id":   s.newID("trigger."),
		"response_url": s.ResponseURLFor(id),
		"message_ts":   m.TS,
		"message":      msg,
	}
	return s.sendWithID(id, "interactive", payload, true)
}

// SendAction sends block_actions for a click on a button (or a select).
// Its response URL is ResponseURLFor(the returned envelope id).
func (s *Server) SendAction(a Action) string {
	id := s.envelopeID()
	channel := or(a.Channel, DefaultChannel)
	msgTS := or(a.MessageTS, s.NextTS())
	container := map[string]any{"type": "message", "message_ts": msgTS, "channel_id": channel, "is_ephemeral": a.Ephemeral}
	if a.ThreadTS != "" {
		container["thread_ts"] = a.ThreadTS
	}
	act := map[string]any{
		"action_id": a.ActionID, "block_id": or(a.BlockID, "b1"), "action_ts": s.NextTS(),
	}
	if a.Select {
		act["type"] = "static_select"
		act["selected_option"] = map[string]any{
			"text": map[string]any{"type": "plain_text", "text": a.Value}, "value": a.Value,
		}
	} else {
		act["type"] = "button"
		act["text"] = map[string]any{"type": "plain_text", "text": "Button"}
		act["value"] = a.Value
	}
	payload := map[string]any{
		"type": "block_actions", "user": s.user(a.User, a.Team), "api_app_id": s.opts.AppID,
		"token": "fakeVerificationToken", "container": container,
		"trigger_id": s.newID("trigger."), "team": s.team(a.Team), "enterprise": nil,
		"is_enterprise_install": false,
		"channel":               map[string]any{"id": channel, "name": "bounces"},
		"state":                 map[string]any{"values": map[string]any{}},
		"response_url":          s.ResponseURLFor(id),
		"actions":               []any{act},
	}
	if !a.Ephemeral {
		payload["message"] = map[string]any{
			"type": "message", "ts": msgTS, "text": "explanation", "user": s.opts.BotUserID, "bot_id": s.opts.BotID,
		}
	}
	return s.sendWithID(id, "interactive", payload, true)
}
