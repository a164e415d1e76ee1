package catalog

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
)

// Blocklist is a public list of sending IPs or domains that receivers
// consult, such as Spamhaus, named in a rejection so the sender knows whom to
// ask for removal.
//
// Blocklists live in data/blocklists.json; their texts (the name users see,
// what a listing means and how to get off it) live in package locales under
// the blocklist's ID, beside the providers' texts. A Blocklist is read-only
// once loaded.
type Blocklist struct {
	// ID is the key of its texts in package locales: "spamhaus".
	ID string
	// Name is the English display name, for logs and tests.
	Name string
	// Delist is the page where a listed sender checks the listing and asks
	// for removal; empty when the list no longer runs one.
	Delist string
	// Docs is the public page that explains the list.
	Docs string

	// Zone is the list's public DNS zone, queried as <reversed IP>.<zone>
	// to see whether an IP is listed; empty when it has none that anyone
	// may query.
	Zone string
	// DQSZone is the zone of Spamhaus's Data Query Service, queried as
	// <reversed IP>.<key>.<zone> with a DQS key.
	DQSZone string
	// Check says the IP of every reputation bounce is looked up on the
	// list, whether or not the bounce names it.
	Check bool
	// Refused are answers that mean "I will not answer you" rather than a
	// listing, such as Spamhaus's 127.255.255.254 to a public resolver.
	Refused []string
	// Answers say what a listing's answer means: "127.0.0.4" is "XBL".
	Answers map[string]string

	markers []string
}

// Names reports whether name (a DNS zone or a word from a bounce, such as
// "zen.spamhaus.org") is this list's: its zone, a name under its zone, or a
// name holding one of its markers.
func (b *Blocklist) Names(name string) bool {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if b.Zone != "" && (name == b.Zone || strings.HasSuffix(name, "."+b.Zone)) {
		return true
	}
	for _, m := range b.markers {
		if strings.Contains(name, m) {
			return true
		}
	}
	return false
}

// maxBlocklists bounds the data, so a detection keeps its scores on the
// stack.
const maxBlocklists = 16

// blocklistJSON is the form of one blocklist in data/blocklists.json.
type blocklistJSON struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Delist  string   `json:"delist"`
	Docs    string   `json:"docs"`
	Markers []string `json:"markers"`

	Zone    string            `json:"zone"`
	DQSZone string            `json:"dqs_zone"`
	Check   bool              `json:"check"`
	Refused []string          `json:"refused"`
	Answers map[string]string `json:"answers"`
}

// Blocklists returns every blocklist in the order of the data file, for
// callers that explain or check listings (such as the diagnose package).
// The slice must not be modified.
func (c *Catalog) Blocklists() []*Blocklist {
	c.ensureProviders()
	return c.blocklists
}

// Blocklist returns the blocklist with this ID, such as "spamhaus".
func (c *Catalog) Blocklist(id string) (*Blocklist, bool) {
	c.ensureProviders()
	for _, b := range c.blocklists {
		if b.ID == id {
			return b, true
		}
	}
	return nil, false
}

// parseBlocklists reads and checks the blocklists file.
func parseBlocklists(data []byte) ([]*Blocklist, error) {
	var raw []blocklistJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	if len(raw) > maxBlocklists {
		return nil, fmt.Errorf("%d blocklists: at most %d are supported", len(raw), maxBlocklists)
	}
	var out []*Blocklist
	ids := map[string]bool{}
	for _, rb := range raw {
		if rb.ID == "" || strings.Contains(rb.ID, "/") || ids[rb.ID] {
			return nil, fmt.Errorf("blocklist id %q: empty, contains a slash, or listed twice", rb.ID)
		}
		ids[rb.ID] = true
		if rb.Name == "" || len(rb.Markers) == 0 || len(rb.Markers) > maxMarkers {
			return nil, fmt.Errorf("blocklist %s: needs a name and 1 to %d markers", rb.ID, maxMarkers)
		}
		if !strings.HasPrefix(rb.Docs, "https://") || rb.Delist != "" && !strings.HasPrefix(rb.Delist, "https://") {
			return nil, fmt.Errorf("blocklist %s: docs and delist must be https addresses", rb.ID)
		}
		for _, m := range rb.Markers {
			if err := checkMark(m); err != nil {
				return nil, fmt.Errorf("blocklist %s: marker %w", rb.ID, err)
			}
		}
		if rb.Check && rb.Zone == "" {
			return nil, fmt.Errorf("blocklist %s: check needs a zone to query", rb.ID)
		}
		for _, z := range []string{rb.Zone, rb.DQSZone} {
			if z != "" && (z != strings.ToLower(z) || !strings.Contains(z, ".") || strings.ContainsAny(z, " /")) {
				return nil, fmt.Errorf("blocklist %s: zone %q: a lowercase DNS name", rb.ID, z)
			}
		}
		for _, ip := range rb.Refused {
			if _, err := netip.ParseAddr(ip); err != nil {
				return nil, fmt.Errorf("blocklist %s: refused answer %q: %w", rb.ID, ip, err)
			}
		}
		for ip := range rb.Answers {
			if _, err := netip.ParseAddr(ip); err != nil {
				return nil, fmt.Errorf("blocklist %s: answer %q: %w", rb.ID, ip, err)
			}
		}
		out = append(out, &Blocklist{ID: rb.ID, Name: rb.Name, Delist: rb.Delist, Docs: rb.Docs, Zone: rb.Zone,
			DQSZone: rb.DQSZone, Check: rb.Check, Refused: rb.Refused, Answers: rb.Answers, markers: rb.Markers})
	}
	return out, nil
}
