// Package dnstest serves DNS zones written for tests on loopback: an
// in-process authoritative server (github.com/miekg/dns) answering over UDP
// and TCP on one port, so diagnoses run with no internet. It also serves a
// resolver that never answers, to test timeouts.
package dnstest

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"
)

// Server answers queries from zone data. Names that are not in the data
// get NXDOMAIN; "*.zone" records answer every name under the zone that
// has no records of its own. UDP answers are truncated to the size the
// query allows, so clients retry over TCP.
type Server struct {
	// Addr is the server's "127.0.0.1:port", for UDP and TCP alike.
	Addr    string
	records map[string][]dns.RR // by lower-case FQDN owner
	udp     *dns.Server
	tcp     *dns.Server
	queries atomic.Int64
	delay   atomic.Int64 // per answer, in nanoseconds
	mu      sync.Mutex
	names   []string
	types   map[uint16]int
}

// Start serves zone, written in the master-file format of RFC 1035 ($ORIGIN
// and $TTL work; relative names need an $ORIGIN).
func Start(zone string) (*Server, error) {
	s := &Server{records: map[string][]dns.RR{}}
	zp := dns.NewZoneParser(strings.NewReader(zone), ".", "fixture")
	zp.SetIncludeAllowed(false)
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		name := strings.ToLower(rr.Header().Name)
		s.records[name] = append(s.records[name], rr)
	}
	if err := zp.Err(); err != nil {
		return nil, fmt.Errorf("dnstest: %w", err)
	}
	return s, s.listen(dns.HandlerFunc(s.serve))
}

// Silent starts a "resolver" that reads every query and never answers, as
// an unreachable or overloaded one does: every lookup to it times out.
func Silent() (*Server, error) {
	s := &Server{}
	return s, s.listen(dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		s.queries.Add(1)
		// No answer; for TCP, hold the connection until the client
		// gives up rather than closing it, which would be an answer of
		// sorts.
	}))
}

// Refusing starts a resolver that answers every query with REFUSED, as one
// that does not recurse for this client does.
func Refusing() (*Server, error) {
	s := &Server{}
	return s, s.listen(dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		s.queries.Add(1)
		m := new(dns.Msg)
		m.SetRcode(r, dns.RcodeRefused)
		w.WriteMsg(m)
	}))
}

// listen binds UDP and TCP on the same loopback port.
func (s *Server) listen(h dns.Handler) error {
	var lastErr error
	for range 20 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("dnstest: %w", err)
		}
		addr := pc.LocalAddr().String()
		l, err := net.Listen("tcp", addr)
		if err != nil {
			pc.Close()
			lastErr = err
			continue
		}
		s.Addr = addr
		s.udp = &dns.Server{PacketConn: pc, Handler: h}
		s.tcp = &dns.Server{Listener: l, Handler: h}
		started := make(chan struct{}, 2)
		s.udp.NotifyStartedFunc = func() { started <- struct{}{} }
		s.tcp.NotifyStartedFunc = func() { started <- struct{}{} }
		go s.udp.ActivateAndServe()
		go s.tcp.ActivateAndServe()
		<-started
		<-started
		return nil
	}
	return fmt.Errorf("dnstest: no free port for UDP and TCP: %w", lastErr)
}

// Close stops the server.
func (s *Server) Close() error {
	return errors.Join(s.udp.Shutdown(), s.tcp.Shutdown())
}

// Queries returns how many queries the server has received.
func (s *Server) Queries() int64 { return s.queries.Load() }

// SetDelay holds every answer from now on for d before sending it, as a
// slow or distant resolver does; queries in flight at once are each held
// d, not one after the other. Zero answers at once.
func (s *Server) SetDelay(d time.Duration) { s.delay.Store(int64(d)) }

// QueriesOf returns how many queries for records of qtype (dns.TypeA,
// dns.TypeAAAA, ...) the server has received.
func (s *Server) QueriesOf(qtype uint16) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.types[qtype]
}

// Names returns every name queried so far, in order.
func (s *Server) Names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.names...)
}

func (s *Server) serve(w dns.ResponseWriter, r *dns.Msg) {
	s.queries.Add(1)
	if len(r.Question) > 0 {
		s.mu.Lock()
		s.names = append(s.names, r.Question[0].Name)
		if s.types == nil {
			s.types = map[uint16]int{}
		}
		s.types[r.Question[0].Qtype]++
		s.mu.Unlock()
	}
	if d := time.Duration(s.delay.Load()); d > 0 {
		time.Sleep(d)
	}
	m := new(dns.Msg)
	m.SetReply(r)
	m.Authoritative = true
	if len(r.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		w.WriteMsg(m)
		return
	}
	q := r.Question[0]
	name := strings.ToLower(q.Name)
	rrs, exists := s.records[name]
	if !exists {
		rrs, exists = s.wildcard(name)
	}
	if !exists {
		m.Rcode = dns.RcodeNameError
	}
	for _, rr := range rrs {
		if rr.Header().Rrtype == q.Qtype {
			rr = dns.Copy(rr)
			rr.Header().Name = q.Name
			m.Answer = append(m.Answer, rr)
		}
	}
	if _, udp := w.RemoteAddr().(*net.UDPAddr); udp {
		size := dns.MinMsgSize
		if o := r.IsEdns0(); o != nil {
			size = int(o.UDPSize())
		}
		m.Truncate(size)
	}
	w.WriteMsg(m)
}

// wildcard finds the records of the closest "*.parent" above name.
func (s *Server) wildcard(name string) ([]dns.RR, bool) {
	labels := dns.SplitDomainName(name)
	for i := 1; i < len(labels); i++ {
		if rrs, ok := s.records["*."+dns.Fqdn(strings.Join(labels[i:], "."))]; ok {
			return rrs, true
		}
	}
	return nil, false
}
