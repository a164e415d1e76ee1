package catalog

// Loading data/providers.json and data/blocklists.json: their JSON form, the
// checks that keep every rule cheap to match, and the automaton over every
// mark.

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// providerJSON is the form of one provider in data/providers.json.
type providerJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Names      []string   `json:"names"`
	Docs       string     `json:"docs"`
	Markers    []string   `json:"markers"`
	Words      []string   `json:"words"`
	Subdomains []string   `json:"subdomains"`
	Domains    []string   `json:"domains"`
	Meanings   []ruleJSON `json:"meanings"`
}

// ruleJSON is the form of one rule. Enhanced is "5.7.26" (that class only),
// "X.7.26" (any class) or "5.7.606-649" (a range of details); Reply is "550"
// or "5xx" (any code of that class, taken from the enhanced code when the
// reply is missing); Tag is a bracketed tag without its brackets, "TSS04";
// Text lists lowercase substrings of the server's text.
type ruleJSON struct {
	Key      string   `json:"key"`
	Enhanced string   `json:"enhanced"`
	Reply    string   `json:"reply"`
	Tag      string   `json:"tag"`
	Text     []string `json:"text"`
}

// parseProviders reads and checks the providers file.
func parseProviders(data []byte) ([]*Provider, error) {
	var raw []providerJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	if len(raw) > maxProviders {
		return nil, fmt.Errorf("%d providers: at most %d are supported", len(raw), maxProviders)
	}
	var out []*Provider
	ids := map[string]bool{}
	for _, rp := range raw {
		if rp.ID == "" || strings.Contains(rp.ID, "/") || ids[rp.ID] {
			return nil, fmt.Errorf("provider id %q: empty, contains a slash, or listed twice", rp.ID)
		}
		ids[rp.ID] = true
		if rp.Name == "" {
			return nil, fmt.Errorf("provider %s: no name", rp.ID)
		}
		if !strings.HasPrefix(rp.Docs, "https://") {
			return nil, fmt.Errorf("provider %s: docs must be the https address of the page that documents its codes", rp.ID)
		}
		if len(rp.Markers)+len(rp.Words)+len(rp.Subdomains) == 0 {
			return nil, fmt.Errorf("provider %s: no markers, so it could never be detected", rp.ID)
		}
		if len(rp.Markers)+len(rp.Words)+len(rp.Subdomains) > maxMarkers || len(rp.Domains) > maxMarkers {
			return nil, fmt.Errorf("provider %s: at most %d markers and %d domains", rp.ID, maxMarkers, maxMarkers)
		}
		for _, list := range [][]string{rp.Markers, rp.Words, rp.Subdomains, rp.Domains} {
			for _, s := range list {
				if err := checkMark(s); err != nil {
					return nil, fmt.Errorf("provider %s: marker %w", rp.ID, err)
				}
			}
		}
		for _, n := range rp.Names {
			if n == "" || n != strings.ToLower(n) || strings.TrimSpace(n) != n {
				return nil, fmt.Errorf("provider %s: name %q: lowercase, no outer spaces", rp.ID, n)
			}
			if !hasASCIILetter(n) {
				// ProviderNamed skips texts without one.
				return nil, fmt.Errorf("provider %s: name %q has no letter a to z", rp.ID, n)
			}
		}
		p := &Provider{ID: rp.ID, Name: rp.Name, Docs: rp.Docs, Markers: rp.Markers, Words: rp.Words,
			Subdomains: rp.Subdomains, Domains: rp.Domains, Names: rp.Names}
		for _, rr := range rp.Meanings {
			r, err := parseRule(rr)
			if err != nil {
				return nil, fmt.Errorf("provider %s: meaning %q: %w", rp.ID, rr.Key, err)
			}
			if !strings.HasPrefix(r.key, rp.ID+"/") || len(r.key) == len(rp.ID)+1 {
				return nil, fmt.Errorf("provider %s: meaning key %q must start with %q", rp.ID, r.key, rp.ID+"/")
			}
			p.rules = append(p.rules, r)
		}
		out = append(out, p)
	}
	return out, nil
}

func parseRule(rr ruleJSON) (rule, error) {
	r := rule{key: rr.Key}
	if rr.Enhanced != "" {
		class, subject, detail, ok := splitEnhancedPattern(rr.Enhanced)
		if !ok {
			return r, fmt.Errorf("enhanced %q: want 5.7.26, X.7.26 or 5.7.606-649", rr.Enhanced)
		}
		r.hasEnhanced = true
		r.class = class
		r.subject = subject
		lo, hi, isRange := strings.Cut(detail, "-")
		first, ok1 := parseNumber(lo)
		last, ok2 := first, true
		if isRange {
			last, ok2 = parseNumber(hi)
		}
		if !ok1 || !ok2 || last < first {
			return r, fmt.Errorf("enhanced %q: bad detail", rr.Enhanced)
		}
		r.detailMin, r.detailMax = first, last
		if isRange {
			r.score += scoreEnhancedRange
		} else {
			r.score += scoreEnhancedExact
		}
		if class != 0 {
			r.score += scoreEnhancedClass
		}
	}
	switch {
	case rr.Reply == "":
	case len(rr.Reply) == 3 && rr.Reply[1:] == "xx" && rr.Reply[0] >= '2' && rr.Reply[0] <= '5':
		r.replyClass = Class(rr.Reply[0] - '0')
		r.score += scoreReplyClass
	default:
		reply, err := ParseReply(rr.Reply)
		if err != nil {
			return r, err
		}
		r.reply = reply
		r.score += scoreReplyExact
	}
	if rr.Tag != "" {
		for i := 0; i < len(rr.Tag); i++ {
			if !ascii.IsAlnum(rr.Tag[i]) {
				return r, fmt.Errorf("tag %q: letters and digits only, without brackets", rr.Tag)
			}
		}
		r.tag = []byte(strings.ToLower(rr.Tag))
		r.score += scoreTag
	}
	for _, t := range rr.Text {
		if err := checkNeedle(t); err != nil {
			return r, fmt.Errorf("text %w", err)
		}
		r.text = append(r.text, []byte(t))
		r.score += scoreText
	}
	if r.score == 0 {
		return r, fmt.Errorf("no condition: give an enhanced code, a reply code, a tag or a text")
	}
	if r.hasEnhanced && r.class != 0 && r.replyClass != 0 && Class(r.class) != r.replyClass ||
		r.hasEnhanced && r.class != 0 && r.reply != 0 && Class(r.class) != r.reply.Class() {
		return r, fmt.Errorf("reply %q and enhanced %q are of different classes", rr.Reply, rr.Enhanced)
	}
	return r, nil
}

// splitEnhancedPattern splits "5.7.26", "X.7.26" or "4.7.500-699" into the
// class (0 for X), the subject and the detail part.
func splitEnhancedPattern(s string) (class uint8, subject uint16, detail string, ok bool) {
	c, rest, ok1 := strings.Cut(s, ".")
	sub, detail, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || len(c) != 1 {
		return 0, 0, "", false
	}
	switch c[0] {
	case 'X', 'x':
	case '2', '4', '5':
		class = c[0] - '0'
	default:
		return 0, 0, "", false
	}
	subject, ok = parseNumber(sub)
	return class, subject, detail, ok
}

// checkMark makes sure a mark is a needle (checkNeedle) without control
// bytes, so that no mark spans a line break, and with a letter, so that a
// text without one holds no mark: the detection relies on both.
func checkMark(s string) error {
	if err := checkNeedle(s); err != nil {
		return err
	}
	letter := false
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] == 0x7f {
			return fmt.Errorf("%q: no control characters", s)
		}
		letter = letter || ascii.IsAlpha(s[i])
	}
	if !letter {
		return fmt.Errorf("%q: a mark needs a letter (Detect skips texts without one)", s)
	}
	return nil
}

// checkNeedle makes sure a marker or text is non-empty lowercase ASCII, which
// is what the case-insensitive matching relies on.
func checkNeedle(s string) error {
	if s == "" {
		return fmt.Errorf("is empty")
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; b >= 0x80 || ('A' <= b && b <= 'Z') {
			return fmt.Errorf("%q: lowercase ASCII only", s)
		}
	}
	return nil
}

// ensureProviders reads the providers and the blocklists the first time any
// of them is needed, and returns the error that reading met, if any. A run
// of the command line that explains a code needs none of them, so Load
// leaves them; the package's tests check the embedded data loads. After an
// error the catalog has no providers, and detection names none.
func (c *Catalog) ensureProviders() error {
	c.provOnce.Do(func() {
		if c.provErr = c.loadProviders(); c.provErr != nil {
			c.providers, c.blocklists, c.marks = nil, nil, nil
		}
	})
	return c.provErr
}

// loadProviders reads the providers and the blocklists and lists all their
// marks.
func (c *Catalog) loadProviders() error {
	b, err := dataFS.ReadFile("data/providers.json")
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	if c.providers, err = parseProviders(b); err != nil {
		return fmt.Errorf("catalog: data/providers.json: %w", err)
	}
	if b, err = dataFS.ReadFile("data/blocklists.json"); err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	if c.blocklists, err = parseBlocklists(b); err != nil {
		return fmt.Errorf("catalog: data/blocklists.json: %w", err)
	}
	ids := map[string]bool{}
	for _, p := range c.providers {
		ids[p.ID] = true
	}
	for _, bl := range c.blocklists {
		if ids[bl.ID] {
			return fmt.Errorf("catalog: blocklist id %q is also a provider id; their texts share one file", bl.ID)
		}
	}
	if c.marks, err = buildMarkIndex(c.providers, c.blocklists); err != nil {
		return fmt.Errorf("catalog: provider marks: %w", err)
	}
	return nil
}

// buildMarkIndex lists every mark with its kind, role and owner; the
// automaton over them is built on first use.
func buildMarkIndex(providers []*Provider, blocklists []*Blocklist) (*markIndex, error) {
	x := &markIndex{}
	add := func(list []string, kind markKind, role markRole, owner int) {
		for _, s := range list {
			x.marks = append(x.marks, mark{needle: s, kind: kind, role: role, owner: uint16(owner)})
		}
	}
	for i, p := range providers {
		add(p.Markers, markAnywhere, roleMarker, i)
		add(p.Words, markWord, roleMarker, i)
		add(p.Subdomains, markSubdomain, roleMarker, i)
		add(p.Domains, markHost, roleDomain, i)
	}
	for i, bl := range blocklists {
		add(bl.markers, markAnywhere, roleBlocklist, i)
	}
	if len(x.marks) > maxMarks {
		return nil, fmt.Errorf("%d marks: at most %d are supported", len(x.marks), maxMarks)
	}
	return x, nil
}
