package catalog

import (
	"encoding/json"
	"fmt"
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

	markers []string
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
		out = append(out, &Blocklist{ID: rb.ID, Name: rb.Name, Delist: rb.Delist, Docs: rb.Docs, markers: rb.Markers})
	}
	return out, nil
}
