package diagnose

import (
	"strings"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/catalog/extract"
)

// Need is a family of checks a bounce calls for.
type Need uint8

// The families of checks.
const (
	// NeedRouting: the recipient domain's MX, null MX, A/AAAA fallback.
	NeedRouting Need = 1 << iota
	// NeedAuth: SPF for the sending IP, DMARC and alignment, the DKIM key,
	// PTR and forward-confirmed reverse DNS.
	NeedAuth
	// NeedReputation: DNSBL listings of the sending IP, and its PTR.
	NeedReputation
	// NeedTLS: the recipient domain's MTA-STS and TLS-RPT records.
	NeedTLS
)

// This file is the one place that says which checks a code, the bounce
// reason the catalog reads from the server's words, or the words
// themselves call for.

// reasonNeeds maps bounce reasons (catalog.Classify) to checks.
var reasonNeeds = map[catalog.Reason]Need{
	catalog.ReasonHostUnknown:    NeedRouting,
	catalog.ReasonNotAccept:      NeedRouting,
	catalog.ReasonAuthFailure:    NeedAuth,
	catalog.ReasonRequirePTR:     NeedAuth,
	catalog.ReasonBlocked:        NeedReputation,
	catalog.ReasonBadReputation:  NeedReputation,
	catalog.ReasonFailedSTARTTLS: NeedTLS,
}

// codeNeeds maps reply and enhanced codes (as catalog.Code prints them)
// to checks.
var codeNeeds = map[string]Need{
	"556":    NeedRouting, // RFC 7504: the domain does not accept mail
	"5.1.2":  NeedRouting, // bad destination system address
	"5.4.4":  NeedRouting, // unable to route
	"5.1.10": NeedRouting, // registry: the recipient's domain has a null MX (Microsoft 365 also sends it for an unknown recipient)
	"4.4.4":  NeedRouting,
	"4.4.3":  NeedRouting, // directory server failure: DNS lookups of the recipient domain failing
	"5.4.3":  NeedRouting, // Postfix: a non-recoverable DNS error; this resolver's answer tells whose it is
	"5.7.23": NeedAuth,    // SPF validation failed
	"5.7.24": NeedAuth,    // SPF validation error
	"5.7.25": NeedAuth,    // reverse DNS validation failed (Gmail: no PTR)
	"5.7.26": NeedAuth,    // multiple authentication checks failed (Gmail: DMARC)
	"5.7.27": NeedAuth,    // sender address has null MX (Gmail: SPF)
	"5.7.28": NeedAuth,
	"5.7.29": NeedAuth,
	"5.7.30": NeedAuth,
	"4.7.23": NeedAuth,
	"4.7.24": NeedAuth,
	"4.7.25": NeedAuth,
	"4.7.26": NeedAuth,
	"4.7.27": NeedAuth,
	"4.7.28": NeedAuth,
	"4.7.29": NeedAuth,
	"4.7.30": NeedAuth,
	"5.7.10": NeedTLS, // encryption needed
	"4.7.5":  NeedTLS, // cryptographic failure
	"5.7.5":  NeedTLS,
	"4.7.10": NeedTLS,
}

// wordNeeds maps words in the server's text, lower-cased, to checks.
var wordNeeds = []struct {
	word string
	need Need
}{
	{"host unknown", NeedRouting},
	{"host not found", NeedRouting},
	{"domain not found", NeedRouting},
	{"no mx", NeedRouting},
	{"null mx", NeedRouting},
	{"nxdomain", NeedRouting},
	{"name or service not known", NeedRouting},
	{"does not accept mail", NeedRouting},
	{"unrouteable", NeedRouting},
	{"name service error", NeedRouting}, // Postfix's failed DNS lookups
	{"spf", NeedAuth},
	{"sender policy framework", NeedAuth},
	{"dkim", NeedAuth},
	{"dmarc", NeedAuth},
	{"unauthenticated", NeedAuth},
	{"not authenticated", NeedAuth},
	{"authentication", NeedAuth},
	{"ptr record", NeedAuth},
	{"reverse dns", NeedAuth},
	{"requireptr", NeedAuth},
	{"blocked using", NeedReputation},
	{"spamhaus", NeedReputation},
	{"barracuda", NeedReputation},
	{"spamcop", NeedReputation},
	{"blacklist", NeedReputation},
	{"blocklist", NeedReputation},
	{"block list", NeedReputation},
	{"listed on", NeedReputation},
	{"listed in", NeedReputation},
	{"reputation", NeedReputation},
	{"tss04", NeedReputation}, // Yahoo: temporarily deferred for reputation
	{"banned sending ip", NeedReputation},
	{"failedstarttls", NeedTLS},
	{"starttls", NeedTLS},
	{"tls negotiation", NeedTLS},
	{"tls handshake", NeedTLS},
	{"must use tls", NeedTLS},
	{"mta-sts", NeedTLS},
	{"certificate", NeedTLS},
}

// msReputation is Microsoft's range of "banned sending IP" codes,
// 5.7.606 to 5.7.649.
func msReputation(code string) bool {
	rest, ok := strings.CutPrefix(code, "5.7.6")
	if !ok || len(rest) != 2 || rest[0] < '0' || rest[0] > '4' || rest[1] < '0' || rest[1] > '9' {
		return false
	}
	return rest >= "06" && rest <= "49"
}

// needsOf decides the checks for what a bounce says: the codes of its
// failures, and the server's words.
func needsOf(findings []extract.Finding, words string) Need {
	var n Need
	for _, f := range findings {
		if f.Role == extract.RoleQuoted {
			continue
		}
		if c, err := catalog.Default(); err == nil {
			if v, ok := c.Classify(catalog.Failure{Code: f.Code, ServerText: f.ServerText, Final: f.Final}); ok {
				n |= reasonNeeds[v.Reason]
			}
		}
		for _, k := range []string{f.Code.String(), f.Code.Enhanced.String(), f.Code.Reply.String()} {
			n |= codeNeeds[k]
			if msReputation(k) {
				n |= NeedReputation
			}
		}
	}
	words = strings.ToLower(words)
	for _, w := range wordNeeds {
		if strings.Contains(words, w.word) {
			n |= w.need
		}
	}
	return n
}
