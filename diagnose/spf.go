package diagnose

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

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
	lookups, werr := d.spfLookups(ctx, recs[0], map[string]bool{domain: true}, 0)
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

// spfLookups counts the DNS-querying terms of an SPF record and of every
// record it includes or redirects to, as RFC 7208 counts them against the
// limit of 10 (the count a receiver reaches when nothing matches early).
// Terms with macros are counted but not followed.
func (d *Diagnoser) spfLookups(ctx context.Context, record string, seen map[string]bool, depth int) (int, error) {
	if depth > 12 {
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
		recs, err := d.txt(ctx, follow, "v=spf1")
		if err != nil {
			return n, err
		}
		if len(recs) == 1 {
			m, err := d.spfLookups(ctx, recs[0], seen, depth+1)
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
