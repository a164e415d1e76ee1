package diagnose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzFromBounce: reading any text gives targets that are well-formed
// domains and usable IPs, never an address or a local part.
func FuzzFromBounce(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "bounces", "*.txt"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("Content-Type: multipart/report; boundary=x\n\n--x\nContent-Type: message/rfc822\n\nFrom: a@b.test\n--x--")
	f.Fuzz(func(t *testing.T, text string) {
		p := FromBounce(text)
		tg := p.Targets
		for _, d := range []string{tg.Recipient, tg.From, tg.MailFrom, tg.DKIMDomain} {
			if d != "" && normDomain(d) != d {
				t.Errorf("target domain %q is not a normal domain", d)
			}
			if strings.Contains(d, "@") {
				t.Errorf("target %q holds an address", d)
			}
		}
		if tg.IP.IsValid() && !usable(tg.IP) {
			t.Errorf("target IP %v is not usable", tg.IP)
		}
		if tg.DKIMSelector != "" && !validSelector(tg.DKIMSelector) {
			t.Errorf("selector %q", tg.DKIMSelector)
		}
		for _, l := range tg.Lists {
			if normDomain(l) != l {
				t.Errorf("list %q", l)
			}
		}
	})
}

// FuzzParseTargets: a target is a domain, an IP or an error.
func FuzzParseTargets(f *testing.F) {
	for _, s := range []string{"example.com", "192.0.2.4", "s1._domainkey.example.com", "a@b.test", "2001:db8::1", "-", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		plans, err := ParseTargets(strings.Fields(s))
		if err != nil {
			return
		}
		for _, p := range plans {
			for _, d := range []string{p.Targets.Recipient, p.Targets.From} {
				if d != "" && normDomain(d) != d {
					t.Errorf("%q gave domain %q", s, d)
				}
			}
		}
	})
}
