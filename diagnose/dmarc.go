package diagnose

import (
	"context"
	"strings"

	"github.com/emersion/go-msgauth/dmarc"
)

// dmarc checks the From domain's DMARC record (at _dmarc.<domain>, else at
// the organizational domain's, RFC 7489 section 6.6.3), its policy, and
// whether the SPF domain (the envelope sender's) or the DKIM domain (d=)
// of the bounced message align with the From domain, as the policy's
// adkim and aspf ask. The record is parsed with go-msgauth's dmarc.Parse.
func (d *Diagnoser) dmarc(ctx context.Context, t Targets) []Check {
	from := cmpOrStr(t.From, t.MailFrom)
	name := "_dmarc." + from
	recs, err := d.txt(ctx, name, "v=DMARC1")
	if err != nil {
		return []Check{failed(CheckDMARC, from, name, err)}
	}
	org := orgDomain(from)
	inherited := false
	if len(recs) == 0 && org != from {
		name = "_dmarc." + org
		if recs, err = d.txt(ctx, name, "v=DMARC1"); err != nil {
			return []Check{failed(CheckDMARC, from, name, err)}
		}
		inherited = true
	}
	c := Check{Name: CheckDMARC, Target: from, Records: recs}
	if v, one := oneRecord(c, from, "dmarc.none", "dmarc.multiple"); !one {
		return []Check{v}
	}
	rec, err := dmarc.Parse(recs[0])
	if err != nil {
		c.Verdict, c.Detail = Fail, msg("dmarc.invalid", "domain", from)
		return []Check{c}
	}
	policy := rec.Policy
	if inherited && rec.SubdomainPolicy != "" {
		policy = rec.SubdomainPolicy
	}
	var aligned, misaligned []string
	if t.MailFrom != "" {
		if alignedWith(t.MailFrom, from, rec.SPFAlignment) {
			aligned = append(aligned, "SPF")
		} else {
			misaligned = append(misaligned, "SPF: "+t.MailFrom)
		}
	}
	if t.DKIMDomain != "" {
		if alignedWith(t.DKIMDomain, from, rec.DKIMAlignment) {
			aligned = append(aligned, "DKIM")
		} else {
			misaligned = append(misaligned, "DKIM: "+t.DKIMDomain)
		}
	}
	enforcing := policy == dmarc.PolicyReject || policy == dmarc.PolicyQuarantine
	switch {
	case len(aligned) == 0 && len(misaligned) > 0:
		c.Verdict = Warn
		if enforcing {
			c.Verdict = Fail
		}
		// Say only what the bounce shows: a bounce often carries just one
		// of the two identities, and the text must not claim the other.
		key := "dmarc.misaligned"
		switch {
		case t.DKIMDomain == "":
			key = "dmarc.misaligned_spf"
		case t.MailFrom == "":
			key = "dmarc.misaligned_dkim"
		}
		c.Detail = msg(key, "domain", from, "policy", string(policy), "identities", strings.Join(misaligned, ", "))
	case !enforcing:
		c.Verdict, c.Detail = Warn, msg("dmarc.monitor", "domain", from)
	case len(aligned) > 0:
		c.Verdict, c.Detail = Pass, msg("dmarc.aligned", "domain", from, "policy", string(policy), "identities", strings.Join(aligned, ", "))
	default:
		c.Verdict, c.Detail = Pass, msg("dmarc.policy", "domain", from, "policy", string(policy))
	}
	return []Check{c}
}

// alignedWith reports identifier alignment (RFC 7489, section 3.1):
// strict needs the same domain, relaxed the same organizational domain.
func alignedWith(id, from string, mode dmarc.AlignmentMode) bool {
	id, from = strings.ToLower(id), strings.ToLower(from)
	if mode == dmarc.AlignmentStrict {
		return id == from
	}
	return orgDomain(id) == orgDomain(from)
}
