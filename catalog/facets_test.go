package catalog

import (
	"slices"
	"testing"
)

func TestFacets(t *testing.T) {
	c := mustDefault(t)
	tests := []struct {
		code  string
		phase Phase // the most usual phase
		scope Scope
		cause Cause
	}{
		{"550", PhaseRcpt, ScopeRecipient, CauseMailbox},              // RFC 5321 4.3.2: RCPT, MAIL
		{"554", PhaseConnection, ScopeTransaction, CausePolicy},       // RFC 5321 3.1: a refusal at the greeting
		{"421", PhaseConnection, ScopeConnection, CauseCapacity},      // RFC 5321 3.8
		{"535", PhaseAuth, ScopeSession, CauseSMTPAuth},               // RFC 4954 6
		{"5.7.26", PhaseEndOfData, ScopeMessage, CauseAuthentication}, // checked once the message is in
		{"550 5.1.1", PhaseRcpt, ScopeRecipient, CauseAddress},        // the enhanced code names the cause
		{"550 5.7.26", PhaseEndOfData, ScopeMessage, CauseAuthentication},
		{"4.4.7", PhaseRelay, ScopeMessage, CauseNetwork}, // reported in a DSN after queueing
		{"2.1.5", PhaseRcpt, ScopeRecipient, CauseInformational},
		{"250 2.0.0", PhaseAnyCommand, ScopeNone, CauseInformational},
		{"5.1.99", PhaseRcpt, ScopeRecipient, CauseAddress},               // unregistered: its subject's defaults
		{"559", PhaseAnyCommand, ScopeTransaction, CauseOther},            // unregistered: its digits
		{"520", PhaseConnection, ScopeConnection, CauseNetwork},           // x2x: connections (RFC 5321 4.2.1)
		{"550 5.0.0", PhaseRcpt, ScopeRecipient, CauseMailbox},            // X.0.0 says nothing: the reply decides
		{"451 4.7.1", PhaseRcpt, ScopeRecipient, CausePolicy},             // greylisting at RCPT TO: one recipient
		{"552 5.3.4", PhaseEndOfData, ScopeMessage, CauseContent},         // too big: the message itself
		{"552 5.2.2", PhaseRcpt, ScopeRecipient, CauseCapacity},           // over quota: one mailbox
		{"501", PhaseAnyCommand, ScopeCommand, CauseProtocol},             // only the command
		{"556", PhaseRcpt, ScopeRecipient, CauseNoMailService},            // RFC 7504 3
		{"5.7.25", PhaseEndOfData, ScopeTransaction, CauseAuthentication}, // reverse DNS: Gmail after DATA, others at the greeting; it refuses all from the IP (RFC 7372)
		// docs/reviews/en-truth-compare-cards.md: X.7.0 answers AUTH,
		// STARTTLS or any command, and the greeting (RFC 4954); 2.7.0 a
		// successful AUTH; 534 5.7.14 is Gmail's answer to AUTH; 5.2.3 is a
		// mailbox's limit, unknown at MAIL FROM; 4.4.3 a resolver's.
		{"4.7.0", PhaseAnyCommand, ScopeTransaction, CausePolicy},
		{"2.7.0", PhaseAuth, ScopeSession, CauseInformational},
		{"5.7.14", PhaseAuth, ScopeSession, CauseSMTPAuth},
		{"5.2.3", PhaseEndOfData, ScopeMessage, CauseContent},
		{"4.4.3", PhaseRcpt, ScopeRecipient, CauseNetwork},
		{"5.0.0", PhaseAnyCommand, ScopeCommand, CauseOther}, // only the class is known (RFC 3463 3.1)
		// Microsoft 365 refuses an unknown recipient at RCPT TO as 5.4.1;
		// 4.4.1 is the sending server's own "no answer from host".
		{"550 5.4.1", PhaseRcpt, ScopeRecipient, CauseAddress},
		{"5.4.1", PhaseRcpt, ScopeRecipient, CauseAddress},
		{"4.4.1", PhaseRelay, ScopeRecipient, CauseNetwork},
	}
	for _, tt := range tests {
		code, err := Parse(tt.code)
		if err != nil {
			t.Fatal(err)
		}
		f := c.Facets(code)
		if len(f.Phases) == 0 || f.Phases[0] != tt.phase || f.Scope != tt.scope || f.Cause != tt.cause {
			t.Errorf("Facets(%s) = %+v, want first phase %s, scope %s, cause %s", tt.code, f, tt.phase, tt.scope, tt.cause)
		}
	}
}

// TestEveryCodeHasFacets makes sure no registered code, in any class, falls
// through to facets with no phase or an unknown value.
func TestEveryCodeHasFacets(t *testing.T) {
	c := mustDefault(t)
	for _, e := range c.Entries() {
		keys := []string{e.Key}
		if e.Kind == KindEnhanced {
			keys = []string{"2" + e.Key[1:], "4" + e.Key[1:], "5" + e.Key[1:]}
		}
		for _, k := range keys {
			code, err := Parse(k)
			if err != nil {
				t.Fatal(err)
			}
			f := c.Facets(code)
			if err := f.check(); err != nil {
				t.Errorf("%s: %v", k, err)
			}
			if code.Class() >= ClassTransientNegative && f.Cause == CauseInformational {
				t.Errorf("%s: a failure with an informational cause", k)
			}
			if !slices.Contains(Scopes(), f.Scope) {
				t.Errorf("%s: scope %q", k, f.Scope)
			}
		}
	}
}

// A sentence that says a code refuses one recipient names only the phases
// where it does.
func TestPhasesOfScope(t *testing.T) {
	tests := []struct {
		scope  Scope
		phases []Phase
		want   []Phase
	}{
		{ScopeRecipient, []Phase{PhaseRcpt, PhaseMail, PhaseEndOfData}, []Phase{PhaseRcpt}},
		{ScopeRecipient, []Phase{PhaseMail, PhaseRcpt}, []Phase{PhaseRcpt}},
		{ScopeRecipient, []Phase{PhaseMail}, []Phase{PhaseMail}},
		{ScopeTransaction, []Phase{PhaseConnection, PhaseEndOfData}, []Phase{PhaseConnection, PhaseEndOfData}},
	}
	for _, tt := range tests {
		if got := PhasesOfScope(tt.scope, tt.phases); !slices.Equal(got, tt.want) {
			t.Errorf("PhasesOfScope(%s, %v) = %v, want %v", tt.scope, tt.phases, got, tt.want)
		}
	}
}

// TestCodeFacetsKeys checks the keys data/facets.json may list under codes:
// a registered enhanced code for every class, or in one class it is used in.
func TestCodeFacetsKeys(t *testing.T) {
	f := Facets{Phases: []Phase{PhaseRcpt}, Scope: ScopeRecipient, Cause: CauseAddress}
	for key, ok := range map[string]bool{"X.4.1": true, "5.4.1": true, "4.4.1": true,
		"5.4.2": false, // X.4.2 is registered only as a transient failure
		"X.9.9": false, "5.9.9": false, "X.4": false} {
		c, _ := Load()
		if err := c.addCodeFacets(key, f); (err == nil) != ok {
			t.Errorf("%s: error %v, want accepted %v", key, err, ok)
		}
	}
}
