package diagnose

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/smtpcodes/smtpbot/catalog/extract"
)

// FromBounce works out what a bounce lets one check: the recipient domain
// (the DSN's Final-Recipient, the address a server refused), the sender's
// From and envelope domains (the returned message's headers; without
// them, the DSN's X-Postfix-Sender, or the To of a bounce from the mailer
// daemon, which is the envelope sender), the sending IP (from the server's
// words, "[192.0.2.4] blocked using ...", else the returned message's last
// Received hop), the DKIM selector of a returned DKIM-Signature, and any
// blocklist the text names; and which checks its codes and words call
// for. Local parts of addresses are dropped as soon as they are read.
//
// The DSN's Remote-MTA is the receiving server, not the sender, so its
// address is never taken as the sending IP.
func FromBounce(text string) Plan {
	return FromExtraction(text, extract.Extract(text))
}

// FromExtraction is FromBounce for a caller that already ran
// extract.Extract on text. A bounce whose codes and words call for no
// check (a full mailbox, an unknown user) is not read any further.
func FromExtraction(text string, x extract.Extraction) Plan {
	var words strings.Builder
	for _, f := range x.Findings {
		if f.Role != extract.RoleQuoted {
			words.WriteString(f.ServerText + "\n")
		}
	}
	w := words.String()
	if len(x.Findings) == 0 {
		w = text
	}
	p := Plan{Needs: needsOf(x.Findings, w)}
	if p.Needs == 0 {
		return p
	}
	t := &p.Targets
	secs := flatten(text)
	readFields(secs, t)
	readServerWords(w, text, t)
	if !t.IP.IsValid() {
		t.IP = serverIP(w)
	}
	if !t.IP.IsValid() {
		t.IP = receivedIP(secs)
	}
	return p
}

// fieldsOf yields each header-like line of a section, continuation lines
// unfolded, as a lower-cased name and its value.
func fieldsOf(s string, yield func(name, value string)) {
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		name, value, ok := strings.Cut(line, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") || len(name) > 40 {
			continue
		}
		for i+1 < len(lines) && len(lines[i+1]) > 0 && (lines[i+1][0] == ' ' || lines[i+1][0] == '\t') {
			i++
			value += " " + strings.TrimSpace(lines[i])
		}
		yield(strings.ToLower(name), strings.TrimSpace(value))
	}
}

var addrRe = lazyRegexp(`[A-Za-z0-9._%+'=-]*@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)

// daemon is true for the addresses bounces come from.
func daemon(v string) bool {
	v = strings.ToLower(v)
	return strings.Contains(v, "mailer-daemon") || strings.Contains(v, "postmaster@") || strings.TrimSpace(v) == "<>" || v == ""
}

// firstDomain is the domain of the first address in v.
func firstDomain(v string) string {
	if m := addrRe().FindString(v); m != "" {
		return domainOf(m)
	}
	return ""
}

// readFields takes targets from header fields and DSN fields.
func readFields(secs []section, t *Targets) {
	var from, origFrom, retPath, origRetPath, dsnSender string
	for _, s := range secs {
		fieldsOf(s.text, func(name, v string) {
			switch name {
			case "final-recipient", "original-recipient", "x-failed-recipients":
				if t.Recipient == "" {
					t.Recipient = firstDomain(v)
				}
			case "from":
				if !daemon(v) {
					if d := firstDomain(v); d != "" {
						if s.original {
							origFrom = d
						} else if from == "" {
							from = d
						}
					}
				}
			case "return-path":
				if !daemon(v) {
					if d := firstDomain(v); d != "" {
						if s.original {
							origRetPath = d
						} else if retPath == "" {
							retPath = d
						}
					}
				}
			case "x-postfix-sender":
				// Postfix's per-message DSN field: the envelope sender,
				// "rfc822; user@example.com" ("rfc822;" alone for <>).
				if !s.original && dsnSender == "" && !daemon(v) {
					dsnSender = firstDomain(v)
				}
			case "to":
				if s.original && t.Recipient == "" {
					t.Recipient = firstDomain(v)
				}
			case "dkim-signature":
				if t.DKIMSelector == "" {
					tags := tagList(v)
					if d, sel := normDomain(tags["d"]), tags["s"]; d != "" && validSelector(sel) {
						t.DKIMDomain, t.DKIMSelector = d, strings.ToLower(sel)
					}
				}
			}
		})
	}
	// The returned message's headers are the sender's; outside it, a From
	// that is not the mailer daemon is the best there is (a pasted log).
	// Without the returned message's Return-Path, the envelope sender is
	// what the DSN says it is, else the address the bounce was sent to.
	t.From = cmpOrStr(origFrom, from)
	t.MailFrom = cmpOrStr(origRetPath, cmpOrStr(dsnSender, cmpOrStr(retPath, bounceTo(secs))))
}

// bounceTo is the domain of the bounce's own To when a mailer daemon sent
// it: a notification of failed delivery goes to the original message's
// envelope sender, its reverse-path (RFC 5321, section 6.1). Only the
// bounce's own header is read, the lines before its first blank line, and
// only a To that names one address that is not the postmaster's (a copy
// to the postmaster is not the sender's). Exchange's reports come from a
// system mailbox of its own, which counts as the daemon.
func bounceTo(secs []section) string {
	if len(secs) == 0 || secs[0].original {
		return ""
	}
	head := strings.ReplaceAll(secs[0].text, "\r\n", "\n")
	head, _, _ = strings.Cut(head, "\n\n")
	var from, to string
	var sawFrom, sawTo bool
	fieldsOf(head, func(name, v string) {
		switch {
		case name == "from" && !sawFrom:
			from, sawFrom = v, true
		case name == "to" && !sawTo:
			to, sawTo = v, true
		}
	})
	if !sawFrom || !daemon(from) && !exchangeDaemon(from) || !sawTo || daemon(to) || len(addrRe().FindAllString(to, 2)) != 1 {
		return ""
	}
	return firstDomain(to)
}

// exchangeDaemon is true for the system mailbox Exchange and Microsoft 365
// send their non-delivery reports from ("Microsoft Outlook
// <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com>").
func exchangeDaemon(v string) bool {
	m := addrRe().FindString(v)
	return strings.HasPrefix(strings.ToLower(m), "microsoftexchange")
}

func cmpOrStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

var selectorRe = lazyRegexp(`^(?i)[a-z0-9_-]+(\.[a-z0-9_-]+)*$`)

func validSelector(s string) bool { return len(s) <= 63 && selectorRe().MatchString(s) }

// tagList parses a DKIM or DMARC tag=value list.
func tagList(v string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(v, ";") {
		k, val, ok := strings.Cut(kv, "=")
		if ok {
			out[strings.ToLower(strings.TrimSpace(k))] = strings.Join(strings.Fields(val), "")
		}
	}
	return out
}

// Patterns of the server's words that name targets.
var (
	// Postfix logs and transcripts: "to=<a@b>", "RCPT TO:<a@b>", "<a@b>:
	// Recipient address rejected".
	recipientRe = lazyRegexp(`(?im)(?:\bto=<|rcpt to:\s*<|^\s*<)([^<>\s@]*@[A-Za-z0-9.-]+)>`)
	senderRe    = lazyRegexp(`(?i)(?:\bfrom=<|mail from:\s*<)([^<>\s@]*@[A-Za-z0-9.-]+)>`)
	// Gmail: "Unauthenticated email from example.com is not accepted",
	// "SPF check for [example.com] did not pass with ip: [192.0.2.4]".
	gmailFromRe = lazyRegexp(`(?i)email from ([a-z0-9.-]+\.[a-z]{2,}) is not accepted`)
	gmailSPFRe  = lazyRegexp(`(?i)spf check for \[?([a-z0-9.-]+\.[a-z]{2,})\]? did not pass with ip:? \[?([0-9a-f:.]+)\]?`)
	// "blocked using zen.spamhaus.org", "listed on bl.example.org": the
	// words say the sender is on the list, so the name is a zone. After
	// "rejected by" comes the list or, as often, the server that rejected
	// the message: only a list the catalog knows is taken there.
	listRe = lazyRegexp(`(?i)(blocked using|listed (?:on|in|at|by)|rejected by) ([a-z0-9-]+(?:\.[a-z0-9-]+)+)`)
)

// readServerWords takes targets from what the servers said (w), and from
// the log lines and transcripts of the whole text.
func readServerWords(w, text string, t *Targets) {
	if len(text) > maxFlatText {
		text = text[:maxFlatText]
	}
	if t.Recipient == "" {
		for _, m := range recipientRe().FindAllStringSubmatch(text, 8) {
			if d := domainOf(m[1]); d != "" && !daemon(m[1]) {
				t.Recipient = d
				break
			}
		}
	}
	if t.MailFrom == "" {
		if m := senderRe().FindStringSubmatch(text); m != nil {
			t.MailFrom = domainOf(m[1])
		}
	}
	if m := gmailSPFRe().FindStringSubmatch(w); m != nil {
		if t.MailFrom == "" {
			t.MailFrom = normDomain(m[1])
		}
		if ip, err := netip.ParseAddr(m[2]); err == nil && usable(ip) {
			t.IP = ip.Unmap()
		}
	}
	if t.From == "" {
		if m := gmailFromRe().FindStringSubmatch(w); m != nil {
			t.From = normDomain(m[1])
		}
	}
	for _, m := range listRe().FindAllStringSubmatch(w, -1) {
		zone := normDomain(m[2])
		if zone == "" {
			continue
		}
		if _, known := knownList(zone); !known && strings.EqualFold(m[1], "rejected by") {
			continue
		}
		if !slices.Contains(t.Lists, zone) && len(t.Lists) < 3 {
			t.Lists = append(t.Lists, zone)
		}
	}
}

var ipRe = lazyRegexp(`(?i)\[?(?:\d{1,3}\.){3}\d{1,3}\]?|\[(?:ipv6:)?[0-9a-f]*:[0-9a-f:.]+\]`)

// usable is false for addresses that say nothing about a sender on the
// internet: loopback, private, link-local, unspecified.
func usable(ip netip.Addr) bool {
	return ip.IsValid() && !ip.IsLoopback() && !ip.IsPrivate() && !ip.IsLinkLocalUnicast() && !ip.IsUnspecified() && !ip.IsMulticast()
}

// serverIP finds the sending IP in the server's words: the first usable
// address that does not directly follow a host name, as Postfix writes the
// remote server ("mx.example.net[192.0.2.44]").
func serverIP(w string) netip.Addr {
	for _, loc := range ipRe().FindAllStringIndex(w, 32) {
		raw := w[loc[0]:loc[1]]
		if loc[0] > 0 && raw[0] == '[' {
			if c := w[loc[0]-1]; c == '.' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
				continue
			}
		}
		s := strings.TrimPrefix(strings.ToLower(strings.Trim(raw, "[]")), "ipv6:")
		if ip, err := netip.ParseAddr(s); err == nil && usable(ip) {
			return ip.Unmap()
		}
	}
	return netip.Addr{}
}

// receivedIP is the address in the newest Received field of the returned
// message that names one: the hop the receiving side saw the message
// come from.
func receivedIP(secs []section) netip.Addr {
	for _, s := range secs {
		if !s.original {
			continue
		}
		var found netip.Addr
		fieldsOf(s.text, func(name, v string) {
			if name != "received" || found.IsValid() {
				return
			}
			from, _, _ := strings.Cut(v, " by ")
			for _, m := range ipRe().FindAllString(from, 4) {
				ip, err := netip.ParseAddr(strings.TrimPrefix(strings.ToLower(strings.Trim(m, "[]")), "ipv6:"))
				if err == nil && usable(ip) {
					found = ip.Unmap()
					return
				}
			}
		})
		if found.IsValid() {
			return found
		}
	}
	return netip.Addr{}
}
