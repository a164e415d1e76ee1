package fakeslack

import (
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// frame is one websocket message waiting to be written.
type frame struct {
	envelopeID string // "" for frames that need no ack (disconnect, raw)
	data       []byte
	disconnect bool // the connection stops taking frames after this one
	failed     int  // writes of this frame that failed
}

type wsConn struct {
	c *websocket.Conn
	// in holds the frames the dispatcher gave this connection, in turn
	// with the others.
	in       chan frame
	done     chan struct{}
	doneOnce sync.Once
	// stalled: what the client writes is lost; stall tells the writer to
	// go silent.
	stalled   atomic.Bool
	stall     chan struct{}
	stallOnce sync.Once
}

func (c *wsConn) close() {
	c.doneOnce.Do(func() { close(c.done) })
}

func (c *wsConn) goSilent() {
	c.stalled.Store(true)
	c.stallOnce.Do(func() { close(c.stall) })
}

var upgrader = websocket.Upgrader{
	ReadBufferSize:  32 << 10,
	WriteBufferSize: 32 << 10,
	CheckOrigin:     func(*http.Request) bool { return true },
}

// serveWS is Socket Mode's websocket: hello, then envelopes from the queue,
// pings every PingInterval, and acks read back.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.log.Warn("fakeslack: upgrade", "error", err)
		return
	}
	conn := &wsConn{c: c, in: make(chan frame, connQueue), done: make(chan struct{}), stall: make(chan struct{})}
	if s.takeRefusal() {
		s.refuseConn(c)
		return
	}
	s.connMu.Lock()
	select {
	case <-s.stopping:
		s.connMu.Unlock()
		_ = c.Close()
		return
	default:
	}
	s.conns[conn] = struct{}{}
	s.connMu.Unlock()
	s.mu.Lock()
	s.opened++
	n := s.opened
	s.notifyLocked()
	s.mu.Unlock()

	hello, _ := json.Marshal(map[string]any{
		"type": "hello", "num_connections": 1,
		"debug_info":      map[string]any{"host": "applink-fake", "build_number": 1, "approximate_connection_time": 18060},
		"connection_info": map[string]any{"app_id": s.opts.AppID},
	})
	// In the turn from the hello on: a client that read its hello gets
	// its share of what is sent after.
	s.connMu.Lock()
	s.order = append(s.order, conn)
	s.connMu.Unlock()
	if err := c.WriteMessage(websocket.TextMessage, hello); err != nil {
		s.dropConn(conn)
		s.retire(conn)
		return
	}
	s.log.Debug("fakeslack: connected", "connection", n)
	go s.readAcks(conn)
	s.writeFrames(conn)
	s.retire(conn)
}

// connQueue is how many frames one connection holds for writing.
const connQueue = 1024

// dispatch hands the envelopes to the open connections in turn, as Slack
// spreads an app's envelopes over its connections (up to 10). A frame
// waits while there is no connection to take it.
func (s *Server) dispatch() {
	for {
		var f frame
		select {
		case <-s.stopping:
			return
		case f = <-s.out:
		}
		for !s.handOut(f) {
			select {
			case <-s.stopping:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}
}

// handOut gives f to the next connection in turn that has room.
func (s *Server) handOut(f frame) bool {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	for range s.order {
		s.turn = (s.turn + 1) % len(s.order)
		select {
		case s.order[s.turn].in <- f:
			return true
		default:
		}
	}
	return false
}

// retire takes a connection out of the turn once it writes no more, and
// passes the frames it still held to the others.
func (s *Server) retire(conn *wsConn) {
	s.connMu.Lock()
	for i, c := range s.order {
		if c == conn {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
	s.connMu.Unlock()
	for {
		select {
		case f := <-conn.in:
			select {
			case s.retry <- f:
			default:
				go func() {
					select {
					case s.out <- f:
					case <-s.stopping:
					}
				}()
			}
		default:
			return
		}
	}
}

func (s *Server) dropConn(conn *wsConn) {
	conn.close()
	_ = conn.c.Close()
	s.connMu.Lock()
	delete(s.conns, conn)
	s.connMu.Unlock()
}

func (s *Server) readAcks(conn *wsConn) {
	defer s.dropConn(conn)
	for {
		_, data, err := conn.c.ReadMessage()
		if err != nil {
			return
		}
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if conn.stalled.Load() {
			continue // lost on the dead path
		}
		if json.Unmarshal(data, &ack) != nil || ack.EnvelopeID == "" {
			s.log.Warn("fakeslack: unreadable message from client")
			continue
		}
		now := time.Now()
		s.mu.Lock()
		sent := s.sentAt[ack.EnvelopeID]
		delete(s.sentAt, ack.EnvelopeID)
		s.acks = append(s.acks, Ack{EnvelopeID: ack.EnvelopeID, Time: now, SentAt: sent, Payload: ack.Payload})
		s.acked[ack.EnvelopeID] = true
		if s.opts.Lean {
			delete(s.replay, ack.EnvelopeID)
		}
		s.notifyLocked()
		s.mu.Unlock()
	}
}

// writeFrames is the connection's only writer of data frames (gorilla's
// writes are not concurrent); pings are control frames, allowed alongside.
func (s *Server) writeFrames(conn *wsConn) {
	var tick <-chan time.Time
	if s.opts.PingInterval > 0 {
		t := time.NewTicker(s.opts.PingInterval)
		defer t.Stop()
		tick = t.C
	}
	write := func(f frame) bool {
		last := s.stallNext.CompareAndSwap(true, false)
		if last {
			// From now on the client's acks are lost, this frame's too.
			conn.stalled.Store(true)
		}
		if f.envelopeID != "" {
			s.mu.Lock()
			s.sentAt[f.envelopeID] = time.Now()
			s.mu.Unlock()
			if d := s.opts.RedeliverAfter; d > 0 && f.failed == 0 {
				id := f.envelopeID
				time.AfterFunc(d, func() { s.redeliver(id) })
			}
		}
		_ = conn.c.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err := conn.c.WriteMessage(websocket.TextMessage, f.data); err != nil {
			// Hand the frame to the next connection, as Slack would
			// redeliver an envelope that was never acked, and give up
			// as Slack does after 3 tries (a frame that kills every
			// socket it is written to must not block the queue).
			f.failed++
			switch {
			case f.envelopeID != "" && s.opts.RedeliverAfter > 0:
				// Unacked, it comes again after RedeliverAfter.
			case f.failed > maxRedeliveries:
				s.log.Warn("fakeslack: frame given up", "envelope_id", f.envelopeID)
			default:
				select {
				case s.retry <- f:
				default:
					s.log.Warn("fakeslack: frame lost", "envelope_id", f.envelopeID)
				}
			}
			s.dropConn(conn)
			return false
		}
		if f.disconnect {
			// Stop taking frames: later ones go to the next connection.
			return false
		}
		if last {
			conn.goSilent()
			return false
		}
		return true
	}
	for {
		// Frames a dead connection could not write go first.
		select {
		case f := <-s.retry:
			if !write(f) {
				return
			}
			continue
		default:
		}
		select {
		case <-conn.done:
			return
		case <-conn.stall:
			// Silent from now on; the connection stays open until the
			// client closes it.
			return
		case f := <-s.retry:
			if !write(f) {
				return
			}
		case f := <-conn.in:
			if !write(f) {
				return
			}
		case <-tick:
			if err := conn.c.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(5*time.Second)); err != nil {
				s.dropConn(conn)
				return
			}
		}
	}
}

// DropConnection closes every open websocket abruptly, without a close
// frame, as a network failure would. Queued envelopes wait for the next
// connection.
func (s *Server) DropConnection() {
	s.connMu.Lock()
	conns := make([]*wsConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.connMu.Unlock()
	for _, c := range conns {
		c.close()
		_ = c.c.NetConn().Close()
		s.connMu.Lock()
		delete(s.conns, c)
		s.connMu.Unlock()
	}
}

// Stall makes every open connection go silent without closing, as a NAT
// or proxy that dropped the path does: the fake writes no more pings or
// envelopes on it, and what the client writes there is lost. Envelopes
// sent meanwhile wait for the next connection. Only the client's own ping
// deadline can notice.
func (s *Server) Stall() {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	for c := range s.conns {
		c.goSilent()
	}
}

// StallAfterNext lets the next envelope (or other frame) through and then
// stalls that connection as Stall does: the client gets the envelope, but
// its ack, like everything it writes after, is lost. With RedeliverAfter,
// the envelope then comes again on the next connection, as it would from
// Slack.
func (s *Server) StallAfterNext() { s.stallNext.Store(true) }

// RefuseConnections makes the next n websocket connections get
// {"type":"disconnect","reason":"too_many_websockets"} in place of the
// hello, as Slack does past 10 connections of one app; the fake then closes
// them. They do not count in Connections. (To refuse at
// apps.connections.open instead, use FailNext with "too_many_websockets".)
func (s *Server) RefuseConnections(n int) { s.refuse.Add(int64(n)) }

// Refused returns how many connections RefuseConnections refused so far.
func (s *Server) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

func (s *Server) takeRefusal() bool {
	for {
		n := s.refuse.Load()
		if n <= 0 {
			return false
		}
		if s.refuse.CompareAndSwap(n, n-1) {
			return true
		}
	}
}

// refuseConn writes the refusal, waits a moment for the client to close,
// and closes.
func (s *Server) refuseConn(c *websocket.Conn) {
	s.mu.Lock()
	s.refused++
	s.notifyLocked()
	s.mu.Unlock()
	data, _ := json.Marshal(map[string]any{
		"type": "disconnect", "reason": "too_many_websockets",
		"debug_info": map[string]any{"host": "applink-fake"},
	})
	_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if c.WriteMessage(websocket.TextMessage, data) == nil {
		_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				break
			}
		}
	}
	_ = c.Close()
}

// SendDisconnect asks the client to reconnect, as Slack does before it
// recycles a connection: {"type":"disconnect","reason":"refresh_requested"}.
// The connection that writes it takes no further envelopes.
func (s *Server) SendDisconnect() {
	data, _ := json.Marshal(map[string]any{
		"type": "disconnect", "reason": "refresh_requested",
		"debug_info": map[string]any{"host": "applink-fake"},
	})
	s.out <- frame{data: data, disconnect: true}
}

// SendRaw writes a frame as it is (for malformed envelopes). If it carries
// an envelope id, pass it to have the send time recorded.
func (s *Server) SendRaw(envelopeID string, data []byte) {
	s.out <- frame{envelopeID: envelopeID, data: append([]byte(nil), data...)}
}
