package handlers

import (
	"testing"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		in    string
		verb  Verb
		lang  string
		codes []string
	}{
		{"", VerbHelp, "", nil},
		{"help", VerbHelp, "", nil},
		{"codes", VerbCodes, "", nil},
		{"lang vi", VerbLang, "vi", nil},
		{"lang", VerbLang, "", nil},
		// A language by its name (docs/reviews/en-truth-typed-input.md).
		{"lang thai", VerbLang, "th", nil},
		{"switch to vietnamese", VerbLang, "vi", nil},
		{"tiếng việt", VerbLang, "vi", nil},
		{"เปลี่ยนเป็นภาษาไทย", VerbLang, "th", nil},
		{"550 in english", VerbExplain, "", []string{"550"}},
		{"5,1,1", VerbExplain, "", []string{"5.1.1"}},
		{"550 vs 554 vs 553", VerbExplain, "", []string{"550", "554", "553"}},
		{"5.7.1 vs 5.7.26 vs 5.7.23", VerbExplain, "", []string{"5.7.1", "5.7.26", "5.7.23"}},
		{"550", VerbExplain, "", []string{"550"}},
		{"5.7.26", VerbExplain, "", []string{"5.7.26"}},
		{"550 5.1.1", VerbExplain, "", []string{"550 5.1.1"}},
		{"550 lang:th", VerbExplain, "th", []string{"550"}},
		{"lang:vi 421", VerbExplain, "vi", []string{"421"}},
		{"214 vs 556", VerbCompare, "", []string{"214", "556"}},
		{"214 VS 556", VerbCompare, "", []string{"214", "556"}},
		{"compare 421 450", VerbCompare, "", []string{"421", "450"}},
		{"compare 550 5.1.1 vs 5.1.2", VerbCompare, "", []string{"550 5.1.1", "5.1.2"}},
		{"explain 550", VerbExplain, "", []string{"550"}},
		{"6.1.1", VerbInvalid, "", nil},
		{"99", VerbInvalid, "", nil},
		{"compare 550 999", VerbInvalid, "", nil},
		{"10.4.5.1", VerbChat, "", nil}, // an address, not a code
		{"host said: 550 5.1.1 user unknown", VerbPaste, "", nil},
		{"help me with 550", VerbExplain, "", []string{"550"}},
		{"550 vs 554?", VerbCompare, "", []string{"550", "554"}},
		{"550 vs 554 which one is worse", VerbCompare, "", []string{"550", "554"}},
		{"compare 4.7.0 and 5.7.0", VerbCompare, "", []string{"4.7.0", "5.7.0"}},
		{"what does 550 5.7.1 mean? lang:th", VerbExplain, "th", []string{"550 5.7.1"}},
		{"what do 421 and 450 mean", VerbExplain, "", []string{"421", "450"}},
		{"which code means mailbox full?", VerbSearch, "", nil},
		{"hi!", VerbChat, "", nil},
		{"what can you do?", VerbHelp, "", nil},
	}
	for _, tt := range tests {
		c := ParseCommand(tt.in)
		if c.Verb != tt.verb || c.Lang != tt.lang {
			t.Errorf("ParseCommand(%q) = %s lang %q, want %s lang %q", tt.in, c.Verb, c.Lang, tt.verb, tt.lang)
			continue
		}
		if len(c.Codes) != len(tt.codes) {
			t.Errorf("ParseCommand(%q) codes = %v, want %v", tt.in, c.Codes, tt.codes)
			continue
		}
		for i := range c.Codes {
			if c.Codes[i].String() != tt.codes[i] {
				t.Errorf("ParseCommand(%q) code %d = %s, want %s", tt.in, i, c.Codes[i], tt.codes[i])
			}
		}
		if c.Verb == VerbInvalid && c.Err == nil {
			t.Errorf("ParseCommand(%q) is invalid without a reason", tt.in)
		}
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"", "550", "214 vs 556", "compare 421 450", "lang:th 5.7.1", "lang vi", "6.1.1", "<@U1> 550"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := ParseCommand(s)
		switch c.Verb {
		case VerbExplain:
			if len(c.Codes) == 0 {
				t.Fatal("explain without a code")
			}
		case VerbCompare:
			if len(c.Codes) != 2 {
				t.Fatalf("compare with %d codes", len(c.Codes))
			}
		case VerbInvalid:
			if c.Err == nil {
				t.Fatal("invalid without a reason")
			}
		}
		_ = stripMentions(s)
		_ = maskAddresses(s)
		_ = truncate(s, 10)
	})
}
