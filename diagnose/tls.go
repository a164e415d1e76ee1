package diagnose

import (
	"context"
	"strings"
)

// mtaSTS checks the recipient domain's MTA-STS TXT record (RFC 8461,
// section 3.1: _mta-sts.<domain>, "v=STSv1; id=..."). The policy itself
// lives on an HTTPS server; it is not fetched, so a diagnosis makes DNS
// queries only.
func (d *Diagnoser) mtaSTS(ctx context.Context, domain string) []Check {
	name := "_mta-sts." + domain
	recs, err := d.txt(ctx, name, "v=STSv1")
	if err != nil {
		return []Check{failed(CheckMTASTS, domain, name, err)}
	}
	c := Check{Name: CheckMTASTS, Target: domain, Records: recs}
	switch {
	case len(recs) == 0:
		c.Verdict, c.Detail = None, msg("mta_sts.none", "domain", domain)
	case len(recs) > 1 || tagList(recs[0])["id"] == "":
		c.Verdict, c.Detail = Warn, msg("mta_sts.invalid", "domain", domain)
	default:
		c.Verdict, c.Detail = Pass, msg("mta_sts.found", "domain", domain, "id", tagList(recs[0])["id"])
	}
	return []Check{c}
}

// tlsRPT checks where the recipient domain asks for TLS failure reports
// (RFC 8460, section 3: _smtp._tls.<domain>, "v=TLSRPTv1; rua=...").
func (d *Diagnoser) tlsRPT(ctx context.Context, domain string) []Check {
	name := "_smtp._tls." + domain
	recs, err := d.txt(ctx, name, "v=TLSRPTv1")
	if err != nil {
		return []Check{failed(CheckTLSRPT, domain, name, err)}
	}
	c := Check{Name: CheckTLSRPT, Target: domain, Records: recs}
	switch {
	case len(recs) == 0:
		c.Verdict, c.Detail = None, msg("tls_rpt.none", "domain", domain)
	case len(recs) > 1 || tagList(recs[0])["rua"] == "":
		c.Verdict, c.Detail = Warn, msg("tls_rpt.invalid", "domain", domain)
	default:
		c.Verdict, c.Detail = Pass, msg("tls_rpt.found", "domain", domain, "rua", strings.TrimSpace(tagList(recs[0])["rua"]))
	}
	return []Check{c}
}
