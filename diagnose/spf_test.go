package diagnose

import (
	"context"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// A slow resolver (200 ms per answer) under the default bounds, 2 s per
// lookup and 3 s per diagnosis: the record that needs 11 lookups must
// still be found to need 11, not reported as "could not check". Waiting
// on its 14 queries one after the other (2.8 s) would not leave time for
// the evaluation.
func TestSPFSlowResolver(t *testing.T) {
	srv := startDNS(t)
	srv.SetDelay(200 * time.Millisecond)
	d, err := New(Config{Resolver: srv.Addr})
	if err != nil {
		t.Fatal(err)
	}
	r := d.Diagnose(context.Background(), FromBounce(readBounce(t, "spf-lookups.txt")))
	c, ok := find(r, CheckSPF)
	if !ok {
		t.Fatalf("no SPF check: %+v", r.Checks)
	}
	if c.Verdict != Fail || c.Detail.Key != "spf.too_many_lookups" || c.Detail.Arg("count") != "11" {
		t.Errorf("SPF = %s %v after %v, want fail spf.too_many_lookups with count 11", c.Verdict, c.Detail, r.Took)
	}
}

// RFC 7208 section 5.3: the a and mx mechanisms look up the addresses of
// the sending IP's family only. An IPv4 sender's evaluation asks for no
// AAAA record, and still finds the same result.
func TestSPFIPv4SenderAsksNoAAAA(t *testing.T) {
	srv := startDNS(t)
	d := newDiagnoser(t, Config{Resolver: srv.Addr})
	for _, tt := range []struct {
		domain, ip, key, count string
	}{
		{"spf-loop.test", "192.0.2.4", "spf.too_many_lookups", "11"},
		{"spf-loop.test", "203.0.113.3", "spf.pass", "11"}, // matched by a:h3, the 4th lookup
		{"spf-omit.test", "192.0.2.4", "spf.fail", "0"},
	} {
		cs := d.spf(context.Background(), tt.domain, netip.MustParseAddr(tt.ip))
		if len(cs) != 1 || cs[0].Detail.Key != tt.key || cs[0].Detail.Arg("count") != tt.count {
			t.Errorf("%s for %s: %+v, want %s with count %s", tt.domain, tt.ip, cs, tt.key, tt.count)
		}
	}
	if n := srv.QueriesOf(dns.TypeAAAA); n != 0 {
		t.Errorf("%d AAAA queries for an IPv4 sender, want 0", n)
	}
	if srv.QueriesOf(dns.TypeA) == 0 {
		t.Error("no A query: the a mechanisms were not looked up")
	}
}

// An IPv6 sender's a: terms find AAAA records, and its exists: terms still
// ask for A records, as RFC 7208 section 5.7 says.
func TestSPFIPv6Sender(t *testing.T) {
	srv := startDNS(t)
	d := newDiagnoser(t, Config{Resolver: srv.Addr})
	for _, tt := range []struct{ ip, mech string }{
		{"2001:db8::25", "a:v6.spf-v6.test"},
		{"2001:db8::99", "exists:ok.spf-v6.test"},
	} {
		cs := d.spf(context.Background(), "spf-v6.test", netip.MustParseAddr(tt.ip))
		if len(cs) != 1 || cs[0].Detail.Key != "spf.pass" || cs[0].Detail.Arg("mechanism") != tt.mech {
			t.Errorf("%s: %+v, want spf.pass by %s", tt.ip, cs, tt.mech)
		}
	}
}

// Without a sending IP's family, an address lookup asks for A and AAAA
// records both.
func TestLookupIPAddrBothFamilies(t *testing.T) {
	srv := startDNS(t)
	res, err := NewResolver(srv.Addr, time.Second, 0)
	if err != nil {
		t.Fatal(err)
	}
	addrs, err := res.LookupIPAddr(context.Background(), "h1.spf-loop.test")
	if err != nil || len(addrs) != 1 || addrs[0].IP.String() != "203.0.113.1" {
		t.Errorf("h1.spf-loop.test: %v, %v", addrs, err)
	}
	if srv.QueriesOf(dns.TypeA) != 1 || srv.QueriesOf(dns.TypeAAAA) != 1 {
		t.Errorf("asked %d A and %d AAAA, want one of each", srv.QueriesOf(dns.TypeA), srv.QueriesOf(dns.TypeAAAA))
	}
}

// Identical lookups at the same time send one query: the others wait for
// its answer, and the diagnosis counts one sent, the rest joined.
func TestConcurrentLookupsSendOneQuery(t *testing.T) {
	srv := startDNS(t)
	srv.SetDelay(100 * time.Millisecond)
	res, err := NewResolver(srv.Addr, time.Second, 0)
	if err != nil {
		t.Fatal(err)
	}
	var cnt counter
	ctx := withCounter(context.Background(), &cnt)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if recs, err := res.LookupTXT(ctx, "sender.test"); err != nil || len(recs) != 1 {
				t.Errorf("sender.test: %v, %v", recs, err)
			}
		})
	}
	wg.Wait()
	if srv.Queries() != 1 || cnt.sent.Load() != 1 || cnt.asked.Load() != 8 {
		t.Errorf("server saw %d queries, the counter %d sent of %d asked; want 1, 1 of 8", srv.Queries(), cnt.sent.Load(), cnt.asked.Load())
	}
}

// A lookup that joined another's query does not inherit its end: when the
// sender's context runs out first, the joined lookup asks again within
// its own time.
func TestJoinedLookupOutlivesItsSender(t *testing.T) {
	srv := startDNS(t)
	srv.SetDelay(150 * time.Millisecond)
	res, err := NewResolver(srv.Addr, time.Second, 0)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	first := make(chan error, 1)
	go func() {
		_, err := res.LookupTXT(short, "sender.test")
		first <- err
	}()
	time.Sleep(10 * time.Millisecond) // the first query is on its way
	recs, err := res.LookupTXT(context.Background(), "sender.test")
	if err != nil || len(recs) != 1 {
		t.Errorf("joined lookup: %v, %v; want the record", recs, err)
	}
	if err := <-first; err == nil {
		t.Error("the lookup with 50 ms to live got an answer held 150 ms")
	}
}
