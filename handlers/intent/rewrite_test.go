package intent

import (
	"strings"
	"testing"
)

// The functions below are the earlier forms of rewritten ones, kept to
// check that each rewrite reads every text as they did.

// stripAnglesCopying is stripAngles as it was: it copied every text that
// has a '<', growing its builder span by span.
func stripAnglesCopying(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 || strings.ContainsAny(s[i+1:i+j], " \n") {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		inner := s[i+1 : i+j]
		s = s[i+j+1:]
		switch {
		case strings.HasPrefix(inner, "@"), strings.HasPrefix(inner, "!"), strings.HasPrefix(inner, "#"):
			b.WriteByte(' ')
		case strings.Contains(inner, "|"):
			b.WriteString(inner[strings.IndexByte(inner, '|')+1:])
		case strings.HasPrefix(inner, "http"), strings.HasPrefix(inner, "mailto:"):
			b.WriteString(strings.TrimPrefix(inner, "mailto:"))
		default:
			b.WriteString("<" + inner + ">")
		}
	}
}

// stripEmojiCopying is stripEmoji as it was.
func stripEmojiCopying(s string) string {
	if strings.Count(s, ":") < 2 {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, ':')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := i + 1
		letter := false
		for j < len(s) && (wordByte(s[j]) && s[j] < 0x80 || s[j] == '_' || s[j] == '+' || s[j] == '-') {
			letter = letter || 'a' <= s[j]|0x20 && s[j]|0x20 <= 'z'
			j++
		}
		if j < len(s) && s[j] == ':' && j > i+1 && letter && (i == 0 || !wordByte(s[i-1])) {
			b.WriteString(s[:i])
			b.WriteByte(' ')
			s = s[j+1:]
			continue
		}
		b.WriteString(s[:i+1])
		s = s[i+1:]
	}
}

// spacedFoldedBytes is spacedFolded as it was, on a byte slice copied
// into the string.
func spacedFoldedBytes(f string) spaced {
	b := make([]byte, 0, len(f)+2)
	b = append(b, ' ')
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
			if b[len(b)-1] != ' ' {
				b = append(b, ' ')
			}
			continue
		}
		b = append(b, c)
	}
	if b[len(b)-1] != ' ' {
		b = append(b, ' ')
	}
	return spaced(b)
}

var rewriteSeeds = []string{
	"", "<", ">", "<>", "<@U1> hi", "<#C1|ops> <!here> <https://x.example|label> <mailto:a@b.example|a> <mailto:a@b.example>",
	"550 5.1.1 <jane@example.com>: rejected", "a < b > c", "<http://x y>", ":thinking_face: what's :550: said:550:",
	"::a::b:", ":a:b:c:", "x:smile:", "日本:smile: <@U1>", "\t550\n\v 5.1.1\f\r '  ", "nghĩa là gì <@U1|x>",
}

// FuzzStripRewrites checks stripAngles and stripEmoji against the forms
// they replaced.
func FuzzStripRewrites(f *testing.F) {
	for _, s := range rewriteSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := stripAngles(s), stripAnglesCopying(s); got != want {
			t.Fatalf("stripAngles(%q) = %q, was %q", s, got, want)
		}
		if got, want := stripEmoji(s), stripEmojiCopying(s); got != want {
			t.Fatalf("stripEmoji(%q) = %q, was %q", s, got, want)
		}
	})
}

// FuzzSpacedRewrite checks spacedFolded against the form it replaced.
func FuzzSpacedRewrite(f *testing.F) {
	for _, s := range rewriteSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := spacedFolded(s), spacedFoldedBytes(s); got != want {
			t.Fatalf("spacedFolded(%q) = %q, was %q", s, got, want)
		}
		if got, want := spacedFolded(fold(s)), spacedFoldedBytes(fold(s)); got != want {
			t.Fatalf("spacedFolded(fold(%q)) = %q, was %q", s, got, want)
		}
	})
}

// FuzzASCII checks ascii, which reads eight bytes at a time, against a
// byte at a time.
func FuzzASCII(f *testing.F) {
	for _, s := range rewriteSeeds {
		f.Add(s)
	}
	f.Add("0123456\x80")
	f.Add("01234567\x80")
	f.Add("\xff0123456789abcdef")
	f.Fuzz(func(t *testing.T, s string) {
		want := true
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				want = false
			}
		}
		if got := ascii(s); got != want {
			t.Fatalf("ascii(%q) = %v, want %v", s, got, want)
		}
	})
}
