package diagnose

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"
	"github.com/patrickmn/go-cache"
)

// Bounds on the resolver: the issue asks for 2 s per lookup by default and
// 3 s for a whole diagnosis; the cache holds answers for at most an hour
// and at most DefaultCacheEntries names, so a busy bot cannot grow it
// without end.
const (
	DefaultTimeout      = 2 * time.Second
	DefaultTotal        = 3 * time.Second
	DefaultCacheEntries = 10000
	maxTTL              = time.Hour
	negativeTTL         = time.Minute // NXDOMAIN or no data, when no SOA says otherwise
	ednsSize            = 1232        // the DNS flag day 2020 size: no IP fragmentation
)

// ErrLookup is wrapped by every failed lookup: a timeout, a refused or
// failed query, an unreachable resolver. It never means "no record".
var ErrLookup = errors.New("diagnose: lookup failed")

// LookupError says which lookup failed and why.
type LookupError struct {
	Name    string
	Type    string
	Timeout bool
	Err     error
}

func (e *LookupError) Error() string {
	return fmt.Sprintf("diagnose: %s %s: %v", e.Type, e.Name, e.Err)
}

// Unwrap lets errors.Is(err, ErrLookup) hold for every lookup error.
func (e *LookupError) Unwrap() []error { return []error{ErrLookup, e.Err} }

// RcodeError is a resolver's refusal or failure to answer: SERVFAIL,
// REFUSED and the like.
type RcodeError int

func (e RcodeError) Error() string { return "the resolver answered " + dns.RcodeToString[int(e)] }

// answer is what a lookup found: the records of the type asked for, or
// that the name does not exist at all.
type answer struct {
	rrs      []dns.RR
	nxdomain bool
}

// Resolver sends queries to a recursive resolver over UDP, retrying over
// TCP when an answer comes back truncated, and caches the answers for their
// TTL. Given several resolvers (resolv.conf usually names two or three), it
// asks the next when one does not answer or will not, as the system's own
// stub resolver does. It is safe for concurrent use.
type Resolver struct {
	addrs      []string
	timeout    time.Duration
	udp, tcp   *dns.Client
	cache      *cache.Cache
	maxEntries int

	mu       sync.Mutex
	inFlight map[string]*flight // queries sent and not answered yet, by cache key
}

// flight is one query on the network that identical lookups wait for
// instead of sending their own.
type flight struct {
	done chan struct{} // closed when a and err are set
	a    answer
	err  error
	// gone: the query failed because its sender's context ended (its
	// diagnosis was over), which says nothing to a waiter whose own
	// context still runs.
	gone bool
}

// NewResolver returns a resolver that asks addr: "host:port", several of
// them separated by commas, or empty for the nameservers of
// /etc/resolv.conf (else 127.0.0.1:53). Each lookup is bounded by timeout,
// shared among the resolvers it has to ask.
func NewResolver(addr string, timeout time.Duration, cacheEntries int) (*Resolver, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if cacheEntries <= 0 {
		cacheEntries = DefaultCacheEntries
	}
	var addrs []string
	if addr == "" {
		// As Go's own resolver does, a system without resolv.conf asks
		// a resolver on this host.
		addrs = []string{"127.0.0.1:53"}
		if cc, err := dns.ClientConfigFromFile("/etc/resolv.conf"); err == nil && len(cc.Servers) > 0 {
			addrs = addrs[:0]
			for _, s := range cc.Servers {
				addrs = append(addrs, net.JoinHostPort(s, cc.Port))
			}
		}
	} else {
		var err error
		if addrs, err = ParseResolvers(addr); err != nil {
			return nil, err
		}
	}
	return &Resolver{
		addrs:      addrs,
		timeout:    timeout,
		udp:        &dns.Client{Net: "udp", Timeout: timeout, UDPSize: ednsSize},
		tcp:        &dns.Client{Net: "tcp", Timeout: timeout},
		cache:      cache.New(maxTTL, 5*time.Minute),
		maxEntries: cacheEntries,
		inFlight:   map[string]*flight{},
	}, nil
}

// ParseResolvers reads DNS_RESOLVER's value: "host:port", several of them
// separated by commas.
func ParseResolvers(s string) ([]string, error) {
	var addrs []string
	for _, a := range strings.Split(s, ",") {
		a = strings.TrimSpace(a)
		if _, port, err := net.SplitHostPort(a); err != nil || port == "" {
			return nil, fmt.Errorf("%q is not host:port, like 127.0.0.1:53 or [2001:db8::53]:53", a)
		}
		addrs = append(addrs, a)
	}
	return addrs, nil
}

// Addr is the resolvers' host:port, separated by commas.
func (r *Resolver) Addr() string { return strings.Join(r.addrs, ",") }

// counter counts the lookups of one diagnosis: all asked, and those sent
// on the network (cache misses); obs, when set, hears of each.
type counter struct {
	asked, sent atomic.Int32
	obs         Observer
}

type counterKey struct{}

func withCounter(ctx context.Context, c *counter) context.Context {
	return context.WithValue(ctx, counterKey{}, c)
}

// query looks name up for records of qtype, from the cache when it can.
// Identical lookups at the same time, from one diagnosis (the SPF lookup
// count's prefetch and the evaluation) or from several, send one query:
// the first sends it and counts it as sent; the others wait for its answer
// (outcome "joined"), each within its own context.
func (r *Resolver) query(ctx context.Context, name string, qtype uint16) (answer, error) {
	name = dns.Fqdn(strings.ToLower(name))
	c, _ := ctx.Value(counterKey{}).(*counter)
	if c != nil {
		c.asked.Add(1)
	}
	key := strconv.Itoa(int(qtype)) + " " + name
	for {
		if v, ok := r.cache.Get(key); ok {
			c.observe(ctx, "cached")
			return v.(answer), nil
		}
		r.mu.Lock()
		f, joined := r.inFlight[key]
		if !joined {
			f = &flight{done: make(chan struct{})}
			r.inFlight[key] = f
		}
		r.mu.Unlock()
		if !joined {
			return r.send(ctx, c, key, name, qtype, f)
		}
		select {
		case <-f.done:
		case <-ctx.Done():
			c.observe(ctx, "timeout")
			return answer{}, &LookupError{Name: strings.TrimSuffix(name, "."), Type: dns.TypeToString[qtype], Timeout: true, Err: ctx.Err()}
		}
		if f.gone && !ended(ctx) {
			continue // its sender gave up; this lookup still has time to ask
		}
		c.observe(ctx, "joined")
		return f.a, f.err
	}
}

// send sends the query that f stands for and hands its answer to the
// lookups waiting on f.
func (r *Resolver) send(ctx context.Context, c *counter, key, name string, qtype uint16, f *flight) (answer, error) {
	if c != nil {
		c.sent.Add(1)
	}
	a, ttl, err := r.exchange(ctx, name, qtype)
	c.observe(ctx, lookupOutcome(a, err))
	if err == nil {
		r.store(key, a, ttl)
	}
	f.a, f.err, f.gone = a, err, err != nil && ended(ctx)
	r.mu.Lock()
	delete(r.inFlight, key)
	r.mu.Unlock()
	close(f.done)
	return a, err
}

// ended says whether ctx is over: cancelled, or past its deadline. The
// deadline is read from the clock, since the socket's deadline, set from
// it, can fire a moment before ctx's own timer does.
func ended(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	deadline, ok := ctx.Deadline()
	return ok && !time.Now().Before(deadline)
}

// store caches an answer unless the cache is full even after dropping the
// expired entries: then the answer is simply not kept.
func (r *Resolver) store(key string, a answer, ttl time.Duration) {
	if ttl <= 0 {
		return
	}
	if r.cache.ItemCount() >= r.maxEntries {
		r.cache.DeleteExpired()
		if r.cache.ItemCount() >= r.maxEntries {
			return
		}
	}
	r.cache.Set(key, a, min(ttl, maxTTL))
}

func (r *Resolver) exchange(ctx context.Context, name string, qtype uint16) (answer, time.Duration, error) {
	fail := func(err error) (answer, time.Duration, error) {
		var ne net.Error
		timeout := errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
		return answer{}, 0, &LookupError{Name: strings.TrimSuffix(name, "."), Type: dns.TypeToString[qtype], Timeout: timeout, Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.SetEdns0(ednsSize, false)
	var in *dns.Msg
	var err error
	for i, addr := range r.addrs {
		in, err = r.ask(ctx, m, addr, len(r.addrs)-i)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			break // the lookup's time is over
		}
	}
	if err != nil {
		return fail(err)
	}
	if in.Rcode == dns.RcodeNameError {
		return answer{nxdomain: true}, negativeTTLOf(in), nil
	}
	var a answer
	ttl := maxTTL
	for _, rr := range in.Answer {
		// A CNAME on the way to the records expires them too.
		ttl = min(ttl, time.Duration(rr.Header().Ttl)*time.Second)
		if rr.Header().Rrtype == qtype {
			a.rrs = append(a.rrs, rr)
		}
	}
	if len(a.rrs) == 0 {
		ttl = negativeTTLOf(in)
	}
	return a, ttl, nil
}

// ask sends m to one resolver, with an even share of the lookup's time
// left when others are still to be asked after it (a resolver that does not
// answer at all must not use up the time of the next). A refusal or a
// failure to answer (SERVFAIL, REFUSED) is an error, so that the next
// resolver is asked, as a stub resolver does.
func (r *Resolver) ask(ctx context.Context, m *dns.Msg, addr string, left int) (*dns.Msg, error) {
	if deadline, ok := ctx.Deadline(); ok && left > 1 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Until(deadline)/time.Duration(left))
		defer cancel()
	}
	in, _, err := r.udp.ExchangeContext(ctx, m, addr)
	if err == nil && in.Truncated {
		in, _, err = r.tcp.ExchangeContext(ctx, m, addr)
	}
	if err != nil {
		return nil, err
	}
	if in.Rcode != dns.RcodeSuccess && in.Rcode != dns.RcodeNameError {
		return nil, RcodeError(in.Rcode)
	}
	return in, nil
}

// negativeTTLOf is how long a "no such name" or "no data" answer may be
// kept: the SOA's minimum, as RFC 2308 says, else a minute.
func negativeTTLOf(m *dns.Msg) time.Duration {
	for _, rr := range m.Ns {
		if soa, ok := rr.(*dns.SOA); ok {
			return time.Duration(min(soa.Minttl, soa.Hdr.Ttl)) * time.Second
		}
	}
	return negativeTTL
}

// The methods below give blitiri.com.ar/go/spf the net.Resolver-like
// interface it evaluates SPF with, over this resolver and its cache, with
// the errors net.Resolver would return: IsNotFound for a name with no
// records, Temporary for a failed lookup, so that SPF says none or
// temperror rightly.

func notFound(name string) error {
	return &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func dnsError(name string, err error) error {
	var le *LookupError
	timeout := errors.As(err, &le) && le.Timeout
	// The rcode survives as text only: *net.DNSError has no field for it.
	return &net.DNSError{Err: err.Error(), Name: name, IsTimeout: timeout, IsTemporary: true}
}

// LookupTXT returns the TXT records of name, each one's strings joined.
func (r *Resolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	a, err := r.query(ctx, name, dns.TypeTXT)
	if err != nil {
		return nil, dnsError(name, err)
	}
	if len(a.rrs) == 0 {
		return nil, notFound(name)
	}
	out := make([]string, 0, len(a.rrs))
	for _, rr := range a.rrs {
		out = append(out, strings.Join(rr.(*dns.TXT).Txt, ""))
	}
	return out, nil
}

// LookupMX returns the MX records of name.
func (r *Resolver) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	a, err := r.query(ctx, name, dns.TypeMX)
	if err != nil {
		return nil, dnsError(name, err)
	}
	if len(a.rrs) == 0 {
		return nil, notFound(name)
	}
	out := make([]*net.MX, 0, len(a.rrs))
	for _, rr := range a.rrs {
		mx := rr.(*dns.MX)
		out = append(out, &net.MX{Host: mx.Mx, Pref: mx.Preference})
	}
	return out, nil
}

type familyKey struct{}

// withFamily tells LookupIPAddr under ctx the sending IP's address family:
// RFC 7208 section 5.3 (and 5.4 for mx) has the a and mx mechanisms look up
// only the addresses of that family, A records for an IPv4 sender.
func withFamily(ctx context.Context, ip netip.Addr) context.Context {
	return context.WithValue(ctx, familyKey{}, ip.Unmap().Is4())
}

// LookupIPAddr returns the addresses of host: its A records alone when ctx
// says the sender's IP is IPv4 (withFamily), else its A and AAAA records,
// asked at once. An IPv6 sender's lookups still ask for A records: the
// exists mechanism asks for A records whatever the family (RFC 7208
// section 5.7), and the library asks for it through this same method.
func (r *Resolver) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	var v4, v6 answer
	var err4, err6 error
	if ipv4, _ := ctx.Value(familyKey{}).(bool); ipv4 {
		v4, err4 = r.query(ctx, host, dns.TypeA)
	} else {
		var wg sync.WaitGroup
		wg.Go(func() { v6, err6 = r.query(ctx, host, dns.TypeAAAA) })
		v4, err4 = r.query(ctx, host, dns.TypeA)
		wg.Wait()
	}
	var out []net.IPAddr
	for _, rr := range append(v4.rrs, v6.rrs...) {
		switch v := rr.(type) {
		case *dns.A:
			out = append(out, net.IPAddr{IP: v.A})
		case *dns.AAAA:
			out = append(out, net.IPAddr{IP: v.AAAA})
		}
	}
	switch firstErr := cmpOr(err4, err6); {
	case len(out) > 0:
		return out, nil
	case firstErr != nil:
		return nil, dnsError(host, firstErr)
	}
	return nil, notFound(host)
}

// LookupAddr returns the PTR names of addr.
func (r *Resolver) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	rev, err := dns.ReverseAddr(addr)
	if err != nil {
		return nil, &net.DNSError{Err: err.Error(), Name: addr}
	}
	a, err := r.query(ctx, rev, dns.TypePTR)
	if err != nil {
		return nil, dnsError(addr, err)
	}
	if len(a.rrs) == 0 {
		return nil, notFound(addr)
	}
	out := make([]string, 0, len(a.rrs))
	for _, rr := range a.rrs {
		out = append(out, rr.(*dns.PTR).Ptr)
	}
	return out, nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
