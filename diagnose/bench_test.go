package diagnose

import (
	"context"
	"slices"
	"testing"
	"time"
)

// BenchmarkDiagnose measures whole diagnoses of the test bounces, one after
// the other, against the in-process DNS server on loopback. Cold starts
// each round of the 11 bounces with a new Diagnoser, whose cache is empty:
// a lookup goes to the server unless an earlier bounce of the same round,
// or another check of the same diagnosis, asked it already (sent/op counts
// those that did). Warm answers from the cache. It reports the median and
// 99th percentile time and the lookups per diagnosis; see BENCHMARKS.md.
func BenchmarkDiagnose(b *testing.B) {
	bounces := []string{"null-mx.txt", "spf-fail.txt", "spf-lookups.txt", "dmarc-misaligned.txt", "dmarc-misaligned-dkim.txt", "dmarc-misaligned-spf.txt", "dkim-missing.txt", "no-ptr.txt", "dnsbl-listed.txt", "spamhaus-refused.txt", "tls.txt"}
	srv := startDNS(b, "spamhaus-refused.zone")
	plans := make([]Plan, len(bounces))
	for i, name := range bounces {
		plans[i] = FromBounce(readBounce(b, name))
	}
	for _, warm := range []bool{false, true} {
		name := "cold"
		if warm {
			name = "warm"
		}
		b.Run(name, func(b *testing.B) {
			d := newDiagnoser(b, Config{Resolver: srv.Addr})
			var took []time.Duration
			lookups, sent := 0, 0
			i := 0
			for b.Loop() {
				if !warm && i%len(plans) == 0 {
					d = newDiagnoser(b, Config{Resolver: srv.Addr})
				}
				r := d.Diagnose(context.Background(), plans[i%len(plans)])
				took = append(took, r.Took)
				lookups += r.Lookups
				sent += r.Sent
				i++
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(lookups)/float64(i), "lookups/op")
			b.ReportMetric(float64(sent)/float64(i), "sent/op")
		})
	}
}

// BenchmarkSlowResolver measures cold diagnoses of spf-lookups.txt (the SPF
// record that needs 11 lookups) under the default bounds, 2 s per lookup
// and 3 s per diagnosis, against the server holding each answer 50, 150 or
// 250 ms, as a slow or distant resolver does: the time per diagnosis, and
// the share of diagnoses whose SPF check came back "could not check"
// rather than naming the 11 lookups. Run it with -benchtime=5x or so: each
// diagnosis takes up to 3 s.
func BenchmarkSlowResolver(b *testing.B) {
	srv := startDNS(b)
	p := FromBounce(readBounce(b, "spf-lookups.txt"))
	for _, delay := range []time.Duration{50 * time.Millisecond, 150 * time.Millisecond, 250 * time.Millisecond} {
		b.Run(delay.String(), func(b *testing.B) {
			srv.SetDelay(delay)
			defer srv.SetDelay(0)
			var took time.Duration
			errs, n := 0, 0
			for b.Loop() {
				d, err := New(Config{Resolver: srv.Addr})
				if err != nil {
					b.Fatal(err)
				}
				r := d.Diagnose(context.Background(), p)
				took += r.Took
				if c, _ := find(r, CheckSPF); c.Verdict == Error {
					errs++
				}
				n++
			}
			b.ReportMetric(float64(took.Microseconds())/1000/float64(n), "ms/diagnosis")
			b.ReportMetric(float64(errs)/float64(n), "spf-errors/op")
		})
	}
}

// BenchmarkFromBounce measures reading targets from a bounce.
func BenchmarkFromBounce(b *testing.B) {
	text := readBounce(b, "dmarc-misaligned.txt")
	for b.Loop() {
		FromBounce(text)
	}
}
