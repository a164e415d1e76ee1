package handlers

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/smtpcodes/smtpbot/catalog/extract"
)

// sisimaiLabel is one line of a labels.jsonl: a message, and sisimai's
// reading of each failed recipient in it.
type sisimaiLabel struct {
	File     string      `json:"file"`
	Expected []recipient `json:"expected"`
}

// recipient is sisimai's reading of one failed recipient.
type recipient struct {
	Status string `json:"status"`
	Reply  string `json:"reply"`
	Reason string `json:"reason"`
}

// eachLabelled explains, in English, every message the labels.jsonl in dir
// names, and calls fn with its label and the JSON answer. It returns the
// error of finding the file, for the caller to skip on.
func eachLabelled(t *testing.T, dir string, fn func(sisimaiLabel, JSONReport)) error {
	t.Helper()
	labels := filepath.Join(dir, "labels.jsonl")
	if _, err := os.Stat(labels); err != nil {
		return err
	}
	eachLabelledIn(t, labels, dir, fn)
	return nil
}

// eachLabelledIn is eachLabelled with the labels file apart from the
// messages, which it names relative to dir.
func eachLabelledIn(t *testing.T, labels, dir string, fn func(sisimaiLabel, JSONReport)) {
	t.Helper()
	f, err := os.Open(labels)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e := engine(t)
	en := e.Languages().Fallback()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l sisimaiLabel
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("labels.jsonl: %v", err)
		}
		raw, err := os.ReadFile(filepath.Join(dir, l.File))
		if err != nil {
			t.Fatal(err)
		}
		fn(l, e.ExplainText(en, string(raw)).JSON())
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", labels, err)
	}
}

// reasonFor is the reason the answer j gives the recipient want, with the
// server's words it was read from: that of the failure with want's codes,
// "delivered" for a success (which gets no reason), "none" for a failure
// without one, or "no finding". With firstFailure, a recipient whose
// status no failure carries (sisimai's reading differs from ours) takes
// the first failure's, or "delivered" when the answer shows a success.
func reasonFor(j JSONReport, want recipient, firstFailure bool) (reason, text string) {
	var first *JSONExplanation
	for i := range j.Findings {
		x := &j.Findings[i]
		if x.Role != string(extract.RoleFailure) {
			continue
		}
		if first == nil {
			first = x
		}
		if x.Enhanced == want.Status && (want.Reply == "" || x.Reply == want.Reply) {
			return findingReason(x), x.ServerText
		}
	}
	if !firstFailure {
		return "no finding", ""
	}
	if first != nil {
		return findingReason(first), first.ServerText
	}
	for _, x := range j.Findings {
		if x.Class.Digit == 2 {
			return "delivered", "" // sisimai's label for a 2.x.x report
		}
	}
	return "no finding", ""
}

// findingReason is x's reason id, "delivered" for a success, or "none".
func findingReason(x *JSONExplanation) string {
	switch {
	case x.Reason != nil:
		return x.Reason.ID
	case x.Class.Digit == 2:
		return "delivered"
	}
	return "none"
}
