package diagnose

import "strconv"

// causes lists, most telling first, the findings that explain a bounce,
// each with the summary it leads to. The first that a diagnosis holds
// becomes its one-sentence summary.
var causes = []struct {
	detail  string // a check's Detail.Key
	summary string
	args    []string // the blanks the summary copies from the check's detail
}{
	{"null_mx.present", "summary.null_mx", []string{"domain"}},
	{"mx.nxdomain", "summary.nxdomain", []string{"domain"}},
	{"a.none", "summary.no_route", []string{"domain"}},
	{"dnsbl.listed_delist", "summary.listed_delist", []string{"ip", "list", "delist"}},
	{"dnsbl.listed", "summary.listed", []string{"ip", "list"}},
	{"spf.fail", "summary.spf_fail", []string{"domain", "ip"}},
	{"spf.too_many_lookups", "summary.spf_lookups", []string{"domain", "count"}},
	{"spf.multiple", "summary.spf_permerror", []string{"domain"}},
	{"spf.permerror", "summary.spf_permerror", []string{"domain"}},
	{"dmarc.misaligned", "summary.dmarc_misaligned", []string{"domain", "policy", "identities"}},
	{"dmarc.misaligned_spf", "summary.dmarc_misaligned_spf", []string{"domain", "policy", "identities"}},
	{"dmarc.misaligned_dkim", "summary.dmarc_misaligned_dkim", []string{"domain", "policy", "identities"}},
	{"dkim.missing", "summary.dkim_missing", []string{"selector", "domain"}},
	{"dkim.revoked", "summary.dkim_revoked", []string{"selector", "domain"}},
	{"dkim.invalid", "summary.dkim_invalid", []string{"name"}},
	{"dkim.weak", "summary.dkim_invalid", []string{"name"}},
	{"dmarc.invalid", "summary.dmarc_invalid", []string{"domain"}},
	{"dmarc.multiple", "summary.dmarc_invalid", []string{"domain"}},
	{"spf.none", "summary.spf_none", []string{"domain"}},
	{"dmarc.none", "summary.dmarc_none", []string{"domain"}},
	{"ptr.none", "summary.ptr_none", []string{"ip"}},
	{"fcrdns.fail", "summary.fcrdns_fail", []string{"ip", "name"}},
	{"dnsbl.refused", "summary.dnsbl_refused", []string{"list"}},
	{"spf.softfail", "summary.spf_softfail", []string{"domain", "ip"}},
	{"dmarc.monitor", "summary.dmarc_monitor", []string{"domain"}},
}

// summarize picks the one sentence that says what the checks of plans
// show. When no check explains the bounce, the sentence says what the
// checks could not see: a sender's domain the bounce does not name, or,
// for a bounce whose codes call for one family of checks (TLS, routing,
// reputation, authentication), where the cause lies instead. Targets
// typed by hand get no such sentence: there is no bounce to explain. The
// general sentence is left for mixed families.
func summarize(checks []Check, plans []Plan) Message {
	if len(checks) == 0 {
		return msg("summary.nothing")
	}
	for _, cause := range causes {
		for _, c := range checks {
			if c.Detail.Key != cause.detail {
				continue
			}
			var args []string
			for _, a := range cause.args {
				args = append(args, a, c.Detail.Arg(a))
			}
			return msg(cause.summary, args...)
		}
	}
	errs, warns := 0, 0
	for _, c := range checks {
		switch c.Verdict {
		case Error:
			errs++
		case Warn:
			warns++
		}
	}
	var needs Need
	for _, p := range plans {
		needs |= p.Needs
	}
	switch {
	case errs > 0:
		return msg("summary.errors", "count", strconv.Itoa(errs))
	case needs&NeedAuth != 0:
		if ip, ok := noSender(plans); ok {
			return msg("summary.no_sender", "ip", ip)
		}
	}
	switch {
	case warns > 0:
		return msg("summary.warnings")
	case typed(plans):
		// No bounce: nothing to say about where its cause lies.
		return msg("summary.typed_clean")
	case needs&NeedTLS != 0 && needs&(NeedAuth|NeedReputation) == 0:
		// Both sides' DNS is right, so the TLS session itself failed:
		// STARTTLS not offered, a certificate refused, or a policy that
		// demands TLS the other side cannot meet.
		return msg("summary.tls_clean")
	case needs == NeedRouting:
		return msg("summary.routing_clean")
	case needs&^NeedRouting == NeedReputation && ran(checks, CheckDNSBL):
		// Not listed where checked: the receiver's own data (Microsoft's
		// 5.7.606, Yahoo's TSS04), or a listing gone since.
		return msg("summary.reputation_clean")
	case needs&^NeedRouting == NeedAuth:
		if domain, ok := noIP(plans); ok {
			return msg("summary.no_ip", "domain", domain)
		}
		return msg("summary.auth_clean")
	}
	return msg("summary.clean")
}

// noSender reports whether a plan calls for the authentication checks but
// knows no sender's domain, so SPF and DMARC could not run; ip is the
// sending IP to check them with, or "IP" when the bounce names none.
func noSender(plans []Plan) (ip string, ok bool) {
	for _, p := range plans {
		if p.Needs&NeedAuth != 0 && p.Targets.authDomain() == "" {
			if p.Targets.IP.IsValid() {
				return p.Targets.IP.String(), true
			}
			return "IP", true
		}
	}
	return "", false
}

// noIP reports whether a plan calls for the authentication checks and
// names the sender's domain but not the sending IP, so SPF was read but
// not evaluated for the message.
func noIP(plans []Plan) (domain string, ok bool) {
	for _, p := range plans {
		if d := p.Targets.authDomain(); p.Needs&NeedAuth != 0 && d != "" && !p.Targets.IP.IsValid() {
			return d, true
		}
	}
	return "", false
}

// typed reports whether every plan is of targets typed by hand.
func typed(plans []Plan) bool {
	for _, p := range plans {
		if !p.Typed {
			return false
		}
	}
	return len(plans) > 0
}

// ran reports whether a check of that name is among checks.
func ran(checks []Check, name string) bool {
	for _, c := range checks {
		if c.Name == name {
			return true
		}
	}
	return false
}
