package diagnose

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/smtpcodes/smtpbot/diagnose/dnstest"
)

// TestResolverFallsBack: with several resolvers (resolv.conf's list, or
// DNS_RESOLVER with commas), one that is silent or refuses does not fail
// the lookup while the next answers, within the lookup's one timeout; when
// none answers, the lookup fails and says so.
func TestResolverFallsBack(t *testing.T) {
	good := startDNS(t)
	silent, err := dnstest.Silent()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { silent.Close() })
	refusing, err := dnstest.Refusing()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { refusing.Close() })
	const timeout = 600 * time.Millisecond
	for _, tt := range []struct {
		name      string
		resolvers []string
		answered  bool
	}{
		{"one that answers", []string{good.Addr}, true},
		{"silent, then one that answers", []string{silent.Addr, good.Addr}, true},
		{"refusing, then one that answers", []string{refusing.Addr, good.Addr}, true},
		{"silent, refusing, then one that answers", []string{silent.Addr, refusing.Addr, good.Addr}, true},
		{"one that answers first, the silent never asked", []string{good.Addr, silent.Addr}, true},
		{"silent and refusing", []string{silent.Addr, refusing.Addr}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := NewResolver(strings.Join(tt.resolvers, ", "), timeout, 0)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			a, err := res.query(context.Background(), "sender.test", dns.TypeMX)
			took := time.Since(start)
			switch {
			case tt.answered && (err != nil || len(a.rrs) != 1):
				t.Errorf("MX sender.test: %v, %v; want one record", a.rrs, err)
			case !tt.answered && !errors.Is(err, ErrLookup):
				t.Errorf("MX sender.test: %v, %v; want a failed lookup", a.rrs, err)
			}
			// The resolvers share one lookup's time; a second on top is
			// for a busy machine.
			if took > timeout+time.Second {
				t.Errorf("took %v, past the lookup's %v", took, timeout)
			}
		})
	}
	if silent.Queries() == 0 || refusing.Queries() == 0 {
		t.Errorf("silent asked %d times, refusing %d: the fallbacks were not tried", silent.Queries(), refusing.Queries())
	}
	if _, err := NewResolver(good.Addr+",127.0.0.1", timeout, 0); err == nil {
		t.Error("a second resolver without a port was accepted")
	}
}
