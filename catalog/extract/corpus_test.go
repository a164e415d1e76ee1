package extract

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir is the shared set of real bounces, beside the checkout:
// ../shared/corpus from the repository root. SMTPBOT_CORPUS overrides it,
// for checkouts that live elsewhere (a git worktree, say).
var corpusDir = filepath.Join("..", "..", "..", "shared", "corpus")

func init() {
	if d := os.Getenv("SMTPBOT_CORPUS"); d != "" {
		corpusDir = d
	}
}

// corpusThreshold is the share of corpus messages that must be read
// correctly; it sits just under what Extract achieves, so that a change
// that loses a message fails.
const corpusThreshold = 0.99

type corpusLabel struct {
	File     string `json:"file"`
	MTA      string `json:"mta"`
	Expected []struct {
		Status string `json:"status"`
		Reply  string `json:"reply"`
	} `json:"expected"`
}

// TestCorpus runs Extract over the real bounces of the shared corpus. A
// message is read correctly when
//
//   - every expected (status, reply) pair is among the failure findings:
//     same enhanced code, and same reply code when the label has one. When
//     the label's reply is "" (the message carries none, or the labeller
//     found none), a failure with that status and any reply or none counts:
//     the label says nothing about the reply;
//   - the first finding is one of the expected pairs;
//   - the confidence is at least 0.8.
func TestCorpus(t *testing.T) {
	f, err := os.Open(filepath.Join(corpusDir, "labels.jsonl"))
	if err != nil {
		t.Skipf("no corpus at %s: %v", corpusDir, err)
	}
	defer f.Close()
	var total, good int
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l corpusLabel
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("labels.jsonl: %v", err)
		}
		raw, err := os.ReadFile(filepath.Join(corpusDir, l.File))
		if err != nil {
			t.Fatalf("%s: %v", l.File, err)
		}
		total++
		ex := Extract(string(raw))
		if why := corpusMiss(l, ex); why != "" {
			t.Logf("MISS %s (%s): %s; got %s", l.File, l.MTA, why, describe(ex))
			continue
		}
		good++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if total == 0 {
		t.Skip("empty corpus")
	}
	share := float64(good) / float64(total)
	t.Logf("corpus: %d of %d messages read correctly (%.1f%%)", good, total, 100*share)
	if share < corpusThreshold {
		t.Errorf("corpus share %.3f is under the threshold %.3f", share, corpusThreshold)
	}
}

// corpusMiss says why ex does not match the label, or "" when it does.
func corpusMiss(l corpusLabel, ex Extraction) string {
	matches := func(f Finding, status, reply string) bool {
		return f.Role == RoleFailure && f.Code.Enhanced.String() == status && (reply == "" || f.Code.Reply.String() == reply)
	}
	for _, e := range l.Expected {
		found := false
		for _, f := range ex.Findings {
			found = found || matches(f, e.Status, e.Reply)
		}
		if !found {
			return "no failure " + e.Reply + " " + e.Status
		}
	}
	if len(ex.Findings) == 0 {
		return "no findings"
	}
	first := false
	for _, e := range l.Expected {
		first = first || matches(ex.Findings[0], e.Status, e.Reply)
	}
	if !first {
		return "first finding is not expected"
	}
	if ex.Confidence < 0.8 {
		return "low confidence"
	}
	return ""
}

// describe renders an extraction on one line for test logs.
func describe(ex Extraction) string {
	var b strings.Builder
	b.WriteString("conf=")
	b.WriteString(strings.TrimRight(strings.TrimRight(jsonFloat(ex.Confidence), "0"), "."))
	for _, f := range ex.Findings {
		b.WriteString(" [")
		b.WriteString(string(f.Role))
		b.WriteString(" ")
		b.WriteString(f.Code.String())
		b.WriteString(" ")
		t := f.ServerText
		if len(t) > 60 {
			t = t[:60] + "…"
		}
		b.WriteString(quoteJSON(t))
		b.WriteString("]")
	}
	return b.String()
}

func jsonFloat(f float64) string { b, _ := json.Marshal(f); return string(b) }

func quoteJSON(s string) string { b, _ := json.Marshal(s); return string(b) }
