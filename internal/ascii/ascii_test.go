package ascii

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestIndexFold checks IndexFold against strings.Index on lower-cased text,
// on texts made of few letters in both cases, where candidates for the
// first byte abound.
func TestIndexFold(t *testing.T) {
	for _, tt := range []struct {
		s, needle string
		want      int
	}{
		{"", "a", -1},
		{"abc", "", 0},
		{"Status=x", "status=", 0},
		{"xx STATUS=", "status=", 3},
		{"AAAAAAAB", "aab", 5},
		{"aAaAaAb", "aab", 4},
		{"AB", "abc", -1},
		{"ÀA", "a", 2},
	} {
		if got := IndexFold(tt.s, tt.needle); got != tt.want {
			t.Errorf("IndexFold(%q, %q) = %d, want %d", tt.s, tt.needle, got, tt.want)
		}
		if got := NewNeedle(tt.needle).In(tt.s); got != tt.want {
			t.Errorf("NewNeedle(%q).In(%q) = %d, want %d", tt.needle, tt.s, got, tt.want)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	const letters = "aAbB-"
	for range 5000 {
		s := make([]byte, r.IntN(40))
		for i := range s {
			s[i] = letters[r.IntN(len(letters))]
		}
		needle := make([]byte, 1+r.IntN(4))
		for i := range needle {
			needle[i] = "ab-"[r.IntN(3)]
		}
		want := strings.Index(strings.ToLower(string(s)), string(needle))
		if got := IndexFold(string(s), string(needle)); got != want {
			t.Fatalf("IndexFold(%q, %q) = %d, want %d", s, needle, got, want)
		}
	}
}

// TestIndexFoldMarks: provider marks, and the bytes next to the letters.
func TestIndexFoldMarks(t *testing.T) {
	tests := []struct {
		s, needle string
		want      int
	}{
		{"", "", 0},
		{"abc", "", 0},
		{"", "a", -1},
		{"- GSMTP", "gsmtp", 2},
		{"[TSS04]", "[tss", 0},
		{"x.Prod.Outlook.COM", "prod.outlook.com", 2},
		{"gsmt", "gsmtp", -1},
		{"@[`{", "[", 1}, // bytes next to the letters in ASCII are not folded
		{"@", "`", -1},
	}
	for _, tt := range tests {
		if got := IndexFold(tt.s, tt.needle); got != tt.want {
			t.Errorf("IndexFold(%q, %q) = %d, want %d", tt.s, tt.needle, got, tt.want)
		}
	}
}

func TestAppendLower(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"GSMTP [TSS04] Ünïcode É", "gsmtp [tss04] Ünïcode É"},
		{"@[`{AZaz09", "@[`{azaz09"},
	} {
		if got := string(AppendLower([]byte("x"), tt.in)); got != "x"+tt.want {
			t.Errorf("AppendLower(%q) = %q, want %q", tt.in, got, "x"+tt.want)
		}
	}
}

// FuzzIndexFold checks IndexFold against a search of the lowered text,
// whichever byte of the needle it anchors on.
func FuzzIndexFold(f *testing.F) {
	f.Add("SMTP error from remote mail server after RCPT TO:<a@b>:", " after ")
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAab", "ab")
	f.Add("x  yz Status=Deferred", "status=")
	f.Add("abc", "   ")
	f.Fuzz(func(t *testing.T, s, needle string) {
		want := strings.Index(string(AppendLower(nil, s)), needle)
		if got := IndexFold(s, needle); got != want {
			t.Fatalf("IndexFold(%q, %q) = %d, want %d", s, needle, got, want)
		}
		if got := NewNeedle(needle).In(s); got != want {
			t.Fatalf("NewNeedle(%q).In(%q) = %d, want %d", needle, s, got, want)
		}
	})
}

// FuzzSpaces checks Spaces against testing each byte.
func FuzzSpaces(f *testing.F) {
	for _, s := range []string{"        ", "abcdefgh", " a b c d", "\x00 \x20\xa0!\x1f  ", "a       "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) < 8 {
			return
		}
		var want uint64
		for k := range 8 {
			if s[k] == ' ' {
				want |= 0x80 << (8 * k)
			}
		}
		if got := Spaces(s, 0); got != want {
			t.Fatalf("Spaces(%q) = %#x, want %#x", s, got, want)
		}
	})
}
