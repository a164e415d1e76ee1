package diagnose

import (
	"context"
	"net"
	"net/netip"
	"strings"
)

// maxPTRNames bounds the names whose forward lookups confirm a PTR: RFC
// 7208 section 5.5 stops at 10; real servers have one.
const maxPTRNames = 3

// ptr checks the sending IP's reverse DNS, then forward-confirms it: one
// of its PTR names must resolve back to the IP (FCrDNS), which Gmail and
// many others require of senders.
func (d *Diagnoser) ptr(ctx context.Context, ip netip.Addr) []Check {
	target := ip.String()
	names, err := d.res.LookupAddr(ctx, target)
	var dnsErr *net.DNSError
	switch {
	case asDNSError(err, &dnsErr) && dnsErr.IsNotFound:
		return []Check{{Name: CheckPTR, Target: target, Verdict: Fail, Detail: msg("ptr.none", "ip", target)}}
	case err != nil:
		return []Check{failed(CheckPTR, target, target, err)}
	}
	for i := range names {
		names[i] = strings.TrimSuffix(names[i], ".")
	}
	checks := []Check{{Name: CheckPTR, Target: target, Verdict: Pass, Detail: msg("ptr.found", "ip", target, "names", strings.Join(names, ", ")), Records: names}}
	var lastErr error
	for _, n := range names[:min(len(names), maxPTRNames)] {
		addrs, err := d.res.LookupIPAddr(ctx, n)
		if err != nil {
			if !(asDNSError(err, &dnsErr) && dnsErr.IsNotFound) {
				lastErr = err
			}
			continue
		}
		for _, a := range addrs {
			if got, ok := netip.AddrFromSlice(a.IP); ok && got.Unmap() == ip {
				return append(checks, Check{Name: CheckFCrDNS, Target: target, Verdict: Pass, Detail: msg("fcrdns.pass", "ip", target, "name", n)})
			}
		}
	}
	if lastErr != nil {
		return append(checks, failed(CheckFCrDNS, target, names[0], lastErr))
	}
	return append(checks, Check{Name: CheckFCrDNS, Target: target, Verdict: Fail, Detail: msg("fcrdns.fail", "ip", target, "name", names[0])})
}
