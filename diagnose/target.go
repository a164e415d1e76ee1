package diagnose

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Targets are what can be checked: domains and an IP address, never a
// mailbox's local part.
type Targets struct {
	// Recipient is the domain the message was sent to.
	Recipient string
	// From is the domain in the message's From header, the one DMARC
	// protects.
	From string
	// MailFrom is the envelope sender's domain (Return-Path), the one SPF
	// checks; empty when unknown.
	MailFrom string
	// IP is the address that sent the message, when the bounce says.
	IP netip.Addr
	// DKIMDomain and DKIMSelector come from a returned DKIM-Signature.
	DKIMDomain, DKIMSelector string
	// Lists are DNSBL zones the bounce names ("blocked using ..."), at
	// most three; a known list is queried on its own zone (see lists).
	Lists []string
}

// Plan is what to check: the targets, and the families of checks the
// bounce's codes and words call for.
type Plan struct {
	Targets Targets
	Needs   Need
	// Typed: the targets were typed by hand, not read from a bounce, so
	// there is no message or refusal to explain.
	Typed bool
}

// authDomain is the sender's domain that SPF is evaluated on: the envelope
// sender's when known, else the From domain.
func (t *Targets) authDomain() string {
	if t.MailFrom != "" {
		return t.MailFrom
	}
	return t.From
}

// ErrTarget is wrapped by every target that cannot be checked.
var ErrTarget = errors.New("diagnose: not a domain or IP address")

// hostname accepts a DNS name of letters, digits, hyphens and dots (and
// underscores, for _domainkey names), with a dot in it.
var hostname = lazyRegexp(`^(?i)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]\.?$`)

// normDomain lower-cases a domain and checks its shape; it returns "" for
// anything else, IDNs included unless already in A-label form.
func normDomain(s string) string {
	s = strings.ToLower(strings.Trim(strings.TrimSpace(s), "[]<>.,;:()'\""))
	if len(s) > 253 || !hostname().MatchString(s) {
		return ""
	}
	return strings.TrimSuffix(s, ".")
}

// domainOf returns the domain of an address, dropping the local part at
// once so that it is never looked up or kept.
func domainOf(addr string) string {
	addr = strings.Trim(strings.TrimSpace(addr), "<>")
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	return normDomain(addr[i+1:])
}

// orgDomain is the organizational domain (RFC 7489, section 3.2): the
// public suffix plus one label, from the public suffix list.
func orgDomain(d string) string {
	org, err := publicsuffix.EffectiveTLDPlusOne(d)
	if err != nil {
		return d
	}
	return org
}

// ParseTargets reads targets typed on the command line or after
// "/smtp check": domains, IP addresses, email addresses (only the domain
// is kept) and DKIM names (selector._domainkey.example.com). One IP with
// domains is the sending IP of each: SPF is evaluated for it. Each domain
// is checked for routing, authentication and TLS; each IP for its PTR and
// blocklists.
func ParseTargets(args []string) ([]Plan, error) {
	var domains []Targets
	var ips []netip.Addr
	var bad []string
	for _, a := range args {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if ip, err := netip.ParseAddr(strings.Trim(a, "[]")); err == nil {
			ips = append(ips, ip.Unmap())
			continue
		}
		if strings.Contains(a, "@") {
			a = domainOf(a)
		}
		d := normDomain(a)
		if d == "" {
			bad = append(bad, a)
			continue
		}
		t := Targets{Recipient: d, From: d}
		if sel, dom, ok := strings.Cut(d, "._domainkey."); ok {
			if normDomain(dom) == "" || !validSelector(sel) {
				bad = append(bad, a)
				continue
			}
			t = Targets{From: dom, Recipient: dom, DKIMSelector: sel, DKIMDomain: dom}
		}
		domains = append(domains, t)
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrTarget, strings.Join(bad, ", "))
	}
	var plans []Plan
	for _, t := range domains {
		if len(ips) == 1 {
			t.IP = ips[0]
		}
		plans = append(plans, Plan{Targets: t, Needs: NeedRouting | NeedAuth | NeedTLS, Typed: true})
	}
	for _, ip := range ips {
		if len(ips) == 1 && len(domains) > 0 {
			plans[0].Needs |= NeedReputation
			break
		}
		plans = append(plans, Plan{Targets: Targets{IP: ip}, Needs: NeedReputation, Typed: true})
	}
	return plans, nil
}
