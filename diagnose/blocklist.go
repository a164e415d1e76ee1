package diagnose

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// Blocklist is one DNS blocklist.
type Blocklist struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Zone is queried as <reversed IP>.<zone>.
	Zone string `json:"zone"`
	// DQSZone is Spamhaus's Data Query Service zone, queried as
	// <reversed IP>.<key>.<zone> when a DQS key is set.
	DQSZone string `json:"dqs_zone,omitempty"`
	// Words are how bounces name the list.
	Words []string `json:"words,omitempty"`
	// Delist is where a listing is explained and removal asked for.
	Delist string `json:"delist,omitempty"`
	// Default lists are checked for every reputation bounce.
	Default bool `json:"default,omitempty"`
	// Refused are the answers that mean "I will not answer you", not a
	// listing: Spamhaus's 127.255.255.254 to a public resolver.
	Refused []string `json:"refused,omitempty"`
	// Codes name what a listing's answer means.
	Codes map[string]string `json:"codes,omitempty"`
}

//go:embed data/blocklists.json
var blocklistsJSON []byte

// blocklists are decoded on first use, not at package init, which every
// run of the command line would pay.
var blocklists = sync.OnceValue(func() []Blocklist { return mustBlocklists(blocklistsJSON) })

func mustBlocklists(data []byte) []Blocklist {
	var f struct {
		Lists []Blocklist `json:"lists"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		panic(fmt.Sprintf("diagnose: data/blocklists.json: %v", err))
	}
	return f.Lists
}

// Blocklists returns the known lists.
func Blocklists() []Blocklist { return blocklists() }

// knownList finds the list a bounce names, by zone or word: "blocked using
// zen.spamhaus.org", "listed by Barracuda".
func knownList(name string) (Blocklist, bool) {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	for _, l := range blocklists() {
		if name == l.Zone || strings.HasSuffix(name, "."+l.Zone) {
			return l, true
		}
		for _, w := range l.Words {
			if name == w {
				return l, true
			}
		}
	}
	return Blocklist{}, false
}
