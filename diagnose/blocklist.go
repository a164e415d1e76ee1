package diagnose

import (
	"github.com/smtpcodes/smtpbot/catalog"
)

// The blocklists, their DNS zones and what their answers mean are the
// catalog's (catalog/data/blocklists.json), beside the names and removal
// pages the explanations show: one list for both.

// knownList returns the catalog's blocklist that a name from a bounce
// ("zen.spamhaus.org", "b.barracudacentral.org") belongs to.
func knownList(name string) (*catalog.Blocklist, bool) {
	c, err := catalog.Default()
	if err != nil {
		return nil, false
	}
	for _, l := range c.Blocklists() {
		if l.Names(name) {
			return l, true
		}
	}
	return nil, false
}

// checkedLists returns the lists every reputation bounce is checked on.
func checkedLists() []*catalog.Blocklist {
	c, err := catalog.Default()
	if err != nil {
		return nil
	}
	var out []*catalog.Blocklist
	for _, l := range c.Blocklists() {
		if l.Check {
			out = append(out, l)
		}
	}
	return out
}
