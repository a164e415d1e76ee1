package diagnose

import (
	"regexp"
	"testing"
)

// TestPatternsCompile compiles every pattern the package compiles on first
// use, so that a bad one fails here rather than in a user's diagnosis.
func TestPatternsCompile(t *testing.T) {
	for name, re := range map[string]func() *regexp.Regexp{
		"addrRe": addrRe, "selectorRe": selectorRe, "recipientRe": recipientRe, "senderRe": senderRe,
		"gmailFromRe": gmailFromRe, "gmailSPFRe": gmailSPFRe, "listRe": listRe, "ipRe": ipRe, "hostname": hostname,
	} {
		if re() == nil {
			t.Errorf("%s: nil", name)
		}
	}
}
