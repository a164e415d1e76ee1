package diagnose

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/diagnose/dnstest"
)

// Each bounce in testdata/bounces meets the zone fixture written for it;
// its diagnosis must name the cause, in the check that finds it and in the
// summary.
func TestBounceDiagnoses(t *testing.T) {
	tests := []struct {
		bounce  string
		zones   []string
		dqs     string
		check   string // the check that finds the cause
		verdict Verdict
		detail  string
		arg     [2]string // a blank of the detail and its value
		summary string
	}{
		{"null-mx.txt", nil, "", CheckNullMX, Fail, "null_mx.present", [2]string{"domain", "nullmx.test"}, "summary.null_mx"},
		{"spf-fail.txt", nil, "", CheckSPF, Fail, "spf.fail", [2]string{"mechanism", "-all"}, "summary.spf_fail"},
		{"spf-lookups.txt", nil, "", CheckSPF, Fail, "spf.too_many_lookups", [2]string{"count", "11"}, "summary.spf_lookups"},
		{"dmarc-misaligned.txt", nil, "", CheckDMARC, Fail, "dmarc.misaligned", [2]string{"identities", "SPF: bounces.esp-mailer.test, DKIM: esp-mailer.test"}, "summary.dmarc_misaligned"},
		{"dmarc-misaligned-spf.txt", nil, "", CheckDMARC, Fail, "dmarc.misaligned_spf", [2]string{"identities", "SPF: bounces.esp-mailer.test"}, "summary.dmarc_misaligned_spf"},
		{"dmarc-misaligned-dkim.txt", nil, "", CheckDMARC, Fail, "dmarc.misaligned_dkim", [2]string{"identities", "DKIM: esp-mailer.test"}, "summary.dmarc_misaligned_dkim"},
		{"dkim-missing.txt", nil, "", CheckDKIM, Fail, "dkim.missing", [2]string{"selector", "gone"}, "summary.dkim_missing"},
		{"no-ptr.txt", nil, "", CheckPTR, Fail, "ptr.none", [2]string{"ip", "192.0.2.66"}, "summary.ptr_none"},
		{"dnsbl-listed.txt", nil, "", CheckDNSBL, Fail, "dnsbl.listed", [2]string{"list", "bl.fake-dnsbl.test"}, "summary.listed"},
		{"spamhaus-refused.txt", []string{"spamhaus-refused.zone"}, "", CheckDNSBL, Error, "dnsbl.refused", [2]string{"list", "Spamhaus"}, "summary.dnsbl_refused"},
		{"spamhaus-refused.txt", []string{"spamhaus-listed.zone"}, "", CheckDNSBL, Fail, "dnsbl.listed_delist", [2]string{"code", "127.0.0.2 (SBL)"}, "summary.listed_delist"},
		{"tls.txt", nil, "", CheckMTASTS, Pass, "mta_sts.found", [2]string{"id", "20260101T000000"}, "summary.tls_clean"},
		// The sender's domain from the DSN when the returned message is
		// not there: X-Postfix-Sender, then the To of the daemon's bounce.
		{"postfix-sender.txt", nil, "", CheckSPF, Fail, "spf.fail", [2]string{"ip", "192.0.2.4"}, "summary.spf_fail"},
		{"dsn-to.txt", nil, "", CheckSPF, Fail, "spf.fail", [2]string{"ip", "192.0.2.4"}, "summary.spf_fail"},
		// Microsoft's own list of banned IPs: on no public list, and the
		// summary says the block is the receiver's own; when Spamhaus
		// will not answer, the summary must not speak of a listing the
		// bounce names, since it names none.
		{"ms-banned-ip.txt", nil, "", CheckFCrDNS, Pass, "fcrdns.pass", [2]string{"name", "out8.sender.test"}, "summary.reputation_clean"},
		{"ms-banned-ip.txt", []string{"spamhaus-refused.zone"}, "", CheckDNSBL, Error, "dnsbl.refused", [2]string{"list", "Spamhaus"}, "summary.dnsbl_refused"},
		// Only the IP is known: its reverse DNS is right, and the summary
		// says that SPF and DMARC could not be checked, not that all is well.
		{"no-sender.txt", nil, "", CheckFCrDNS, Pass, "fcrdns.pass", [2]string{"name", "mail.sender.test"}, "summary.no_sender"},
	}
	for _, tt := range tests {
		t.Run(tt.bounce+strings.Join(tt.zones, "+"), func(t *testing.T) {
			srv := startDNS(t, tt.zones...)
			d := newDiagnoser(t, Config{Resolver: srv.Addr, SpamhausDQSKey: tt.dqs})
			r := d.Diagnose(context.Background(), FromBounce(readBounce(t, tt.bounce)))
			var got *Check
			for i, c := range r.Checks {
				if c.Name == tt.check && c.Detail.Key == tt.detail {
					got = &r.Checks[i]
				}
			}
			if got == nil {
				t.Fatalf("no %s check says %s; checks: %+v", tt.check, tt.detail, r.Checks)
			}
			if got.Verdict != tt.verdict {
				t.Errorf("%s verdict = %s, want %s", tt.check, got.Verdict, tt.verdict)
			}
			if v := got.Detail.Arg(tt.arg[0]); v != tt.arg[1] {
				t.Errorf("%s {%s} = %q, want %q", tt.detail, tt.arg[0], v, tt.arg[1])
			}
			if r.Summary.Key != tt.summary {
				t.Errorf("summary = %v, want %s", r.Summary, tt.summary)
			}
			if r.Lookups == 0 || r.Sent == 0 {
				t.Errorf("lookups %d, sent %d: the diagnosis asked nothing", r.Lookups, r.Sent)
			}
		})
	}
}

// When no check explains a bounce, the summary says where else to look,
// as fits what the bounce's codes called for.
func TestSummaryWithoutCause(t *testing.T) {
	ip := netip.MustParseAddr("192.0.2.4")
	pass := []Check{{Name: CheckMX, Verdict: Pass, Detail: msg("mx.found", "hosts", "mx.example.com")}}
	typed, err := ParseTargets([]string{"example.com", "192.0.2.4"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		checks []Check
		plans  []Plan
		want   string
		ip     string
	}{
		{"tls", pass, []Plan{{Targets: Targets{Recipient: "example.com"}, Needs: NeedTLS}}, "summary.tls_clean", ""},
		{"routing", pass, []Plan{{Targets: Targets{Recipient: "example.com"}, Needs: NeedRouting}}, "summary.routing_clean", ""},
		{"auth", pass, []Plan{{Targets: Targets{From: "example.com", IP: ip}, Needs: NeedAuth}}, "summary.auth_clean", ""},
		// SPF was read, not evaluated: the sentence asks for the IP.
		{"auth without an IP", pass, []Plan{{Targets: Targets{From: "example.com"}, Needs: NeedAuth}}, "summary.no_ip", ""},
		{"reputation", append(pass, Check{Name: CheckDNSBL, Verdict: Pass}), []Plan{{Targets: Targets{IP: ip}, Needs: NeedReputation}}, "summary.reputation_clean", ""},
		// No IP, so no list was asked: nothing to say about listings.
		{"reputation without an IP", pass, []Plan{{Targets: Targets{Recipient: "example.com"}, Needs: NeedReputation | NeedRouting}}, "summary.clean", ""},
		{"auth and reputation", pass, []Plan{{Targets: Targets{From: "example.com", IP: ip}, Needs: NeedAuth | NeedReputation}}, "summary.clean", ""},
		{"typed", pass, typed, "summary.typed_clean", ""},
		{"typed, warnings", []Check{{Name: CheckFCrDNS, Verdict: Warn}}, typed, "summary.warnings", ""},
		{"no sender", pass, []Plan{{Targets: Targets{IP: ip}, Needs: NeedAuth}}, "summary.no_sender", "192.0.2.4"},
		{"no sender, no IP", pass, []Plan{{Targets: Targets{DKIMDomain: "example.com", DKIMSelector: "s1"}, Needs: NeedAuth}}, "summary.no_sender", "IP"},
		{"no sender, warnings", []Check{{Name: CheckFCrDNS, Verdict: Warn}}, []Plan{{Targets: Targets{IP: ip}, Needs: NeedAuth | NeedReputation}}, "summary.no_sender", "192.0.2.4"},
		{"no sender, a cause", []Check{{Name: CheckPTR, Verdict: Fail, Detail: msg("ptr.none", "ip", "192.0.2.4")}}, []Plan{{Targets: Targets{IP: ip}, Needs: NeedAuth}}, "summary.ptr_none", "192.0.2.4"},
	}
	for _, tt := range tests {
		got := summarize(tt.checks, tt.plans)
		if got.Key != tt.want || got.Arg("ip") != tt.ip {
			t.Errorf("%s: summary %v, want %s with ip %q", tt.name, got, tt.want, tt.ip)
		}
	}
}

// With a DQS key, Spamhaus is asked under the key's own zone, which
// answers whatever resolver is used, and the key never shows in a check.
func TestSpamhausDQS(t *testing.T) {
	srv := startDNS(t, "spamhaus-refused.zone")
	d := newDiagnoser(t, Config{Resolver: srv.Addr, SpamhausDQSKey: "testkey"})
	r := d.Diagnose(context.Background(), Plan{Targets: Targets{IP: netip.MustParseAddr("192.0.2.9")}, Needs: NeedReputation})
	var spamhaus *Check
	for i, c := range r.Checks {
		if c.Name == CheckDNSBL && c.Detail.Arg("list") == "Spamhaus" {
			spamhaus = &r.Checks[i]
		}
		if strings.Contains(c.Target+strings.Join(c.Detail.Args, " "), "testkey") {
			t.Errorf("check %+v shows the DQS key", c)
		}
	}
	if spamhaus == nil || spamhaus.Verdict != Fail || spamhaus.Detail.Arg("code") != "127.0.0.3 (SBL CSS)" {
		t.Fatalf("Spamhaus via DQS = %+v, want listed with 127.0.0.3 (SBL CSS)", spamhaus)
	}
}

// A resolver that never answers gives error verdicts, within the whole
// diagnosis's bound, and never "no record": with short lookup timeouts,
// and with lookup timeouts longer than the bound, which the bound must
// then cut short. The margin over the bound allows for a busy machine
// under -race, yet is well under the lookup timeout a diagnosis that
// ignored its bound would wait for.
func TestSilentResolver(t *testing.T) {
	srv, err := dnstest.Silent()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	const total, margin = 400 * time.Millisecond, time.Second
	for _, timeout := range []time.Duration{150 * time.Millisecond, 5 * time.Second} {
		d := newDiagnoser(t, Config{Resolver: srv.Addr, Timeout: timeout, Total: total})
		for _, b := range []string{"null-mx.txt", "spf-lookups.txt", "dnsbl-listed.txt"} {
			start := time.Now()
			r := d.Diagnose(context.Background(), FromBounce(readBounce(t, b)))
			if took := time.Since(start); took > total+margin {
				t.Errorf("%s, lookup timeout %v: took %v with a silent resolver, bound %v", b, timeout, took, total)
			}
			if len(r.Checks) == 0 {
				t.Fatalf("%s: no checks", b)
			}
			for _, c := range r.Checks {
				if c.Verdict != Error || c.Detail.Key != "lookup.timeout" {
					t.Errorf("%s, lookup timeout %v: %s = %s %v, want error lookup.timeout", b, timeout, c.Name, c.Verdict, c.Detail)
				}
			}
			if r.Complete() || r.Summary.Key != "summary.errors" {
				t.Errorf("%s: complete %v, summary %v; want incomplete, summary.errors", b, r.Complete(), r.Summary)
			}
		}
	}
	if srv.Queries() == 0 {
		t.Error("the silent resolver was never asked")
	}
}

// A second diagnosis of the same bounce is answered from the cache.
func TestCache(t *testing.T) {
	srv := startDNS(t)
	d := newDiagnoser(t, Config{Resolver: srv.Addr})
	p := FromBounce(readBounce(t, "spf-lookups.txt"))
	first := d.Diagnose(context.Background(), p)
	before := srv.Queries()
	second := d.Diagnose(context.Background(), p)
	if second.Sent != 0 || srv.Queries() != before {
		t.Errorf("second diagnosis sent %d queries (server saw %d more), want 0", second.Sent, srv.Queries()-before)
	}
	if first.Summary.Key != second.Summary.Key || len(first.Checks) != len(second.Checks) {
		t.Errorf("cached diagnosis differs: %v vs %v", first.Summary, second.Summary)
	}
}

// The cache never holds more than its cap.
func TestCacheCap(t *testing.T) {
	srv := startDNS(t)
	res, err := NewResolver(srv.Addr, time.Second, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a.test", "b.test", "c.test", "d.test", "e.test"} {
		if _, err := res.query(context.Background(), n, 1); err != nil {
			t.Fatal(err)
		}
	}
	if n := res.cache.ItemCount(); n > 3 {
		t.Errorf("cache holds %d entries, cap is 3", n)
	}
}

// An answer too big for UDP comes back whole over TCP.
func TestTruncatedAnswerRetriedOverTCP(t *testing.T) {
	srv := startDNS(t)
	res, err := NewResolver(srv.Addr, time.Second, 0)
	if err != nil {
		t.Fatal(err)
	}
	txts, err := res.LookupTXT(context.Background(), "big.test")
	if err != nil {
		t.Fatal(err)
	}
	if len(txts) != 1 || len(txts[0]) != 8*180 {
		t.Errorf("got %d records of %d bytes, want 1 of %d", len(txts), len(strings.Join(txts, "")), 8*180)
	}
}

// A refused query is an error, never "no record"; NXDOMAIN is "no record".
func TestLookupErrors(t *testing.T) {
	srv := startDNS(t)
	res, err := NewResolver(srv.Addr, time.Second, 0)
	if err != nil {
		t.Fatal(err)
	}
	a, err := res.query(context.Background(), "nowhere.test", 15)
	if err != nil || !a.nxdomain {
		t.Errorf("nowhere.test: %+v, %v; want NXDOMAIN", a, err)
	}
	closed, err := NewResolver("127.0.0.1:1", 200*time.Millisecond, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = closed.query(context.Background(), "sender.test", 15)
	if !errors.Is(err, ErrLookup) {
		t.Errorf("unreachable resolver: err = %v, want ErrLookup", err)
	}
	if _, err := NewResolver("8.8.8.8", 0, 0); err == nil {
		t.Error("a resolver without a port was accepted")
	}
}

// Only domains and IPs are ever queried, never a local part, and the one
// log line of a diagnosis holds neither.
func TestPrivacy(t *testing.T) {
	srv := startDNS(t)
	var log bytes.Buffer
	d := newDiagnoser(t, Config{Resolver: srv.Addr, Log: slog.New(slog.NewTextHandler(&log, nil))})
	locals := []string{"billing", "news", "b123", "alerts", "reports", "sales", "buyer", "reader", "team", "lead", "sam", "kim", "it@"}
	for _, b := range []string{"null-mx.txt", "dmarc-misaligned.txt", "dkim-missing.txt", "no-ptr.txt", "spf-lookups.txt", "dnsbl-listed.txt", "tls.txt", "postfix-sender.txt", "dsn-to.txt", "no-sender.txt"} {
		log.Reset()
		r := d.Diagnose(context.Background(), FromBounce(readBounce(t, b)))
		if n := strings.Count(log.String(), "\n"); n != 1 {
			t.Errorf("%s: %d log lines, want 1", b, n)
		}
		for _, c := range r.Checks {
			if strings.Contains(log.String(), c.Target) {
				t.Errorf("%s: the log line names the target %s: %s", b, c.Target, log.String())
			}
		}
	}
	for _, name := range srv.Names() {
		first, _, _ := strings.Cut(name, ".")
		for _, l := range locals {
			if strings.TrimSuffix(l, "@") == first {
				t.Errorf("queried %q, which starts with a local part", name)
			}
		}
		if strings.Contains(name, "@") {
			t.Errorf("queried %q, an address", name)
		}
	}
}
