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

	"blitiri.com.ar/go/spf"
)

// spfLookupLimit is RFC 7208, section 4.6.4: at most 10 mechanisms and
// modifiers that query DNS (include, a, mx, ptr, exists, redirect).
const spfLookupLimit = 10

// spf checks the SPF record of domain and, when the sending IP is known,
// evaluates it for that IP with blitiri.com.ar/go/spf over this package's
// resolver (so the timeout, the cache and DNS_RESOLVER apply), naming the
// mechanism that decided and counting the record's DNS lookups.
func (d *Diagnoser) spf(ctx context.Context, domain string, ip netip.Addr) []Check {
	recs, err := d.txt(ctx, domain, "v=spf1")
	if err != nil {
		return []Check{failed(CheckSPF, domain, domain, err)}
	}
	c := Check{Name: CheckSPF, Target: domain, Records: recs}
	if v, one := oneRecord(c, domain, "spf.none", "spf.multiple"); !one {
		return []Check{v}
	}
	if ip.IsValid() {
		ctx = withFamily(ctx, ip)
	}
	// The records the count and the evaluation need are looked up all at
	// once, level by level, instead of one after the other: on a resolver
	// that takes a few hundred milliseconds an answer, one after the other
	// would not fit in the diagnosis' 3 s.
	pf := &spfPrefetch{d: d, ctx: ctx, addrs: ip.IsValid(), budget: 2*spfLookupLimit + 1, txts: map[string]*spfTXT{}}
	defer pf.wg.Wait() // no lookup outlives the check
	pf.record(domain, recs[0], 0)
	lookups, werr := d.spfLookups(pf, recs[0], map[string]bool{domain: true}, 0)
	count := strconv.Itoa(lookups)
	if werr != nil && !errors.Is(werr, errSPFTooDeep) {
		return []Check{failed(CheckSPF, domain, domain, werr)}
	}
	if !ip.IsValid() {
		if lookups > spfLookupLimit {
			c.Verdict, c.Detail = Fail, msg("spf.too_many_lookups", "domain", domain, "count", count)
		} else {
			c.Verdict, c.Detail = Pass, msg("spf.record", "domain", domain, "count", count)
		}
		return []Check{c}
	}
	target := ip.String()
	c.Target = domain + " / " + target
	var mech string
	trace := func(f string, a ...any) {
		// The library's trace names the term that matched; it is the
		// only place it does. Its format is not promised stable, so a
		// mechanism not recognised is simply not named.
		switch {
		case f == "fallback to neutral":
			// No term matched: a term traced inside an include
			// that did not match decided nothing.
			mech = ""
		case f == "all: %v" && len(a) == 1:
			mech = qualifier(fmt.Sprint(a[0])) + "all"
		case f == "%q %v, %v" && len(a) == 3:
			if s, ok := a[0].(string); ok {
				mech = qualifier(fmt.Sprint(a[1])) + s
			}
		}
	}
	res, err := spf.CheckHostWithSender(net.IP(ip.AsSlice()), "", "postmaster@"+domain,
		spf.WithResolver(d.res), spf.WithContext(ctx), spf.WithTraceFunc(trace))
	args := []string{"domain", domain, "ip", target, "mechanism", cmpOrStr(mech, "?"), "count", count}
	switch res {
	case spf.Pass:
		c.Verdict, c.Detail = Pass, msg("spf.pass", args...)
	case spf.Fail:
		c.Verdict, c.Detail = Fail, msg("spf.fail", args...)
	case spf.SoftFail:
		c.Verdict, c.Detail = Warn, msg("spf.softfail", args...)
	case spf.Neutral:
		c.Verdict, c.Detail = Warn, msg("spf.neutral", args...)
	case spf.None:
		c.Verdict, c.Detail = None, msg("spf.none", "domain", domain)
	case spf.PermError:
		c.Verdict = Fail
		if errors.Is(err, spf.ErrLookupLimitReached) || lookups > spfLookupLimit {
			c.Detail = msg("spf.too_many_lookups", "domain", domain, "count", count)
		} else {
			c.Detail = msg("spf.permerror", "domain", domain)
		}
	default: // temperror: a lookup failed
		return []Check{failed(CheckSPF, c.Target, domain, err)}
	}
	return []Check{c}
}

// qualifier writes an SPF result as the qualifier that gives it.
func qualifier(result string) string {
	switch spf.Result(result) {
	case spf.Fail:
		return "-"
	case spf.SoftFail:
		return "~"
	case spf.Neutral:
		return "?"
	}
	return ""
}

var errSPFTooDeep = errors.New("diagnose: SPF includes nest too deep")

// spfMaxDepth bounds how deep includes and redirects are followed when
// counting.
const spfMaxDepth = 12

// spfLookups counts the DNS-querying terms of an SPF record and of every
// record it includes or redirects to, as RFC 7208 counts them against the
// limit of 10 (the count a receiver reaches when nothing matches early).
// Terms with macros are counted but not followed.
func (d *Diagnoser) spfLookups(pf *spfPrefetch, record string, seen map[string]bool, depth int) (int, error) {
	if depth > spfMaxDepth {
		return 0, errSPFTooDeep
	}
	n := 0
	for _, term := range strings.Fields(record)[1:] {
		t := strings.ToLower(strings.TrimLeft(term, "+-~?"))
		var follow string
		switch {
		case strings.HasPrefix(t, "include:"):
			n++
			follow = t[len("include:"):]
		case strings.HasPrefix(t, "redirect="):
			n++
			follow = t[len("redirect="):]
		case t == "a" || t == "mx" || t == "ptr" || strings.HasPrefix(t, "a:") || strings.HasPrefix(t, "a/") ||
			strings.HasPrefix(t, "mx:") || strings.HasPrefix(t, "mx/") || strings.HasPrefix(t, "ptr:") || strings.HasPrefix(t, "exists:"):
			n++
		}
		if follow == "" || strings.Contains(follow, "%") || seen[follow] {
			continue
		}
		seen[follow] = true
		recs, err := pf.txt(follow)
		if err != nil {
			return n, err
		}
		if len(recs) == 1 {
			m, err := d.spfLookups(pf, recs[0], seen, depth+1)
			n += m
			if err != nil {
				return n, err
			}
		}
		if n > 2*spfLookupLimit {
			break // far past the limit; the exact count no longer matters
		}
	}
	return n, nil
}

// spfPrefetch looks up, all at once, what counting a record's lookups and
// evaluating it will ask for: the SPF records of its includes and
// redirects, then theirs, level by level; and, when a sending IP is known,
// the addresses of its a and mx terms (the MX records, then the addresses
// of at most 10 MX hosts, as RFC 7208 section 4.6.4 allows), in the
// sender's address family. The count reads the records it fetched; the
// evaluation, which asks one lookup at a time, finds the answers in the
// resolver's cache or joins the query on its way. Like the count, it stops
// following terms far past the limit, follows no macro, and goes no deeper
// than spfMaxDepth.
type spfPrefetch struct {
	d     *Diagnoser
	ctx   context.Context
	addrs bool
	wg    sync.WaitGroup

	mu     sync.Mutex
	budget int                // DNS-querying terms still to look ahead for
	txts   map[string]*spfTXT // by domain
}

// spfTXT is the SPF records of one domain, once done is closed.
type spfTXT struct {
	done chan struct{}
	recs []string
	err  error
}

// record looks ahead for the terms of record, the SPF record of domain,
// found depth includes or redirects below the one checked.
func (p *spfPrefetch) record(domain, record string, depth int) {
	if depth > spfMaxDepth {
		return
	}
	for _, term := range strings.Fields(record)[1:] {
		t := strings.ToLower(strings.TrimLeft(term, "+-~?"))
		mech, arg, _ := strings.Cut(t, ":")
		if rest, ok := strings.CutPrefix(t, "redirect="); ok {
			mech, arg = "redirect", rest
		}
		mech, _, _ = strings.Cut(mech, "/") // a/24, mx/24: the record's own domain
		arg, _, _ = strings.Cut(arg, "/")
		switch mech {
		case "include", "redirect", "a", "mx", "ptr", "exists":
		default:
			continue
		}
		if !p.take() {
			return
		}
		if arg == "" {
			arg = domain
		}
		if strings.Contains(arg, "%") {
			continue // a macro: the count does not follow it either
		}
		switch mech {
		case "include", "redirect":
			p.fetch(arg, depth+1)
		case "a":
			if p.addrs {
				p.wg.Go(func() { p.d.res.LookupIPAddr(p.ctx, arg) })
			}
		case "mx":
			if p.addrs {
				p.wg.Go(func() { p.mx(arg) })
			}
		}
	}
}

// take counts one term looked ahead for; false once far past the limit.
func (p *spfPrefetch) take() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.budget <= 0 {
		return false
	}
	p.budget--
	return true
}

// fetch looks up the SPF record of domain, once, then looks ahead in it.
func (p *spfPrefetch) fetch(domain string, depth int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.txts[domain] != nil {
		return
	}
	e := &spfTXT{done: make(chan struct{})}
	p.txts[domain] = e
	p.wg.Go(func() {
		e.recs, e.err = p.d.txt(p.ctx, domain, "v=spf1")
		close(e.done)
		if e.err == nil && len(e.recs) == 1 {
			p.record(domain, e.recs[0], depth)
		}
	})
}

// mx looks up the MX hosts of domain, then their addresses, all at once.
func (p *spfPrefetch) mx(domain string) {
	mxs, err := p.d.res.LookupMX(p.ctx, domain)
	if err != nil || len(mxs) > 10 {
		return // the evaluation stops there too: temperror, none, or permerror
	}
	for _, mx := range mxs {
		p.wg.Go(func() { p.d.res.LookupIPAddr(p.ctx, mx.Host) })
	}
}

// txt returns the SPF records of domain: those fetched ahead, waiting for
// them if still on their way, else looked up now.
func (p *spfPrefetch) txt(domain string) ([]string, error) {
	p.mu.Lock()
	e := p.txts[domain]
	p.mu.Unlock()
	if e == nil {
		return p.d.txt(p.ctx, domain, "v=spf1")
	}
	<-e.done
	return e.recs, e.err
}
