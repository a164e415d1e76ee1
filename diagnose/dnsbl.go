package diagnose

import (
	"context"
	"net/netip"
	"slices"
	"strings"

	"github.com/miekg/dns"
	"github.com/smtpcodes/smtpbot/catalog"
)

// lists returns the blocklists to query: the lists checked for every
// reputation bounce, and the ones the bounce names. A named list the catalog
// knows is queried on its own zone (one without a public zone, such as a
// provider's own list, is not queried); an unknown name is queried as a
// zone.
func (d *Diagnoser) lists(named []string) []*catalog.Blocklist {
	out := checkedLists()
	for _, z := range named {
		l, known := knownList(z)
		switch {
		case !known:
			l = &catalog.Blocklist{ID: z, Name: z, Zone: z}
		case l.Zone == "" || slices.Contains(out, l):
			continue
		}
		out = append(out, l)
	}
	return out
}

// reversed writes an IP the way DNSBLs are queried: 192.0.2.4 becomes
// 4.2.0.192, an IPv6 address its nibbles in reverse.
func reversed(ip netip.Addr) string {
	rev, _ := dns.ReverseAddr(ip.String())
	rev = strings.TrimSuffix(rev, ".in-addr.arpa.")
	return strings.TrimSuffix(rev, ".ip6.arpa.")
}

// dnsbl looks the IP up on one list. Spamhaus refuses queries from public
// resolvers with answers in 127.255.255.0/24; those say the list could not
// be queried, never that the IP is not listed. With a DQS key, Spamhaus is
// asked through its Data Query Service, which answers any resolver.
func (d *Diagnoser) dnsbl(ctx context.Context, ip netip.Addr, l *catalog.Blocklist) []Check {
	target := ip.String()
	name := reversed(ip) + "." + l.Zone
	if l.DQSZone != "" && d.dqs != "" {
		name = reversed(ip) + "." + d.dqs + "." + l.DQSZone
	}
	a, err := d.res.query(ctx, name, dns.TypeA)
	if err != nil {
		// The query name holds the DQS key; the check names the zone.
		return []Check{failed(CheckDNSBL, target, l.Zone, err)}
	}
	if len(a.rrs) == 0 {
		return []Check{{Name: CheckDNSBL, Target: target, Verdict: Pass, Detail: msg("dnsbl.clean", "ip", target, "list", l.Name)}}
	}
	var answers, meanings []string
	refused := false
	for _, rr := range a.rrs {
		v := rr.(*dns.A).A.String()
		answers = append(answers, v)
		if slices.Contains(l.Refused, v) {
			refused = true
		}
		if m := l.Answers[v]; m != "" && !slices.Contains(meanings, m) {
			meanings = append(meanings, m)
		}
	}
	if refused {
		return []Check{{Name: CheckDNSBL, Target: target, Verdict: Error, Detail: msg("dnsbl.refused", "list", l.Name), Records: answers}}
	}
	code := strings.Join(answers, ", ")
	if len(meanings) > 0 {
		code += " (" + strings.Join(meanings, ", ") + ")"
	}
	if l.Delist == "" {
		return []Check{{Name: CheckDNSBL, Target: target, Verdict: Fail, Detail: msg("dnsbl.listed", "ip", target, "list", l.Name, "code", code), Records: answers}}
	}
	return []Check{{Name: CheckDNSBL, Target: target, Verdict: Fail, Detail: msg("dnsbl.listed_delist", "ip", target, "list", l.Name, "code", code, "delist", l.Delist), Records: answers}}
}
