package extract

import (
	"testing"

	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// phraseInByByte is phraseTable.in as it was, testing every byte for the
// start of a word.
func phraseInByByte(t *phraseTable, s string) bool {
	for i := 0; i < len(s); i++ {
		c := ascii.Lower(s[i])
		if c < 'a' || c > 'z' || (i > 0 && ascii.IsAlpha(s[i-1])) {
			continue
		}
		for _, p := range t[c-'a'] {
			if hasPrefixFold(s[i:], p) {
				return true
			}
		}
	}
	return false
}

// FuzzPhraseTableIn checks phraseTable.in, which goes from word to word,
// against testing every byte, for each table the extractor uses.
func FuzzPhraseTableIn(f *testing.F) {
	for _, s := range []string{"", "a", "------ This is a copy of the message, including all the headers. ------",
		"3copy of the message", "xcopy of the message", "Undelivered Message", "dsn=5.1.1, status=bounced", "é original message"} {
		f.Add(s)
	}
	tables := map[string]*phraseTable{"original": originalTable, "marker": markerTable, "bounce": bounceTable, "log": logTable}
	f.Fuzz(func(t *testing.T, s string) {
		for name, tab := range tables {
			if got, want := tab.in(s), phraseInByByte(tab, s); got != want {
				t.Fatalf("%s table in %q: %v, testing every byte %v", name, s, got, want)
			}
		}
	})
}
