package catalog_test

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/catalog/extract"
)

// providerResponse is one line of testdata/provider-responses.jsonl: a reply
// as a provider sent it, where it was found, and what it identifies.
type providerResponse struct {
	Text string `json:"text"`
	// Provider is the ID of the provider whose marks the text carries, or ""
	// when the text does not identify one of the catalog's providers.
	Provider string `json:"provider"`
	// Blocklist is the ID of the blocklist the text names, or "".
	Blocklist string `json:"blocklist"`
	// Codes is the code the first finding must carry: "550 5.1.1", "554".
	Codes  string `json:"codes"`
	Source string `json:"source"`
}

func loadResponses(t *testing.T) []providerResponse {
	t.Helper()
	f, err := os.Open("testdata/provider-responses.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []providerResponse
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var r providerResponse
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		if r.Text == "" || r.Codes == "" || r.Source == "" {
			t.Fatalf("line %d: text, codes and source are required", n)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestProviderResponses measures detection and extraction on real provider
// responses: the provider must be named in at least 90% of the texts that
// identify one, the failing code read in at least 98%, and a wrong provider
// named in at most 2% of all texts. Run with -v for the figures and the
// misses.
func TestProviderResponses(t *testing.T) {
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	rs := loadResponses(t)
	if len(rs) < 80 {
		t.Fatalf("%d responses; the set needs at least 80", len(rs))
	}
	var identified, named, wrong, listed, listedNamed, wrongList, codes int
	for _, r := range rs {
		if r.Provider != "" {
			if _, ok := c.Provider(r.Provider); !ok {
				t.Fatalf("%q: unknown provider %q", r.Text, r.Provider)
			}
		}
		if r.Blocklist != "" {
			if _, ok := c.Blocklist(r.Blocklist); !ok {
				t.Fatalf("%q: unknown blocklist %q", r.Text, r.Blocklist)
			}
		}
		d := c.Detect(r.Text)
		got := ""
		if d.Provider != nil {
			got = d.Provider.ID
		}
		if r.Provider != "" {
			identified++
			if got == r.Provider {
				named++
			}
		}
		if got != r.Provider {
			if got != "" {
				wrong++
			}
			t.Logf("provider %q, want %q: %q (%s)", got, r.Provider, r.Text, r.Source)
		}
		gotList := ""
		if d.Blocklist != nil {
			gotList = d.Blocklist.ID
		}
		if r.Blocklist != "" {
			listed++
			if gotList == r.Blocklist {
				listedNamed++
			}
		}
		if gotList != r.Blocklist {
			if gotList != "" {
				wrongList++
			}
			t.Logf("blocklist %q, want %q: %q (%s)", gotList, r.Blocklist, r.Text, r.Source)
		}
		x := extract.Extract(r.Text)
		if len(x.Findings) > 0 && x.Findings[0].Code.String() == r.Codes {
			codes++
		} else {
			first := "nothing"
			if len(x.Findings) > 0 {
				first = x.Findings[0].Code.String()
			}
			t.Logf("codes %s, want %s: %q (%s)", first, r.Codes, r.Text, r.Source)
		}
	}
	pct := func(a, b int) float64 { return 100 * float64(a) / float64(b) }
	t.Logf("%d responses: provider named in %d of %d that identify one (%.1f%%); wrong provider in %d (%.1f%%); "+
		"blocklist named in %d of %d, wrong in %d; codes read in %d (%.1f%%)",
		len(rs), named, identified, pct(named, identified), wrong, pct(wrong, len(rs)),
		listedNamed, listed, wrongList, codes, pct(codes, len(rs)))
	if pct(named, identified) < 90 {
		t.Errorf("provider named in %.1f%% of the texts that identify one; want at least 90%%", pct(named, identified))
	}
	if pct(wrong, len(rs)) > 2 || wrongList > 0 {
		t.Errorf("wrong provider in %.1f%% of texts (want at most 2%%), wrong blocklist in %d (want none)", pct(wrong, len(rs)), wrongList)
	}
	if listedNamed < listed {
		t.Errorf("blocklist named in %d of %d texts that name one", listedNamed, listed)
	}
	if pct(codes, len(rs)) < 98 {
		t.Errorf("codes read in %.1f%%; want at least 98%%", pct(codes, len(rs)))
	}
}
