package extract

import (
	"strings"
	"testing"
)

// trimUnbalancedAtOnce is trimUnbalanced as it was, counting every kind
// of bracket in one pass over s.
func trimUnbalancedAtOnce(s string) string {
	var opens, closes [3]int // <>, (), []
	counted := false
	for {
		t := trimQuotesRight(s)
		if t == "" {
			return t
		}
		k := strings.IndexByte(">)]", t[len(t)-1])
		if k < 0 {
			return s
		}
		if !counted {
			counted = true
			for i := 0; i < len(s); i++ {
				switch s[i] {
				case '<':
					opens[0]++
				case '(':
					opens[1]++
				case '[':
					opens[2]++
				case '>':
					closes[0]++
				case ')':
					closes[1]++
				case ']':
					closes[2]++
				}
			}
		}
		if opens[k] >= closes[k] {
			return s
		}
		closes[k]--
		s = t[:len(t)-1]
	}
}

// FuzzTrimUnbalanced checks trimUnbalanced, which counts each kind of
// bracket when it first needs it, against counting them all at once.
func FuzzTrimUnbalanced(f *testing.F) {
	for _, s := range []string{"", ")", "a)]>", "<mx #5.1.1 smtp;550 User unknown>", "(x [y] <z>)]'\" ", "[LastError: 451 4.4.1 ...]'", "a(b)c)", "<<a>>>)]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := trimUnbalanced(s), trimUnbalancedAtOnce(s); got != want {
			t.Fatalf("trimUnbalanced(%q) = %q, counting at once %q", s, got, want)
		}
	})
}
