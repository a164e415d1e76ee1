package fakeslack

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// frame is one websocket message waiting to be written.
type frame struct {
	envelopeID string // "" for frames that need no ack (disconnect, raw)
	data       []byte
	disconnect bool // the connection stops taking frames after this one
}

type wsConn struct {
	c        *websocket.Conn
	done     chan struct{}
	doneOnce sync.Once
}

func (c *wsConn) close() {
	c.doneOnce.Do(func() { close(c.done) })
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
	conn := &wsConn{c: c, done: make(chan struct{})}
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
	if err := c.WriteMessage(websocket.TextMessage, hello); err != nil {
		s.dropConn(conn)
		return
	}
	s.log.Debug("fakeslack: connected", "connection", n)
	go s.readAcks(conn)
	s.writeFrames(conn)
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
		if f.envelopeID != "" {
			s.mu.Lock()
			s.sentAt[f.envelopeID] = time.Now()
			s.mu.Unlock()
		}
		_ = conn.c.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err := conn.c.WriteMessage(websocket.TextMessage, f.data); err != nil {
			// Hand the frame to the next connection, as Slack would
			// redeliver an envelope that was never acked.
			select {
			case s.retry <- f:
			default:
				s.log.Warn("fakeslack: frame lost", "envelope_id", f.envelopeID)
			}
			s.dropConn(conn)
			return false
		}
		if f.disconnect {
			// Stop taking frames: later ones go to the next connection.
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
		case f := <-s.retry:
			if !write(f) {
				return
			}
		case f := <-s.out:
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
