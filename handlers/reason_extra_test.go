package handlers

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestExtraReasons measures agreement with sisimai on its public samples
// that are not in the shared corpus (docs/sisimai-extra.jsonl lists them,
// with the test table each label comes from): a second tuning set, whose
// misses may be read. SMTPBOT_EXTRA names a folder holding that file as
// labels.jsonl and the messages it names under emails/ (each line says
// where its message and label were read); without it the test skips. The
// labels come from a newer sisimai than the corpus's, which merged
// toomanyconn and speeding into "ratelimited", mesgtoobig and exceedlimit
// into "emailtoolarge", so some differences are of version,
// and sisimai's own pseudo statuses (5.9.x, x.x.9xx: no code in the text)
// are left out.
func TestExtraReasons(t *testing.T) {
	dir := os.Getenv("SMTPBOT_EXTRA")
	if dir == "" {
		t.Skip("SMTPBOT_EXTRA is not set")
	}
	// The newest sisimai merged reasons: each merged label agrees with
	// any of the reasons it took in (sisimai issue #307).
	merged := map[string][]string{
		"emailtoolarge": {"mesgtoobig", "exceedlimit"},
		"ratelimited":   {"ratelimited", "toomanyconn", "speeding"},
	}
	agree, total := 0, 0
	err := eachLabelled(t, dir, func(l sisimaiLabel, j JSONReport) {
		for _, want := range l.Expected {
			if pseudoStatus(want.Status) {
				continue
			}
			total++
			got, text := reasonFor(j, want, true)
			accepted, ok := merged[want.Reason]
			if !ok {
				accepted = []string{want.Reason}
			}
			if slices.Contains(accepted, got) {
				agree++
			} else {
				t.Logf("%s %s %s: reason %s, sisimai says %s: %.100q", l.File, want.Reply, want.Status, got, want.Reason, text)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("agreement with sisimai on its samples outside the shared corpus: %d/%d (%.1f%%)", agree, total, 100*float64(agree)/float64(max(total, 1)))
}

// pseudoStatus reports a status sisimai makes up when the text has none
// ("5.9.212", "5.0.910"), which no finding can carry.
func pseudoStatus(s string) bool {
	parts := strings.Split(s, ".")
	return len(parts) != 3 || len(parts[1]) != 1 || parts[1] > "7" || len(parts[2]) == 3 && parts[2][0] == '9'
}
