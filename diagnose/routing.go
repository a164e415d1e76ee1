package diagnose

import (
	"context"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// routing checks where mail for domain goes: its MX records, a null MX
// (RFC 7505: "MX 0 ." says the domain accepts no mail), and, with no MX at
// all, the A/AAAA fallback of RFC 5321, section 5.1; a domain that does
// not exist says NXDOMAIN.
func (d *Diagnoser) routing(ctx context.Context, domain string) []Check {
	a, err := d.res.query(ctx, domain, dns.TypeMX)
	if err != nil {
		return []Check{failed(CheckMX, domain, domain, err)}
	}
	if a.nxdomain {
		return []Check{{Name: CheckMX, Target: domain, Verdict: Fail, Detail: msg("mx.nxdomain", "domain", domain)}}
	}
	var hosts, records []string
	null := false
	for _, rr := range a.rrs {
		mx := rr.(*dns.MX)
		records = append(records, strconv.Itoa(int(mx.Preference))+" "+mx.Mx)
		if mx.Mx == "." {
			null = true
			continue
		}
		hosts = append(hosts, strings.TrimSuffix(mx.Mx, "."))
	}
	slices.Sort(records)
	switch {
	case null:
		// RFC 7505, section 3: a null MX is the only MX; any other
		// record with it is a mistake, but the intent is clear.
		return []Check{
			{Name: CheckMX, Target: domain, Verdict: Fail, Detail: msg("mx.null", "domain", domain), Records: records},
			{Name: CheckNullMX, Target: domain, Verdict: Fail, Detail: msg("null_mx.present", "domain", domain), Records: records},
		}
	case len(hosts) > 0:
		return []Check{
			{Name: CheckMX, Target: domain, Verdict: Pass, Detail: msg("mx.found", "hosts", strings.Join(hosts, ", ")), Records: records},
			{Name: CheckNullMX, Target: domain, Verdict: Pass, Detail: msg("null_mx.absent", "domain", domain)},
		}
	}
	checks := []Check{
		{Name: CheckMX, Target: domain, Verdict: None, Detail: msg("mx.none", "domain", domain)},
		{Name: CheckNullMX, Target: domain, Verdict: Pass, Detail: msg("null_mx.absent", "domain", domain)},
	}
	addrs, err := d.res.LookupIPAddr(ctx, domain)
	var dnsErr *net.DNSError
	switch {
	case err == nil:
		var recs []string
		for _, ip := range addrs {
			recs = append(recs, ip.IP.String())
		}
		return append(checks, Check{Name: CheckA, Target: domain, Verdict: Warn, Detail: msg("a.fallback", "domain", domain, "addresses", strings.Join(recs, ", ")), Records: recs})
	case asDNSError(err, &dnsErr) && dnsErr.IsNotFound:
		return append(checks, Check{Name: CheckA, Target: domain, Verdict: Fail, Detail: msg("a.none", "domain", domain)})
	}
	return append(checks, failed(CheckA, domain, domain, err))
}
