package limit

import (
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestBufferKeepsUpToMax(t *testing.T) {
	for _, tt := range []struct {
		in      string
		max     int64
		want    string
		wantErr bool
	}{
		{"", 4, "", false},
		{"abc", 4, "abc", false},
		{"abcd", 4, "abcd", false},
		{"abcdef", 4, "abcd", true},
		{"abc", 0, "", true},
	} {
		k := &Buffer{Max: tt.max}
		k.Grow(int64(len(tt.in)))
		_, err := io.Copy(k, strings.NewReader(tt.in))
		if k.String() != tt.want || errors.Is(err, ErrFull) != tt.wantErr {
			t.Errorf("%q into %d: kept %q, error %v", tt.in, tt.max, k.String(), err)
		}
	}
}

func TestBufferRefusesOnceFull(t *testing.T) {
	k := &Buffer{Max: 3}
	if n, err := k.Write([]byte("abcd")); n != 3 || !errors.Is(err, ErrFull) {
		t.Fatalf("first write: %d, %v", n, err)
	}
	if n, err := k.Write([]byte("e")); n != 0 || !errors.Is(err, ErrFull) {
		t.Fatalf("write when full: %d, %v", n, err)
	}
	if k.Len() != 3 {
		t.Fatalf("kept %d bytes", k.Len())
	}
}

func TestCut(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int64
		want string
	}{
		{"hello", 10, "hello"},
		{"hello", 3, "hel"},
		{"héllo", 2, "h"},  // é is two bytes: its first is dropped
		{"ไทย", 4, "ไ"},    // a Thai letter is three bytes
		{"ไทย", 3, "ไ"},    // a whole one is kept
		{"a\xffb", 2, "a"}, // an invalid byte at the cut goes too
		{"สวัสดี", 0, ""},
	} {
		got := Cut(tt.s, tt.n)
		if got != tt.want || !utf8.ValidString(got) {
			t.Errorf("Cut(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

// FuzzCut: a cut is valid UTF-8 when the text was, at most n bytes, and
// loses no more than a split sequence.
func FuzzCut(f *testing.F) {
	f.Add("héllo ไทย", int64(5))
	f.Fuzz(func(t *testing.T, s string, n int64) {
		if n < 0 {
			n = ^n // every int64 is a length to try
		}
		got := Cut(s, n)
		if int64(len(got)) > n || !strings.HasPrefix(s, got) {
			t.Fatalf("Cut(%q, %d) = %q", s, n, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Cut(%q, %d) = %q, not valid UTF-8", s, n, got)
		}
		if want := min(int64(len(s)), n); int64(len(got)) < want-int64(utf8.UTFMax-1) {
			t.Fatalf("Cut(%q, %d) = %q lost more than a split sequence", s, n, got)
		}
	})
}
