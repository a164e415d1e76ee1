package diagnose

import (
	"context"
	"net/netip"
	"slices"
	"testing"
)

// checkCase is one check's expected outcome for one plan, run against
// fixtures.zone and checks.zone.
type checkCase struct {
	name    string
	plan    Plan
	check   string // the check to look at
	verdict Verdict
	detail  string
	args    [][2]string // blanks of the detail and their values
	records []string    // when set, the check's Records
	summary string      // when set, the report's summary
}

func runCheckCases(t *testing.T, tests []checkCase) {
	t.Helper()
	srv := startDNS(t, "checks.zone")
	d := newDiagnoser(t, Config{Resolver: srv.Addr})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := d.Diagnose(context.Background(), tt.plan)
			c, ok := find(r, tt.check)
			if !ok {
				t.Fatalf("no %s check; checks: %+v", tt.check, r.Checks)
			}
			if c.Verdict != tt.verdict || c.Detail.Key != tt.detail {
				t.Errorf("%s = %s %v, want %s %s", tt.check, c.Verdict, c.Detail, tt.verdict, tt.detail)
			}
			for _, a := range tt.args {
				if v := c.Detail.Arg(a[0]); v != a[1] {
					t.Errorf("%s {%s} = %q, want %q", c.Detail.Key, a[0], v, a[1])
				}
			}
			if tt.records != nil && !slices.Equal(c.Records, tt.records) {
				t.Errorf("%s records = %q, want %q", tt.check, c.Records, tt.records)
			}
			if tt.summary != "" && r.Summary.Key != tt.summary {
				t.Errorf("summary = %v, want %s", r.Summary, tt.summary)
			}
		})
	}
}

func arg(name, value string) [2]string { return [2]string{name, value} }

// A domain without MX gets its mail at its A/AAAA addresses (RFC 5321,
// section 5.1), which is a warning; without those either, or without the
// domain, no mail can be delivered.
func TestRoutingFallback(t *testing.T) {
	plan := func(domain string) Plan { return Plan{Targets: Targets{Recipient: domain}, Needs: NeedRouting} }
	runCheckCases(t, []checkCase{
		{name: "A only, MX says none", plan: plan("nomx.test"), check: CheckMX, verdict: None, detail: "mx.none",
			args: [][2]string{arg("domain", "nomx.test")}},
		{name: "A only, no null MX", plan: plan("nomx.test"), check: CheckNullMX, verdict: Pass, detail: "null_mx.absent"},
		{name: "A only", plan: plan("nomx.test"), check: CheckA, verdict: Warn, detail: "a.fallback",
			args: [][2]string{arg("domain", "nomx.test"), arg("addresses", "192.0.2.80")}, records: []string{"192.0.2.80"},
			summary: "summary.warnings"},
		{name: "A and AAAA", plan: plan("nomx6.test"), check: CheckA, verdict: Warn, detail: "a.fallback",
			args: [][2]string{arg("addresses", "192.0.2.81, 2001:db8::81")}, records: []string{"192.0.2.81", "2001:db8::81"}},
		{name: "no MX, no address", plan: plan("noaddr.test"), check: CheckA, verdict: Fail, detail: "a.none",
			args: [][2]string{arg("domain", "noaddr.test")}, summary: "summary.no_route"},
		{name: "NXDOMAIN", plan: plan("nowhere.test"), check: CheckMX, verdict: Fail, detail: "mx.nxdomain",
			args: [][2]string{arg("domain", "nowhere.test")}, summary: "summary.nxdomain"},
	})
	// NXDOMAIN says it all: no A fallback is looked for or reported.
	srv := startDNS(t, "checks.zone")
	d := newDiagnoser(t, Config{Resolver: srv.Addr})
	r := d.Diagnose(context.Background(), plan("nowhere.test"))
	if c, ok := find(r, CheckA); ok {
		t.Errorf("NXDOMAIN domain has an A check: %+v", c)
	}
	if len(r.Checks) != 1 {
		t.Errorf("NXDOMAIN domain: %d checks, want 1 (mx): %+v", len(r.Checks), r.Checks)
	}
}

// MTA-STS and TLS-RPT records that are missing are allowed (none); ones
// that are malformed or given twice are warned about, never passed.
func TestTLSRecords(t *testing.T) {
	plan := func(domain string) Plan { return Plan{Targets: Targets{Recipient: domain}, Needs: NeedTLS} }
	var tests []checkCase
	for _, tt := range []struct {
		domain  string
		verdict Verdict
		suffix  string
	}{
		{"tls-none.test", None, "none"},  // no such names
		{"tls-other.test", None, "none"}, // TXT records, none of them a policy
		{"tls-noid.test", Warn, "invalid"},
		{"tls-empty.test", Warn, "invalid"},
		{"tls-two.test", Warn, "invalid"},
	} {
		tests = append(tests,
			checkCase{name: tt.domain + " mta-sts", plan: plan(tt.domain), check: CheckMTASTS, verdict: tt.verdict,
				detail: "mta_sts." + tt.suffix, args: [][2]string{arg("domain", tt.domain)}},
			checkCase{name: tt.domain + " tls-rpt", plan: plan(tt.domain), check: CheckTLSRPT, verdict: tt.verdict,
				detail: "tls_rpt." + tt.suffix, args: [][2]string{arg("domain", tt.domain)}},
		)
	}
	tests = append(tests,
		checkCase{name: "both records shown", plan: plan("tls-two.test"), check: CheckMTASTS, verdict: Warn,
			detail: "mta_sts.invalid", records: []string{"v=STSv1; id=20260101", "v=STSv1; id=20260102"}},
		checkCase{name: "valid", plan: plan("tls.test"), check: CheckTLSRPT, verdict: Pass,
			detail: "tls_rpt.found", args: [][2]string{arg("rua", "mailto:tlsrpt@tls.test")}},
	)
	runCheckCases(t, tests)
	// A TXT record that is not a policy is not shown as one.
	srv := startDNS(t, "checks.zone")
	d := newDiagnoser(t, Config{Resolver: srv.Addr})
	r := d.Diagnose(context.Background(), plan("tls-other.test"))
	for _, name := range []string{CheckMTASTS, CheckTLSRPT} {
		if c, _ := find(r, name); len(c.Records) != 0 {
			t.Errorf("%s shows %q, which is no policy record", name, c.Records)
		}
	}
}

// SPF softfail and neutral are warnings that name the term that decided,
// including through include and redirect; a record that just ends
// without a match is neutral and never names a term of an included record.
func TestSPFWeakVerdicts(t *testing.T) {
	ip := netip.MustParseAddr("192.0.2.4")
	plan := func(domain string) Plan {
		return Plan{Targets: Targets{MailFrom: domain, IP: ip}, Needs: NeedAuth}
	}
	runCheckCases(t, []checkCase{
		{name: "softfail", plan: plan("spf-soft.test"), check: CheckSPF, verdict: Warn, detail: "spf.softfail",
			args: [][2]string{arg("mechanism", "~all"), arg("ip", "192.0.2.4"), arg("domain", "spf-soft.test")}},
		{name: "neutral all", plan: plan("spf-neutral.test"), check: CheckSPF, verdict: Warn, detail: "spf.neutral",
			args: [][2]string{arg("mechanism", "?all"), arg("ip", "192.0.2.4")}},
		{name: "neutral ip4", plan: plan("spf-neutral-ip.test"), check: CheckSPF, verdict: Warn, detail: "spf.neutral",
			args: [][2]string{arg("mechanism", "?ip4:192.0.2.0/24")}},
		{name: "softfail after an include that fails", plan: plan("spf-soft-inc.test"), check: CheckSPF, verdict: Warn,
			detail: "spf.softfail", args: [][2]string{arg("mechanism", "~all")}},
		{name: "softfail through redirect", plan: plan("spf-soft-redir.test"), check: CheckSPF, verdict: Warn,
			detail: "spf.softfail", args: [][2]string{arg("mechanism", "~all")}},
		{name: "neutral by default", plan: plan("spf-fallback.test"), check: CheckSPF, verdict: Warn, detail: "spf.neutral",
			args: [][2]string{arg("mechanism", "?")}},
	})
}

// A PTR whose name does not resolve back to the IP fails FCrDNS, naming
// the PTR name; one of several names pointing back is enough.
func TestFCrDNS(t *testing.T) {
	plan := func(ip string) Plan {
		return Plan{Targets: Targets{IP: netip.MustParseAddr(ip)}, Needs: NeedReputation}
	}
	runCheckCases(t, []checkCase{
		{name: "PTR passes though FCrDNS fails", plan: plan("192.0.2.121"), check: CheckPTR, verdict: Pass, detail: "ptr.found",
			args: [][2]string{arg("names", "elsewhere.fcrdns.test")}},
		{name: "A points elsewhere", plan: plan("192.0.2.121"), check: CheckFCrDNS, verdict: Fail, detail: "fcrdns.fail",
			args: [][2]string{arg("ip", "192.0.2.121"), arg("name", "elsewhere.fcrdns.test")}, summary: "summary.fcrdns_fail"},
		{name: "PTR name does not exist", plan: plan("192.0.2.122"), check: CheckFCrDNS, verdict: Fail, detail: "fcrdns.fail",
			args: [][2]string{arg("name", "gone.fcrdns.test")}, summary: "summary.fcrdns_fail"},
		{name: "only an AAAA of another address", plan: plan("192.0.2.124"), check: CheckFCrDNS, verdict: Fail, detail: "fcrdns.fail",
			args: [][2]string{arg("name", "v6.fcrdns.test")}},
		{name: "second name points back", plan: plan("192.0.2.123"), check: CheckFCrDNS, verdict: Pass, detail: "fcrdns.pass",
			args: [][2]string{arg("name", "back.fcrdns.test")}},
		{name: "forward-confirmed", plan: plan("192.0.2.4"), check: CheckFCrDNS, verdict: Pass, detail: "fcrdns.pass",
			args: [][2]string{arg("name", "mail.sender.test")}},
	})
}

// Every answer Spamhaus refuses a query with (a public resolver, a DQS key
// that is wrong or used up) says the list could not be asked, never that
// the IP is listed or not listed.
func TestSpamhausRefusedAnswers(t *testing.T) {
	srv := startDNS(t, "checks.zone")
	d := newDiagnoser(t, Config{Resolver: srv.Addr})
	for _, tt := range []struct{ ip, answer string }{
		{"192.0.2.130", "127.255.255.252"},
		{"192.0.2.131", "127.255.255.254"},
		{"192.0.2.132", "127.255.255.255"},
		{"192.0.2.135", "127.255.255.250"},
		{"192.0.2.136", "127.255.255.251"},
	} {
		t.Run(tt.answer, func(t *testing.T) {
			r := d.Diagnose(context.Background(), Plan{Targets: Targets{IP: netip.MustParseAddr(tt.ip)}, Needs: NeedReputation})
			var spamhaus []Check
			for _, c := range r.Checks {
				if c.Name == CheckDNSBL && c.Detail.Arg("list") == "Spamhaus" {
					spamhaus = append(spamhaus, c)
				}
			}
			if len(spamhaus) != 1 {
				t.Fatalf("%d Spamhaus checks, want 1: %+v", len(spamhaus), r.Checks)
			}
			c := spamhaus[0]
			if c.Verdict != Error || c.Detail.Key != "dnsbl.refused" {
				t.Errorf("Spamhaus answering %s = %s %v, want error dnsbl.refused", tt.answer, c.Verdict, c.Detail)
			}
			if !slices.Equal(c.Records, []string{tt.answer}) {
				t.Errorf("records = %q, want %q", c.Records, tt.answer)
			}
			if r.Summary.Key != "summary.dnsbl_refused" || r.Summary.Arg("list") != "Spamhaus" {
				t.Errorf("summary = %v, want summary.dnsbl_refused for Spamhaus", r.Summary)
			}
			if r.Complete() {
				t.Error("a refused list leaves the report complete")
			}
		})
	}
}

// A revoked key (empty p=) and a key under 1024 bits fail; 1024-bit RSA
// and Ed25519 keys pass; a p= that does not decode holds no key.
func TestDKIMKeys(t *testing.T) {
	plan := func(selector string) Plan {
		return Plan{Targets: Targets{DKIMDomain: "dkim.test", DKIMSelector: selector}, Needs: NeedAuth}
	}
	runCheckCases(t, []checkCase{
		{name: "revoked", plan: plan("revoked"), check: CheckDKIM, verdict: Fail, detail: "dkim.revoked",
			args: [][2]string{arg("selector", "revoked"), arg("domain", "dkim.test")}, summary: "summary.dkim_revoked"},
		{name: "revoked, blank p= among tags", plan: plan("retired"), check: CheckDKIM, verdict: Fail, detail: "dkim.revoked",
			summary: "summary.dkim_revoked"},
		{name: "512-bit RSA", plan: plan("weak"), check: CheckDKIM, verdict: Fail, detail: "dkim.weak",
			args: [][2]string{arg("bits", "512"), arg("name", "weak._domainkey.dkim.test")}, summary: "summary.dkim_invalid"},
		{name: "1024-bit RSA", plan: plan("rsa1024"), check: CheckDKIM, verdict: Pass, detail: "dkim.found",
			args: [][2]string{arg("key", "RSA 1024")}},
		{name: "2048-bit RSA", plan: Plan{Targets: Targets{DKIMDomain: "sender.test", DKIMSelector: "s1"}, Needs: NeedAuth},
			check: CheckDKIM, verdict: Pass, detail: "dkim.found", args: [][2]string{arg("key", "RSA 2048")}},
		{name: "Ed25519", plan: plan("ed"), check: CheckDKIM, verdict: Pass, detail: "dkim.found",
			args: [][2]string{arg("key", "Ed25519 256")}},
		{name: "not base64", plan: plan("garbled"), check: CheckDKIM, verdict: Fail, detail: "dkim.invalid",
			summary: "summary.dkim_invalid"},
	})
}
