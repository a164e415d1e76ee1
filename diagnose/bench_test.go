package diagnose

import (
	"context"
	"slices"
	"testing"
	"time"
)

// BenchmarkDiagnose measures whole diagnoses of the test bounces against
// the in-process DNS server on loopback: cold (a new cache each time, every
// lookup goes to the server) and warm (answers from the cache). It reports
// the median and 99th percentile time and the lookups per diagnosis; see
// BENCHMARKS.md.
func BenchmarkDiagnose(b *testing.B) {
	bounces := []string{"null-mx.txt", "spf-fail.txt", "spf-lookups.txt", "dmarc-misaligned.txt", "dkim-missing.txt", "no-ptr.txt", "dnsbl-listed.txt", "spamhaus-refused.txt", "tls.txt"}
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

// BenchmarkFromBounce measures reading targets from a bounce.
func BenchmarkFromBounce(b *testing.B) {
	text := readBounce(b, "dmarc-misaligned.txt")
	for b.Loop() {
		FromBounce(text)
	}
}
