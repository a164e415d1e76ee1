package diagnose

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/diagnose/dnstest"
)

// recorder is an Observer that keeps what it was told.
type recorder struct {
	mu        sync.Mutex
	lookups   map[string]int // "check outcome" → count
	diagnoses int
}

func (r *recorder) Lookup(check, outcome string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lookups == nil {
		r.lookups = map[string]int{}
	}
	r.lookups[check+" "+outcome]++
}

func (r *recorder) Diagnosed(time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.diagnoses++
}

func (r *recorder) total(outcome string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for k, v := range r.lookups {
		if strings.HasSuffix(k, " "+outcome) {
			n += v
		}
	}
	return n
}

// Every lookup a diagnosis asks reaches the observer under the check it
// serves, with its outcome: sent ones the first time, cached ones the
// second, and timeouts from a resolver that never answers.
func TestObserverHearsEveryLookup(t *testing.T) {
	srv := startDNS(t)
	var rec recorder
	d := newDiagnoser(t, Config{Resolver: srv.Addr, Observer: &rec})
	p := FromBounce(readBounce(t, "spf-lookups.txt"))
	first := d.Diagnose(context.Background(), p)
	if first.Sent == 0 {
		t.Fatal("the diagnosis sent no query")
	}
	sent := rec.total("ok") + rec.total("nodata") + rec.total("nxdomain")
	if sent != first.Sent || rec.total("cached")+rec.total("joined") != first.Lookups-first.Sent {
		t.Errorf("observer heard %v; the report says %d lookups, %d sent", rec.lookups, first.Lookups, first.Sent)
	}
	if rec.lookups["spf ok"] == 0 {
		t.Errorf("no SPF lookup observed under its check: %v", rec.lookups)
	}
	second := d.Diagnose(context.Background(), p)
	if rec.total("cached")+rec.total("joined") != first.Lookups-first.Sent+second.Lookups || rec.diagnoses != 2 {
		t.Errorf("after a cached diagnosis: %v, %d diagnoses", rec.lookups, rec.diagnoses)
	}

	silent, err := dnstest.Silent()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { silent.Close() })
	var slow recorder
	d = newDiagnoser(t, Config{Resolver: silent.Addr, Timeout: 100 * time.Millisecond, Total: 300 * time.Millisecond, Observer: &slow})
	d.Diagnose(context.Background(), p)
	if slow.total("timeout") == 0 || slow.total("ok") != 0 {
		t.Errorf("silent resolver: %v, want timeouts only", slow.lookups)
	}
}
