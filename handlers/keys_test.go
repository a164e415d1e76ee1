package handlers

import (
	"strconv"
	"testing"

	"github.com/smtpcodes/smtpbot/catalog"
)

// TestKeyTables: the keys built once are the keys classKey and subjectKey
// built on each call before, for every class and subject.
func TestKeyTables(t *testing.T) {
	built := func(code catalog.Code) string { // classKey as it was
		if code.Reply.IsZero() {
			return "class.enhanced." + strconv.Itoa(int(code.Class()))
		}
		return "class." + strconv.Itoa(int(code.Class()))
	}
	for c := range 256 {
		for _, code := range []catalog.Code{
			{Reply: catalog.Reply(c * 100)},
			{Reply: catalog.Reply(c*100 + 50), Enhanced: catalog.Enhanced{Class: uint8(c), Subject: 1, Detail: 1}},
			{Enhanced: catalog.Enhanced{Class: uint8(c), Subject: 1, Detail: 1}},
		} {
			if got, want := classKey(code), built(code); got != want {
				t.Errorf("classKey(%v) = %q, want %q", code, got, want)
			}
		}
	}
	for s := range 1000 {
		want := "subject." + strconv.Itoa(s)
		if s > 7 {
			want = "subject.unknown"
		}
		if got := subjectKey(uint16(s)); got != want {
			t.Errorf("subjectKey(%d) = %q, want %q", s, got, want)
		}
	}
}

// FuzzEscapeInPieces: explanationBlocks escapes the class and the subject
// apart and joins them after, which must give what escaping them joined
// gave.
func FuzzEscapeInPieces(f *testing.F) {
	f.Add("Permanent <5.x.x> & more", "Addressing > Status")
	f.Add("", "&amp;")
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := escape(a)+" · "+escape(b), escape(a+" · "+b); got != want {
			t.Fatalf("%q, %q: %q, joined first %q", a, b, got, want)
		}
	})
}
