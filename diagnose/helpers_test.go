package diagnose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/diagnose/dnstest"
)

// startDNS serves the test zones (testdata/zones/fixtures.zone plus the
// extra files named) on loopback for the length of the test.
func startDNS(t testing.TB, extra ...string) *dnstest.Server {
	t.Helper()
	var zone strings.Builder
	for _, f := range append([]string{"fixtures.zone"}, extra...) {
		b, err := os.ReadFile(filepath.Join("testdata", "zones", f))
		if err != nil {
			t.Fatal(err)
		}
		zone.Write(b)
		zone.WriteString("\n")
	}
	s, err := dnstest.Start(zone.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newDiagnoser(t testing.TB, cfg Config) *Diagnoser {
	t.Helper()
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Second
	}
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func readBounce(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "bounces", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// find returns the first check of that name (and target, when given).
func find(r Report, name string) (Check, bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}
