package catalog

import (
	"errors"
	"fmt"
	"testing"
)

var parseTests = []struct {
	in   string
	want Code
}{
	{"550", Code{Reply: 550}},                                      // RFC 5321 4.2.3
	{"214", Code{Reply: 214}},                                      // RFC 5321 4.2.3
	{"  421 ", Code{Reply: 421}},                                   // surrounding space ignored
	{"5.1.1", Code{Enhanced: Enhanced{5, 1, 1}}},                   // RFC 3463 2
	{"4.7.650", Code{Enhanced: Enhanced{4, 7, 650}}},               // three-digit detail (Microsoft)
	{"2.0.0", Code{Enhanced: Enhanced{2, 0, 0}}},                   // success class
	{"550 5.1.1", Code{Reply: 550, Enhanced: Enhanced{5, 1, 1}}},   // reply and enhanced, RFC 2034
	{"550-5.1.1", Code{Reply: 550, Enhanced: Enhanced{5, 1, 1}}},   // continuation line form, RFC 5321 4.2.1
	{"451\t4.4.1", Code{Reply: 451, Enhanced: Enhanced{4, 4, 1}}},  // tab separated
	{"559", Code{Reply: 559}},                                      // well formed, unregistered
	{"5.7.999", Code{Enhanced: Enhanced{5, 7, 999}}},               // well formed, unregistered
	{"5.123.456", Code{Enhanced: Enhanced{5, 123, 456}}},           // three-digit subject is allowed
	{"250   2.1.5", Code{Reply: 250, Enhanced: Enhanced{2, 1, 5}}}, // several spaces
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

var parseErrorTests = []struct {
	in     string
	reason string
}{
	{"", ReasonEmpty},
	{"   ", ReasonEmpty},
	{"99", ReasonReplyShape},
	{"5500", ReasonReplyShape},
	{"55a", ReasonReplyShape},
	{"150", ReasonReplyClass},      // RFC 5321 4.2: SMTP uses no 1yz replies
	{"650", ReasonReplyClass},      // no sixth class
	{"560", ReasonReplyCategory},   // RFC 5321 4.2.1: second digit 0 to 5
	{"6.1.1", ReasonEnhancedClass}, // RFC 3463 2: class 2, 4 or 5
	{"3.1.1", ReasonEnhancedClass}, // no intermediate class for enhanced codes
	{"5.1", ReasonEnhancedShape},
	{"5..1", ReasonEnhancedDigits},
	{"5.1.1000", ReasonEnhancedDigits},
	{"5.1.x", ReasonEnhancedDigits},
	{"5.1.1.1", ReasonEnhancedDigits},
	{"550 4.1.1", ReasonClassesDiffer}, // RFC 3463 3.1: classes agree
	{"550 hello", ReasonEnhancedShape},
	{"abc 5.1.1", ReasonReplyShape},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range parseErrorTests {
		_, err := Parse(tt.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) error = %v, want a *ParseError", tt.in, err)
			continue
		}
		if pe.Reason != tt.reason {
			t.Errorf("Parse(%q) reason = %q, want %q", tt.in, pe.Reason, tt.reason)
		}
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("Parse(%q) error does not wrap ErrMalformed", tt.in)
		}
		if reasonText[pe.Reason] == "" {
			t.Errorf("reason %q has no English text", pe.Reason)
		}
	}
}

func TestCodeString(t *testing.T) {
	for _, tt := range parseTests {
		c, _ := Parse(tt.in)
		again, err := Parse(c.String())
		if err != nil || again != c {
			t.Errorf("Parse(%q).String() = %q does not round-trip", tt.in, c.String())
		}
	}
	if s := (Enhanced{5, 1, 10}).Key(); s != "X.1.10" {
		t.Errorf("Key() = %q, want X.1.10", s)
	}
}

func TestRetryFor(t *testing.T) {
	over := &Facts{Retry: RetryLater}
	tests := []struct {
		class Class
		entry *Facts
		want  Retry
	}{
		{ClassPositiveCompletion, nil, RetryNone},
		{ClassPositiveIntermediate, nil, RetryContinue},
		{ClassTransientNegative, nil, RetryLater},
		{ClassPermanentNegative, nil, RetryAfterFix},
		{ClassPermanentNegative, over, RetryLater}, // 552 after RCPT TO, RFC 5321 4.5.3.1.10
		{ClassPositiveCompletion, over, RetryNone}, // an override never turns success into failure
		{ClassPermanentNegative, &Facts{}, RetryAfterFix},
		{ClassPermanentNegative, &Facts{Retry: RetryByHand, Soft: true}, RetryByHand}, // 5.2.2
	}
	for _, tt := range tests {
		if got := RetryFor(tt.class, tt.entry); got != tt.want {
			t.Errorf("RetryFor(%d, %+v) = %q, want %q", tt.class, tt.entry, got, tt.want)
		}
	}
}

func TestLookupDoesNotAllocate(t *testing.T) {
	cat, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		c, _ := Parse("550 5.1.1")
		cat.Reply(c.Reply)
		cat.Enhanced(c.Enhanced)
	})
	if allocs != 0 {
		t.Errorf("parse and lookup allocate %v times, want 0", allocs)
	}
}

// TestEnhancedStringDigits checks the dotted forms built without fmt
// against fmt's, up to the largest values the fields hold.
func TestEnhancedStringDigits(t *testing.T) {
	for _, e := range []Enhanced{{2, 0, 0}, {5, 1, 1}, {4, 7, 26}, {5, 999, 999}, {255, 65535, 65535}, {9, 10, 100}} {
		if got, want := e.String(), fmt.Sprintf("%d.%d.%d", e.Class, e.Subject, e.Detail); got != want {
			t.Errorf("String of %#v = %q, want %q", e, got, want)
		}
		if got, want := e.Key(), fmt.Sprintf("X.%d.%d", e.Subject, e.Detail); got != want {
			t.Errorf("Key of %#v = %q, want %q", e, got, want)
		}
	}
	if s := (Enhanced{}).String(); s != "" {
		t.Errorf("zero Enhanced = %q", s)
	}
}
