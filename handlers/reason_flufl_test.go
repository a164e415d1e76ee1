package handlers

import (
	"cmp"
	"os"
	"path/filepath"
	"testing"
)

// fluflData holds the bounces that flufl.bounce, Mailman's bounce
// detector, tests itself against (Apache 2.0), where Debian's
// python3-flufl.bounce installs them; SMTPBOT_FLUFL overrides it.
const fluflData = "/usr/lib/python3/dist-packages/flufl/bounce/tests/data"

// TestFluflReasons measures agreement with sisimai on a third set of real
// bounces, written by other servers than the shared corpus's and two
// decades older: flufl.bounce's test data, labelled by sisimai itself
// (docs/flufl-labels.jsonl, made by docs/sisimai-labels.pl with Debian's
// libsisimai-perl). Most of these bounces carry no code at all: sisimai
// then makes its status up from the words (5.0.9xx, a pseudo status), and
// the bot, which explains codes, finds nothing to explain; such recipients
// are counted apart. So are labels where sisimai decided nothing
// ("onhold", "undefined") or read an auto-reply ("vacation"). A recipient
// whose status no failure carries is compared with the answer's first
// failure. The set is split in halves as the corpus is; only the tuning
// half's misses are shown.
func TestFluflReasons(t *testing.T) {
	dir := cmp.Or(os.Getenv("SMTPBOT_FLUFL"), fluflData)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no flufl.bounce test data at %s (apt-get install python3-flufl.bounce): %v", dir, err)
	}
	labels, err := filepath.Abs(filepath.Join("..", "docs", "flufl-labels.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var total, agree [2]int // [tuning, held-out]
	codeless := 0
	eachLabelledIn(t, labels, dir, func(l sisimaiLabel, j JSONReport) {
		half := 0
		if heldOut(l.File) {
			half = 1
		}
		for _, want := range l.Expected {
			switch want.Reason {
			case "onhold", "undefined", "vacation":
				continue
			}
			if pseudoStatus(want.Status) {
				codeless++
				continue
			}
			total[half]++
			got, text := reasonFor(j, want, true)
			if got == want.Reason {
				agree[half]++
			} else if half == 0 {
				t.Logf("%s %s %s: reason %s, sisimai says %s: %.100q", l.File, want.Reply, want.Status, got, want.Reason, text)
			}
		}
	})
	share := func(a, n int) float64 { return 100 * float64(a) / float64(max(n, 1)) }
	t.Logf("agreement with sisimai on flufl.bounce's bounces: held-out %d/%d (%.1f%%), tuning %d/%d (%.1f%%), whole %d/%d (%.1f%%)",
		agree[1], total[1], share(agree[1], total[1]), agree[0], total[0], share(agree[0], total[0]),
		agree[0]+agree[1], total[0]+total[1], share(agree[0]+agree[1], total[0]+total[1]))
	t.Logf("%d recipients more, whose bounce carries no code, not counted", codeless)
	// As the corpus's bars: just under what the rules reach (22/25), to
	// catch a change that loses ground.
	if whole := share(agree[0]+agree[1], total[0]+total[1]); whole < fluflWholeBar {
		t.Errorf("agreement %.1f%% on flufl.bounce's bounces is under %.0f%%", whole, fluflWholeBar)
	}
}

// fluflWholeBar is the least agreement, in percent, on the whole set.
const fluflWholeBar = 84.0
