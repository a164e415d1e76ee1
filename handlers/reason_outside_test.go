package handlers

import (
	"cmp"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// outsideSet is a set of real bounces from outside the sisimai project,
// labelled by sisimai itself with docs/sisimai-labels.pl (Debian's
// libsisimai-perl 4.25.15): a yardstick the rules were not written from.
type outsideSet struct {
	name   string  // what the set is, for the log
	dir    string  // where its bounces are by default
	env    string  // the variable that names another folder
	hint   string  // how to get the bounces
	labels string  // the labels file, under docs/: sisimai 4.25's
	bar    float64 // the least agreement on the whole set, in percent
	// labels5 is the set's labels by sisimai 5, the shared corpus's
	// version (docs/sisimai5-labels.md), and bar5 the least agreement
	// with them.
	labels5 string
	bar5    float64
}

// cacheDir is where a set's bounces are by default: under the user's
// cache folder, as docs/bounceparser-corpus.sh puts them.
func cacheDir(name string) string {
	return filepath.Join(cmp.Or(os.Getenv("XDG_CACHE_HOME"), filepath.Join(os.Getenv("HOME"), ".cache")), "smtpbot", name)
}

// The outside sets. Each bar sits just under what the rules reach, to
// catch a change that loses ground.
var outsideSets = []outsideSet{{
	// flufl.bounce, Mailman's bounce detector (Apache 2.0), tests itself
	// against these; Debian's python3-flufl.bounce installs them.
	name:    "flufl.bounce's bounces",
	dir:     "/usr/lib/python3/dist-packages/flufl/bounce/tests/data",
	env:     "SMTPBOT_FLUFL",
	hint:    "apt-get install python3-flufl.bounce",
	labels:  "flufl-labels.jsonl",
	bar:     88, // 23/25
	labels5: "flufl-labels5.jsonl",
	bar5:    100,
}, {
	// Mail::DeliveryStatus::BounceParser (Perl, same terms as Perl) tests
	// itself against these, anonymised real bounces; Debian's binary
	// package leaves them out, its source has them (docs/bounceparser-corpus.sh).
	name:    "BounceParser's bounces",
	dir:     cacheDir("bounceparser"),
	env:     "SMTPBOT_BOUNCEPARSER",
	hint:    "sh docs/bounceparser-corpus.sh",
	labels:  "bounceparser-labels.jsonl",
	bar:     87, // 97/111; 87/111 before any rule saw the set
	labels5: "bounceparser-labels5.jsonl",
	bar5:    89,
}, {
	// PHP-Bounce-Handler (BSD) tests itself against these real bounces,
	// auto-replies and feedback reports; no package installs them: clone
	// the repository and name its eml folder. Measured once, unseen: no
	// rule was written from them.
	name:    "PHP-Bounce-Handler's bounces",
	dir:     cacheDir("phpbounce"),
	env:     "SMTPBOT_PHPBOUNCE",
	hint:    "git clone https://github.com/cfortune/PHP-Bounce-Handler and name its eml folder",
	labels:  "phpbounce-labels.jsonl",
	bar:     88, // 24/27, the first time any rule met the set
	labels5: "phpbounce-labels5.jsonl",
	bar5:    92,
}, {
	// CwsMailBounceHandler (PHP, LGPL) tests itself against these real
	// bounces and feedback reports; no package installs them: clone the
	// repository and name its tests/emls folder. Measured once, unseen.
	name:    "CwsMailBounceHandler's bounces",
	dir:     cacheDir("cwsbounce"),
	env:     "SMTPBOT_CWSBOUNCE",
	hint:    "git clone https://github.com/crazy-max/CwsMailBounceHandler and name its tests/emls folder",
	labels:  "cwsbounce-labels.jsonl",
	bar:     90, // 30/33, the first time any rule met the set
	labels5: "cwsbounce-labels5.jsonl",
	bar5:    96,
}, {
	// flanker (Mailgun's address and MIME library, Apache 2.0) tests its
	// bounce detection against these; clone the repository and name its
	// tests/fixtures/messages/bounce folder. Measured once, unseen.
	name:    "flanker's bounces",
	dir:     cacheDir("flanker"),
	env:     "SMTPBOT_FLANKER",
	hint:    "git clone https://github.com/mailgun/flanker and name its tests/fixtures/messages/bounce folder",
	labels:  "flanker-labels.jsonl",
	bar:     80, // 4/5, the first time any rule met the set
	labels5: "flanker-labels5.jsonl",
	bar5:    71,
}, {
	// Dada Mail (GPL 2+) tests its bounce handler against these, among
	// ordinary messages the labels leave out; clone the repository and
	// name its app/dada/t/corpus/email_messages folder. Measured once,
	// unseen.
	name:    "Dada Mail's bounces",
	dir:     cacheDir("dadamail"),
	env:     "SMTPBOT_DADAMAIL",
	hint:    "git clone https://github.com/justingit/dada-mail and name its app/dada/t/corpus/email_messages folder",
	labels:  "dadamail-labels.jsonl",
	bar:     72, // 8/11; 9/11 the first time any rule met the set, 10/11 until Yahoo's "552 1 ... mailbox not found" after DATA became the unknown user it is (sisimai 5's rhost/for-yahooinc reads it so; 4.25, which labels the set, says filtered)
	labels5: "dadamail-labels5.jsonl",
	bar5:    100,
}, {
	// The mail gem (Ruby, MIT) tests its delivery-report parsing against
	// these; clone the repository and name its
	// spec/fixtures/emails/multipart_report_emails folder. Measured once,
	// unseen.
	name:    "the mail gem's bounces",
	dir:     cacheDir("mailgem"),
	env:     "SMTPBOT_MAILGEM",
	hint:    "git clone https://github.com/mikel/mail and name its spec/fixtures/emails/multipart_report_emails folder",
	labels:  "mailgem-labels.jsonl",
	bar:     85, // 12/14, the first time any rule met the set
	labels5: "mailgem-labels5.jsonl",
	bar5:    92,
}, {
	// bounce-parser (Java, by osandum) tests itself against these real
	// bounces; its repository states no licence, so only sisimai's labels
	// and the file names are kept here: clone it and name its
	// src/test/resources folder. Measured once, unseen.
	name:    "osandum's bounce-parser's bounces",
	dir:     cacheDir("osandum"),
	env:     "SMTPBOT_OSANDUM",
	hint:    "git clone https://github.com/osandum/bounce-parser and name its src/test/resources folder",
	labels:  "osandum-labels.jsonl",
	bar:     83, // 5/6, the first time any rule met the set
	labels5: "osandum-labels5.jsonl",
	bar5:    80,
}, {
	// MailBounceDetector (C#, MIT) tests itself against these; clone the
	// repository and name its MailBounceDetector.Tests/Fixtures folder.
	// Measured once, unseen.
	name:    "MailBounceDetector's bounces",
	dir:     cacheDir("rgl"),
	env:     "SMTPBOT_RGL",
	hint:    "git clone https://github.com/rgl/MailBounceDetector and name its MailBounceDetector.Tests/Fixtures folder",
	labels:  "rgl-labels.jsonl",
	bar:     100, // 2/2, the first time any rule met the set
	labels5: "rgl-labels5.jsonl",
	bar5:    100,
}, {
	// MediaWiki's BounceHandler extension (GPL 2+) tests itself against
	// these; clone the repository and name its tests/phpunit/bounce_emails
	// folder, each file given the suffix .eml. Measured once, unseen.
	name:    "MediaWiki BounceHandler's bounces",
	dir:     cacheDir("wikimedia"),
	env:     "SMTPBOT_WIKIMEDIA",
	hint:    "git clone https://github.com/wikimedia/mediawiki-extensions-BounceHandler and name its tests/phpunit/bounce_emails folder (add .eml to each name)",
	labels:  "wikimedia-labels.jsonl",
	bar:     100, // 4/4, the first time any rule met the set
	labels5: "wikimedia-labels5.jsonl",
	bar5:    100,
}, {
	// mailbounce (Ruby, MIT) tests its report parsing against these,
	// written for the shapes a parser meets (folded fields, recipients
	// in odd orders) more than taken from the wild; clone the repository
	// and name its test/fixtures folder. Measured once, unseen.
	name:    "mailbounce's bounces",
	dir:     cacheDir("mailbounce"),
	env:     "SMTPBOT_MAILBOUNCE",
	hint:    "git clone https://github.com/mailpiece/mailbounce and name its test/fixtures folder",
	labels:  "mailbounce-labels.jsonl",
	bar:     100, // 16/16, the first time any rule met the set
	labels5: "mailbounce-labels5.jsonl",
	bar5:    0,
}, {
	// email-bounce-parser (Crisp, MIT) tests itself against 110 real
	// bounce texts, a bounce's body each; docs/crisp-wrap.sh gives each
	// the headers its mail software writes, as sisimai reads a message.
	// Measured once, unseen.
	name:    "email-bounce-parser's bounces",
	dir:     cacheDir("crisp"),
	env:     "SMTPBOT_CRISP",
	hint:    "git clone https://github.com/crisp-oss/email-bounce-parser, then sh docs/crisp-wrap.sh email-bounce-parser/test/fixtures",
	labels:  "crisp-labels.jsonl",
	bar:     70, // 50/71, as the first time any rule met the set
	labels5: "crisp-labels5.jsonl",
	bar5:    81,
}, {
	// EmailEngine (postalsys) tests its bounce parsing against these, one
	// real bounce of each of nine providers' mail software; its licence is
	// source-available, not open, so only sisimai's labels and the file
	// names are kept here: clone it and name its test/fixtures/bounces
	// folder. Measured once, unseen.
	name:    "EmailEngine's bounces",
	dir:     cacheDir("emailengine"),
	env:     "SMTPBOT_EMAILENGINE",
	hint:    "git clone https://github.com/postalsys/emailengine and name its test/fixtures/bounces folder",
	labels:  "emailengine-labels.jsonl",
	bar:     88, // 8/9, the first time any rule met the set
	labels5: "emailengine-labels5.jsonl",
	bar5:    100,
}, {
	// froide (okfde, MIT), a freedom-of-information platform, tests its
	// bounce handling against these: clone it and name its
	// froide/bounce/testdata folder. Measured once, unseen.
	name:    "froide's bounces",
	dir:     cacheDir("froide"),
	env:     "SMTPBOT_FROIDE",
	hint:    "git clone https://github.com/okfde/froide and name its froide/bounce/testdata folder",
	labels:  "froide-labels.jsonl",
	bar:     100, // 2/2, the first time any rule met the set
	labels5: "froide-labels5.jsonl",
	bar5:    100,
}, {
	// bounce_email (Python, MIT) tests itself against these; those that
	// are copies of CwsMailBounceHandler's are left out of its labels.
	// Clone it and name its tests/bounces folder. Measured once, unseen.
	name:    "bounce_email's bounces",
	dir:     cacheDir("pybounce"),
	env:     "SMTPBOT_PYBOUNCE",
	hint:    "git clone https://github.com/ronbeltran/bounce_email and name its tests/bounces folder",
	labels:  "pybounce-labels.jsonl",
	bar:     100, // 2/2, the first time any rule met the set
	labels5: "pybounce-labels5.jsonl",
	bar5:    75,
}}

// newerThanLabels are the reasons of the vocabulary that sisimai 4.25, which
// labels the outside sets, does not have: sisimai 5 split them off
// blocked, securityerror and others. The shared corpus's labels are sisimai
// 5's and have them.
var newerThanLabels = map[string]bool{
	"authfailure": true, "badreputation": true, "failedstarttls": true, "notcompliantrfc": true,
	"ratelimited": true, "requireptr": true, "speeding": true, "suppressed": true, "emailtoolarge": true,
}

// TestOutsideReasons measures agreement with sisimai on each outside set.
// Many of these bounces carry no code at all: sisimai then makes its
// status up from the words (5.0.9xx, a pseudo status), and the bot reads
// the reason from the words alone, where it can ("worded"); such
// recipients are counted apart. Labels where sisimai decided nothing ("onhold",
// "undefined"), read an auto-reply ("vacation") or a spam complaint
// ("feedback", an ARF report, no bounce) are left out. A recipient whose
// status no failure carries is compared with the answer's first failure.
// Each set is split in halves as the corpus is; only the tuning half's
// misses are shown.
//
// Each set is measured twice: against sisimai 4.25's labels, by which it
// was first measured, and against sisimai 5's, the version and vocabulary
// of the shared corpus's labels. Where every set is at hand, the held-out
// halves of all of them, which no rule was written from, must agree with
// sisimai 5 on at least 90% of their recipients (the bar for
// bounces not seen).
func TestOutsideReasons(t *testing.T) {
	var heldOut5 [2]int // [agree, total] over every set's held-out half
	present := 0
	for _, set := range outsideSets {
		t.Run(set.labels, func(t *testing.T) { measureOutside(t, set, set.labels, set.bar, true) })
		t.Run(set.labels5, func(t *testing.T) {
			agree, total := measureOutside(t, set, set.labels5, set.bar5, false)
			heldOut5[0], heldOut5[1] = heldOut5[0]+agree[1], heldOut5[1]+total[1]
			present++
		})
	}
	if heldOut5[1] == 0 {
		return
	}
	share := 100 * float64(heldOut5[0]) / float64(heldOut5[1])
	t.Logf("held-out halves of %d of %d outside sets, against sisimai 5's labels: %d/%d (%.1f%%)",
		present, len(outsideSets), heldOut5[0], heldOut5[1], share)
	if present == len(outsideSets) && share < 90 {
		t.Errorf("agreement %.1f%% on the outside sets' held-out halves is under 90%%", share)
	}
}

// measureOutside measures a set against one labels file, under docs/, and
// fails under bar percent on the whole set; v425 says the labels are
// sisimai 4.25's, which lack the newer reasons. It returns the agreeing
// and all recipients with a code, [tuning, held-out].
func measureOutside(t *testing.T, set outsideSet, labelsFile string, bar float64, v425 bool) (agree, total [2]int) {
	dir := cmp.Or(os.Getenv(set.env), set.dir)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no %s at %s (%s, or name a folder in %s): %v", set.name, dir, set.hint, set.env, err)
	}
	labels, err := filepath.Abs(filepath.Join("..", "docs", labelsFile))
	if err != nil {
		t.Fatal(err)
	}
	var codeless, worded, wordedAgree int
	newer := 0 // misses whose reason sisimai 4.25 has no name for
	eachLabelledIn(t, labels, dir, func(l sisimaiLabel, j JSONReport) {
		half := 0
		if heldOut(l.File) {
			half = 1
		}
		for _, want := range l.Expected {
			switch want.Reason {
			case "onhold", "undefined", "vacation", "feedback":
				continue
			}
			if pseudoStatus(want.Status) {
				// No code: the reason, if any, is read from the words
				// (one answer per reason, so any of them may be this
				// recipient's).
				codeless++
				// Read from the words alone, or from a code the bounce
				// has after all (LSMTP's quoted "554 Message looping").
				got := map[string]bool{}
				for _, w := range j.Worded {
					got[w.Reason.ID] = true
				}
				for _, f := range j.Findings {
					if f.Role == "failure" && f.Reason != nil && f.Reason.ID != "undefined" {
						got[f.Reason.ID] = true
					}
				}
				if len(got) > 0 {
					worded++
				}
				if got[want.Reason] {
					wordedAgree++
				} else if half == 0 {
					t.Logf("%s, no code: reasons %v, sisimai says %s", l.File, slices.Sorted(maps.Keys(got)), want.Reason)
				}
				continue
			}
			total[half]++
			got, text := reasonFor(j, want, true)
			if got == want.Reason {
				agree[half]++
				continue
			}
			if newerThanLabels[got] {
				newer++
			}
			if half == 0 {
				t.Logf("%s %s %s: reason %s, sisimai says %s: %.100q", l.File, want.Reply, want.Status, got, want.Reason, text)
			}
		}
	})
	share := func(a, n int) float64 { return 100 * float64(a) / float64(max(n, 1)) }
	t.Logf("agreement with sisimai (%s) on %s: held-out %d/%d (%.1f%%), tuning %d/%d (%.1f%%), whole %d/%d (%.1f%%)",
		labelsFile, set.name, agree[1], total[1], share(agree[1], total[1]), agree[0], total[0], share(agree[0], total[0]),
		agree[0]+agree[1], total[0]+total[1], share(agree[0]+agree[1], total[0]+total[1]))
	t.Logf("%d recipients more, whose bounce carries no code sisimai read, counted apart: %d get a reason, %d agree with sisimai",
		codeless, worded, wordedAgree)
	if v425 {
		t.Logf("%d of the %d misses give a reason newer than the labels' sisimai 4.25, which cannot agree with it", newer,
			total[0]+total[1]-agree[0]-agree[1])
	}
	if whole := share(agree[0]+agree[1], total[0]+total[1]); whole < bar {
		t.Errorf("agreement %.1f%% on %s (%s) is under %.0f%%", whole, set.name, labelsFile, bar)
	}
	return agree, total
}
