package diagnose

import (
	"errors"
	"net/netip"
	"slices"
	"testing"
)

// What each bounce lets one check. The local parts in them never appear.
func TestFromBounce(t *testing.T) {
	ip := netip.MustParseAddr
	tests := []struct {
		bounce string
		want   Targets
		needs  Need
	}{
		// A Postfix DSN: Final-Recipient; the daemon's From is not the
		// sender, the address it writes to is (RFC 5321, section 6.1).
		{"null-mx.txt", Targets{Recipient: "nullmx.test", MailFrom: "sender.test"}, NeedRouting},
		// A pasted Postfix DSN without the returned message: the
		// per-message X-Postfix-Sender names the envelope sender.
		{"postfix-sender.txt", Targets{Recipient: "strict.test", MailFrom: "spf-omit.test", IP: ip("192.0.2.4")}, NeedAuth},
		// A DSN from MAILER-DAEMON without the returned message: its To.
		{"dsn-to.txt", Targets{Recipient: "strict.test", MailFrom: "spf-omit.test", IP: ip("192.0.2.4")}, NeedAuth},
		// No header and no sender anywhere: nothing is made up.
		{"no-sender.txt", Targets{Recipient: "strict.test", IP: ip("192.0.2.4")}, NeedAuth},
		// Gmail's SPF text names the domain and the IP.
		{"spf-fail.txt", Targets{MailFrom: "spf-omit.test", IP: ip("192.0.2.4")}, NeedAuth},
		// multipart/report: the returned headers' From and Return-Path,
		// the IP of their newest Received hop.
		{"spf-lookups.txt", Targets{Recipient: "outlook.test", From: "spf-loop.test", MailFrom: "spf-loop.test", IP: ip("192.0.2.4")}, NeedAuth},
		// message/rfc822 with a DKIM-Signature; quoted-printable text;
		// Remote-MTA's address is the receiver's and is not taken.
		{"dmarc-misaligned.txt", Targets{Recipient: "gmail.test", From: "dmarc-reject.test", MailFrom: "bounces.esp-mailer.test", DKIMDomain: "esp-mailer.test", DKIMSelector: "s1"}, NeedAuth},
		// A plain paste: the original message follows a marker.
		{"dkim-missing.txt", Targets{Recipient: "gmail.test", From: "dkim-missing.test", MailFrom: "dkim-missing.test", IP: ip("192.0.2.4"), DKIMDomain: "dkim-missing.test", DKIMSelector: "gone"}, NeedAuth},
		// Gmail's 5.7.25 puts the IP first, in brackets.
		{"no-ptr.txt", Targets{Recipient: "gmail.test", From: "noptr.test", IP: ip("192.0.2.66")}, NeedAuth},
		// Postfix's "mx.corp.test[198.51.100.25]" is the remote server;
		// "Client host [192.0.2.7]" is the sender.
		{"dnsbl-listed.txt", Targets{Recipient: "corp.test", IP: ip("192.0.2.7"), Lists: []string{"bl.fake-dnsbl.test"}}, NeedReputation},
		// A known list is not repeated among the named ones.
		{"spamhaus-refused.txt", Targets{Recipient: "corp.test", IP: ip("192.0.2.8"), Lists: []string{"zen.spamhaus.org"}}, NeedReputation},
		{"tls.txt", Targets{Recipient: "tls.test"}, NeedTLS},
	}
	for _, tt := range tests {
		t.Run(tt.bounce, func(t *testing.T) {
			p := FromBounce(readBounce(t, tt.bounce))
			got := p.Targets
			if got.Recipient != tt.want.Recipient || got.From != tt.want.From || got.MailFrom != tt.want.MailFrom ||
				got.IP != tt.want.IP || got.DKIMDomain != tt.want.DKIMDomain || got.DKIMSelector != tt.want.DKIMSelector ||
				!slices.Equal(got.Lists, tt.want.Lists) {
				t.Errorf("targets\n got %+v\nwant %+v", got, tt.want)
			}
			if p.Needs != tt.needs {
				t.Errorf("needs = %04b, want %04b", p.Needs, tt.needs)
			}
		})
	}
}

// The To of a bounce is the envelope sender only when the mailer daemon
// sent it, to one address that is not the postmaster's, and only in the
// bounce's own header.
func TestBounceTo(t *testing.T) {
	const dsn = "\n\nFinal-Recipient: rfc822; reader@strict.test\nStatus: 5.7.23\nDiagnostic-Code: smtp; 550 5.7.23 SPF validation failed for 192.0.2.4\n"
	tests := []struct {
		head, want string
	}{
		{"From: MAILER-DAEMON@mx.test\nTo: news@a.test", "a.test"},
		{"From: Mail Delivery System <postmaster@mx.test>\nTo: <news@a.test>", "a.test"},
		{"From: MAILER-DAEMON@mx.test\r\nTo: news@a.test\r", "a.test"},
		{"From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@mx.test>\nTo: News <news@a.test>", "a.test"},
		// A message someone forwarded: its To is whoever got it.
		{"From: Ana <ana@b.test>\nTo: news@a.test", ""},
		// No From: whose message this is, is unknown.
		{"To: news@a.test", ""},
		// A copy to the postmaster, or to several people.
		{"From: MAILER-DAEMON@mx.test\nTo: postmaster@a.test", ""},
		{"From: MAILER-DAEMON@mx.test\nTo: news@a.test, ops@c.test", ""},
	}
	for _, tt := range tests {
		if got := FromBounce(tt.head + dsn).Targets.MailFrom; got != tt.want {
			t.Errorf("%q: MailFrom = %q, want %q", tt.head, got, tt.want)
		}
	}
	// A To further down (a pasted original, a quoted header) is not the
	// bounce's own.
	if got := FromBounce("550 5.7.23 SPF validation failed for 192.0.2.4\n\nFrom: MAILER-DAEMON@mx.test\nTo: news@a.test\n").Targets.MailFrom; got != "" {
		t.Errorf("a To below the first blank line was taken: %q", got)
	}
}

// Codes and words that call for checks, and some that call for none.
func TestNeeds(t *testing.T) {
	tests := []struct {
		text string
		want Need
	}{
		{"550 5.1.1 <a@example.com>: Recipient address rejected: User unknown", 0},
		{"550 5.7.606 Access denied, banned sending IP [192.0.2.4]", NeedReputation},
		{"550 5.7.650 Access denied", 0},
		{"421 4.7.0 [TSS04] Messages from 192.0.2.4 temporarily deferred due to unexpected volume or user complaints", NeedReputation},
		{"550 5.7.25 requireptr: no PTR record", NeedAuth},
		{"556 5.1.10 Recipient domain has a null MX", NeedRouting},
		{"550 5.4.4 Unable to route", NeedRouting},
		// A failed DNS lookup: whether this resolver gets an answer tells
		// the sending host's resolver from the recipient's name servers.
		{"Status: 5.4.3\nDiagnostic-Code: X-Postfix; Host or domain name not found. Name service error for name=example.com type=MX: Non-recoverable error", NeedRouting},
		{"Status: 4.4.3\nDiagnostic-Code: X-Postfix; Host or domain name not found. Name service error for name=example.com type=MX: Host not found, try again", NeedRouting},
		{"530 5.7.10 Must issue a STARTTLS command first", NeedTLS},
		// Words that only the catalog's bounce reasons know.
		{"450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.4]", NeedAuth},
		{"554 5.7.1 Service unavailable; Client host [192.0.2.4] blocked by the receiving site", NeedReputation},
	}
	for _, tt := range tests {
		if got := FromBounce(tt.text).Needs; got != tt.want {
			t.Errorf("%q: needs %04b, want %04b", tt.text, got, tt.want)
		}
	}
}

func TestParseTargets(t *testing.T) {
	plans, err := ParseTargets([]string{"Example.COM.", "192.0.2.4"})
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) != 1 || plans[0].Targets.From != "example.com" || plans[0].Targets.IP != netip.MustParseAddr("192.0.2.4") ||
		plans[0].Needs != NeedRouting|NeedAuth|NeedTLS|NeedReputation {
		t.Errorf("domain + IP: %+v", plans)
	}
	plans, err = ParseTargets([]string{"jane.doe@example.org", "s1._domainkey.example.net", "2001:db8::1", "198.51.100.9"})
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) != 4 {
		t.Fatalf("got %d plans, want 4: %+v", len(plans), plans)
	}
	if p := plans[0].Targets; p.From != "example.org" || p.IP.IsValid() {
		t.Errorf("address: %+v, want its domain only and no IP (two IPs given)", p)
	}
	if p := plans[1].Targets; p.DKIMSelector != "s1" || p.DKIMDomain != "example.net" {
		t.Errorf("DKIM name: %+v", p)
	}
	if p := plans[2]; p.Targets.IP != netip.MustParseAddr("2001:db8::1") || p.Needs != NeedReputation {
		t.Errorf("IPv6: %+v", p)
	}
	for _, bad := range [][]string{{"not a domain"}, {"localhost"}, {"-"}, {"exa_mple..com"}} {
		if _, err := ParseTargets(bad); !errors.Is(err, ErrTarget) {
			t.Errorf("%q: err = %v, want ErrTarget", bad, err)
		}
	}
}

// The blocklists a server's words name. Only a real blocklist is taken: a
// zone in a phrase that says the sender is listed on it, or the catalog's
// known list after looser words ("rejected by"); a host that merely
// rejected the message is no zone to query.
func TestNamedLists(t *testing.T) {
	tests := []struct {
		words string
		want  []string
	}{
		// Postfix's reject_rbl_client.
		{"554 5.7.1 Service unavailable; Client host [192.0.2.4] blocked using zen.spamhaus.org", []string{"zen.spamhaus.org"}},
		{"550 5.7.1 Your IP 192.0.2.4 is listed in bl.spamcop.net", []string{"bl.spamcop.net"}},
		{"550 5.7.1 192.0.2.4 listed at dnsbl.example.org", []string{"dnsbl.example.org"}},
		{"550 5.7.1 192.0.2.4 is listed on bl.example.org; see its site", []string{"bl.example.org"}},
		// The server that rejected the message is not a list.
		{"550 5.7.1 Message rejected by mx.example.com", nil},
		{"554 5.7.1 <a@example.com>: Relay access denied, rejected by mail.example.net.", nil},
		// ... unless it is a list the catalog knows.
		{"554 5.7.1 Service unavailable, rejected by b.barracudacentral.org", []string{"b.barracudacentral.org"}},
		{"550 5.7.1 rejected by cbl.abuseat.org", []string{"cbl.abuseat.org"}},
		// No zone at all.
		{"550 5.7.1 rejected by Spamhaus", nil},
	}
	for _, tt := range tests {
		var got Targets
		readServerWords(tt.words, tt.words, &got)
		if !slices.Equal(got.Lists, tt.want) {
			t.Errorf("%q: lists %q, want %q", tt.words, got.Lists, tt.want)
		}
	}
}
