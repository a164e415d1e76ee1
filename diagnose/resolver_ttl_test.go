package diagnose

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// scriptedReply is what scriptedDNS answers one name with.
type scriptedReply struct {
	rcode      int
	answer, ns []string // records in master-file form
}

// scriptedDNS answers each name with a fixed reply, SOA in the authority
// section included, which dnstest's zones do not give; it counts the
// queries it receives.
func scriptedDNS(t *testing.T, replies map[string]scriptedReply) (addr string, queries *atomic.Int64) {
	t.Helper()
	queries = new(atomic.Int64)
	parse := func(rrs []string) []dns.RR {
		var out []dns.RR
		for _, s := range rrs {
			rr, err := dns.NewRR(s)
			if err != nil {
				t.Fatalf("%q: %v", s, err)
			}
			out = append(out, rr)
		}
		return out
	}
	type reply struct {
		rcode      int
		answer, ns []dns.RR
	}
	parsed := map[string]reply{}
	for name, r := range replies {
		parsed[dns.Fqdn(name)] = reply{r.rcode, parse(r.answer), parse(r.ns)}
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, NotifyStartedFunc: func() { close(started) },
		Handler: dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
			queries.Add(1)
			m := new(dns.Msg)
			m.SetReply(r)
			rep, ok := parsed[strings.ToLower(r.Question[0].Name)]
			if ok {
				m.Rcode, m.Answer, m.Ns = rep.rcode, rep.answer, rep.ns
			} else {
				m.Rcode = dns.RcodeRefused
			}
			w.WriteMsg(m)
		})}
	go srv.ActivateAndServe()
	<-started
	t.Cleanup(func() { srv.Shutdown() })
	return pc.LocalAddr().String(), queries
}

const soa = " IN SOA ns.ttl.test. hostmaster.ttl.test. 1 7200 900 1209600 "

// The cache keeps an answer for its TTL (the shortest of its records'),
// a negative answer for the SOA's MINIMUM or the SOA's own TTL, whichever
// is shorter (RFC 2308, section 5), a minute when no SOA comes with it;
// never longer than an hour, and not at all for a TTL of 0.
func TestCacheTTL(t *testing.T) {
	tests := []struct {
		name  string
		reply scriptedReply
		want  time.Duration // how long the answer is kept; 0: not kept
		nx    bool
	}{
		{"a300.ttl.test", scriptedReply{answer: []string{"a300.ttl.test. 300 IN A 192.0.2.1"}}, 300 * time.Second, false},
		{"shortest.ttl.test", scriptedReply{answer: []string{
			"shortest.ttl.test. 300 IN A 192.0.2.1", "shortest.ttl.test. 60 IN A 192.0.2.2"}}, time.Minute, false},
		{"day.ttl.test", scriptedReply{answer: []string{"day.ttl.test. 86400 IN A 192.0.2.1"}}, time.Hour, false},
		{"zero.ttl.test", scriptedReply{answer: []string{"zero.ttl.test. 0 IN A 192.0.2.1"}}, 0, false},
		// An answer through a CNAME is good only as long as the CNAME is.
		{"alias.ttl.test", scriptedReply{answer: []string{
			"alias.ttl.test. 30 IN CNAME target.ttl.test.", "target.ttl.test. 300 IN A 192.0.2.1"}}, 30 * time.Second, false},
		{"nx-minimum.ttl.test", scriptedReply{rcode: dns.RcodeNameError, ns: []string{"ttl.test. 3600" + soa + "120"}}, 120 * time.Second, true},
		{"nx-soa-ttl.ttl.test", scriptedReply{rcode: dns.RcodeNameError, ns: []string{"ttl.test. 30" + soa + "900"}}, 30 * time.Second, true},
		{"nodata.ttl.test", scriptedReply{ns: []string{"ttl.test. 600" + soa + "300"}}, 300 * time.Second, false},
		{"nx-long.ttl.test", scriptedReply{rcode: dns.RcodeNameError, ns: []string{"ttl.test. 172800" + soa + "172800"}}, time.Hour, true},
		{"nx-no-soa.ttl.test", scriptedReply{rcode: dns.RcodeNameError}, time.Minute, true},
		{"nx-zero.ttl.test", scriptedReply{rcode: dns.RcodeNameError, ns: []string{"ttl.test. 3600" + soa + "0"}}, 0, true},
	}
	replies := map[string]scriptedReply{}
	for _, tt := range tests {
		replies[tt.name] = tt.reply
	}
	addr, queries := scriptedDNS(t, replies)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := NewResolver(addr, time.Second, 0)
			if err != nil {
				t.Fatal(err)
			}
			before := time.Now()
			a, err := res.query(context.Background(), tt.name, dns.TypeA)
			after := time.Now()
			if err != nil {
				t.Fatal(err)
			}
			if a.nxdomain != tt.nx {
				t.Errorf("nxdomain = %v, want %v", a.nxdomain, tt.nx)
			}
			items := res.cache.Items()
			if tt.want == 0 {
				if len(items) != 0 {
					t.Errorf("cached %d entries, want none", len(items))
				}
			} else {
				if len(items) != 1 {
					t.Fatalf("cached %d entries, want 1", len(items))
				}
				for _, it := range items {
					exp := time.Unix(0, it.Expiration)
					// go-cache sets the expiry between before and after;
					// a second either way allows for clock steps.
					if exp.Before(before.Add(tt.want-time.Second)) || exp.After(after.Add(tt.want+time.Second)) {
						t.Errorf("cached for %v, want %v", exp.Sub(before).Round(time.Second), tt.want)
					}
				}
			}
			// A kept answer is given again without asking; one not kept
			// is asked for again.
			n := queries.Load()
			again, err := res.query(context.Background(), tt.name, dns.TypeA)
			if err != nil {
				t.Fatal(err)
			}
			asked, want := queries.Load()-n, int64(0)
			if tt.want == 0 {
				want = 1
			}
			if asked != want {
				t.Errorf("second query sent %d queries, want %d", asked, want)
			}
			if again.nxdomain != a.nxdomain || len(again.rrs) != len(a.rrs) {
				t.Errorf("second answer %+v differs from first %+v", again, a)
			}
		})
	}
}

// An answer is asked for again once its TTL has passed, in real time.
func TestCacheExpires(t *testing.T) {
	addr, queries := scriptedDNS(t, map[string]scriptedReply{
		"short.ttl.test": {answer: []string{"short.ttl.test. 1 IN A 192.0.2.1"}},
	})
	res, err := NewResolver(addr, time.Second, 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	start := time.Now()
	if _, err := res.query(ctx, "short.ttl.test", dns.TypeA); err != nil {
		t.Fatal(err)
	}
	if _, err := res.query(ctx, "short.ttl.test", dns.TypeA); err != nil {
		t.Fatal(err)
	}
	// Only meaningful if the second query came within the TTL.
	if time.Since(start) < 900*time.Millisecond && queries.Load() != 1 {
		t.Errorf("within the TTL: %d queries sent, want 1", queries.Load())
	}
	time.Sleep(time.Until(start.Add(1100 * time.Millisecond)))
	a, err := res.query(ctx, "short.ttl.test", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	if queries.Load() != 2 || len(a.rrs) != 1 {
		t.Errorf("after the TTL: %d queries sent, %d records; want 2 queries, 1 record", queries.Load(), len(a.rrs))
	}
}
