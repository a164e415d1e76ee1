package catalog

import (
	"bytes"
	"strings"

	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// Provider is a mail provider that gives some codes its own meaning.
//
// Providers, their markers and their rules live in data/providers.json; the
// texts live in package locales, under the provider's ID (its display name and
// where to find its own documentation) and under each meaning's Key. A
// Provider is read-only once loaded, its slices included.
type Provider struct {
	// ID is the provider's key in package locales: "gmail".
	ID string
	// Name is the English display name, for logs and tests; users see the
	// title that package locales keeps under ID.
	Name string
	// Docs is the public page where the provider documents its codes.
	Docs string
	// Markers are lowercase substrings that only the provider's own servers
	// write: host names of its MX and submission servers, stamps it appends
	// to every reply, links to its postmaster pages.
	Markers []string
	// Words are markers that count only as whole words ("gsmtp",
	// "cuda_nsu"), not inside a longer word, host name or address.
	Words []string
	// Subdomains are domains that count only as the tail of a longer host
	// name: "icloud.com" in "mx01.mail.icloud.com", not in "bob@icloud.com".
	Subdomains []string
	// Domains are the provider's lowercase mail domains. They are weak
	// evidence: a recipient address at gmail.com says nothing about which
	// server wrote the reply.
	Domains []string
	// Names are what people call the provider when they ask about it
	// ("from gmail", "outlook says"), lowercase. A person's words name the
	// provider they mean; they are never evidence of which server wrote a
	// pasted text.
	Names []string

	rules []rule
}

// ProviderMeaning is a provider's own reading of a code.
type ProviderMeaning struct {
	Provider *Provider
	// Key is the key of the texts in package locales, such as
	// "gmail/X.7.26". Several codes may share a key when the provider means
	// the same by them.
	Key string
}

// Keys returns the distinct meaning keys of p in the order of the data file.
// It allocates; it is meant for checks and listings, not for matching.
func (p *Provider) Keys() []string {
	var keys []string
	seen := map[string]bool{}
	for i := range p.rules {
		if k := p.rules[i].key; !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}

// Limits on the data, so a detection stays cheap.
const (
	maxProviders = 32
	maxMarkers   = 64 // per provider, markers and domains each
)

// Weights of the specificity of a rule: a tag or a phrase of the server
// outweighs codes, an exact code outweighs a range, and a code with its class
// outweighs the same code without.
const (
	scoreEnhancedExact = 4
	scoreEnhancedRange = 2
	scoreEnhancedClass = 1
	scoreReplyExact    = 2
	scoreReplyClass    = 1
	scoreTag           = 6
	scoreText          = 5
)

// rule is one way of recognising a provider's meaning. Every condition that
// is set must hold.
type rule struct {
	key string

	hasEnhanced bool
	class       uint8 // 0: any class
	subject     uint16
	detailMin   uint16
	detailMax   uint16

	reply      Reply // 0: any reply code
	replyClass Class // 0: any class; from "4xx" or "5xx"

	tag  []byte   // lowercase, matched as a whole word: "tss04" in "[TSS04]"
	text [][]byte // lowercase substrings of the server's text

	score int
}

// matches reports whether code and the server's text meet every condition of
// r. lower is the text with its ASCII letters lowercased (ascii.AppendLower),
// as the rule's words are. It does not allocate.
func (r *rule) matches(code Code, lower []byte) bool {
	if r.hasEnhanced {
		e := code.Enhanced
		if e.IsZero() || e.Subject != r.subject || e.Detail < r.detailMin || e.Detail > r.detailMax {
			return false
		}
		if r.class != 0 && e.Class != r.class {
			return false
		}
	}
	if r.reply != 0 && code.Reply != r.reply {
		return false
	}
	if r.replyClass != 0 && code.Class() != r.replyClass {
		return false
	}
	if len(r.tag) > 0 && !containsTag(lower, r.tag) {
		return false
	}
	for _, t := range r.text {
		if !bytes.Contains(lower, t) {
			return false
		}
	}
	return true
}

// Providers returns every provider in the order of the data file. The slice
// must not be modified.
func (c *Catalog) Providers() []*Provider {
	c.ensureProviders()
	return c.providers
}

// Provider returns the provider with this ID, such as "gmail".
func (c *Catalog) Provider(id string) (*Provider, bool) {
	c.ensureProviders()
	for _, p := range c.providers {
		if p.ID == id {
			return p, true
		}
	}
	return nil, false
}

// ProviderMeaning returns p's own meaning of code as the server text (the line
// that carried it) shows it. Among p's rules that match, the most specific
// wins: a tag or a phrase of the server outweighs codes, an exact code
// outweighs a range of codes; ties go to the rule listed first. It reports
// false when p gives the code no meaning of its own; the registry's meaning
// then stands.
func (c *Catalog) ProviderMeaning(p *Provider, code Code, serverText string) (ProviderMeaning, bool) {
	if p == nil {
		return ProviderMeaning{}, false
	}
	// The text is lowered once for all the rules, which then search it
	// with bytes.Contains: a provider has dozens of rules, and a search
	// ignoring case per rule cost more than the lowering.
	var buf [1024]byte
	lower := ascii.AppendLower(buf[:0], serverText)
	best := -1
	for i := range p.rules {
		r := &p.rules[i]
		if (best < 0 || r.score > p.rules[best].score) && r.matches(code, lower) {
			best = i
		}
	}
	if best < 0 {
		return ProviderMeaning{}, false
	}
	return ProviderMeaning{Provider: p, Key: p.rules[best].key}, true
}

// containsTag reports whether word occurs in s with no letter or digit
// right before or after it: "tss04" is found in "[tss04]" but not in
// "tss041". Both are lowercase, so that "[TSS04]" is found once lowered.
func containsTag(s, word []byte) bool {
	for off := 0; off < len(s); {
		i := bytes.Index(s[off:], word)
		if i < 0 {
			return false
		}
		i += off
		end := i + len(word)
		if (i == 0 || !ascii.IsAlnum(s[i-1])) && (end == len(s) || !ascii.IsAlnum(s[end])) {
			return true
		}
		off = i + 1
	}
	return false
}

// isHostByte reports whether b can be part of a host name label.
func isHostByte(b byte) bool { return ascii.IsAlnum(b) || b == '-' || b == '_' }

// containsHostFold reports whether domain occurs in s as a host name or the
// tail of one ("gmail.com", "alt1.gmail.com"), ignoring ASCII case, but not
// as the domain of an address ("bob@gmail.com") nor inside a longer name
// ("acme.com" does not contain "me.com", "gmail.com.example" not "gmail.com").
func containsHostFold(s, domain string) bool {
	for off := 0; off < len(s); {
		i := ascii.IndexFold(s[off:], domain)
		if i < 0 {
			return false
		}
		if isHostAt(s, off+i, len(domain)) {
			return true
		}
		off += i + 1
	}
	return false
}

// isHostAt reports whether the n bytes of s at i stand as a host name or the
// tail of one, by the rules of containsHostFold.
func isHostAt(s string, i, n int) bool {
	end := i + n
	left := i == 0 || (!isHostByte(s[i-1]) && s[i-1] != '@')
	right := end == len(s) || !isHostByte(s[end]) &&
		!(s[end] == '.' && end+1 < len(s) && isHostByte(s[end+1]))
	return left && right
}

// nextLogicalLine splits off the first logical line of s: a line with the
// indented lines that continue it, as in wrapped bounce text and folded
// headers.
func nextLogicalLine(s string) (line, rest string) {
	end := 0
	for {
		i := strings.IndexByte(s[end:], '\n')
		if i < 0 {
			return s, ""
		}
		end += i + 1
		if end == len(s) || (s[end] != ' ' && s[end] != '\t') {
			return s[:end], s[end:]
		}
	}
}

// traceHeaders are the header fields that record where the original message
// went, lowercase, with their colon or as a prefix.
var traceHeaders = [...]string{
	"received:", "x-", "arc-", "dkim-signature:", "authentication-results:", "received-spf:",
}

// isTraceHeader reports whether a logical line is a trace header field.
func isTraceHeader(line string) bool {
	for _, h := range traceHeaders {
		if len(line) >= len(h) && ascii.IndexFold(line[:len(h)], h) == 0 {
			return true
		}
	}
	return false
}

// hasReplyCode reports whether s carries a 4xx or 5xx reply code: three
// digits, the second 0 to 5, standing alone before a space, a tab, a hyphen
// or the end, and not part of a larger or dotted number.
func hasReplyCode(s string) bool {
	for i := 0; i+3 <= len(s); i++ {
		if b := s[i]; b != '4' && b != '5' {
			continue
		}
		if s[i+1] < '0' || s[i+1] > '5' || !isDigit(s[i+2]) {
			continue
		}
		if i > 0 {
			if p := s[i-1]; ascii.IsAlnum(p) || p == '.' || p == ':' || p == '-' {
				continue
			}
		}
		if i+3 == len(s) {
			return true
		}
		switch s[i+3] {
		case ' ', '\t', '-', '\r', '\n':
			return true
		}
	}
	return false
}
