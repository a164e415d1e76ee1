package extract

import (
	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// Some mailers write a recipient's failure only in the report's text, as
// "email@example.net: Domain does not exist" (OpenSMTPD), and give the
// delivery report a Status with no Diagnostic-Code. Those words are then
// the only ones on the failure.

// Bounds on the search for a recipient's line: a report names its
// recipients near the top.
const (
	maxRcptWordsText = 64 << 10 // bytes searched
	maxRcptMentions  = 8        // mentions of the address looked at
)

// recipientWords returns the words of the line in text that opens with
// rcpt (bare or in angle brackets) and a colon, or "". rcpt is lower case.
func recipientWords(text, rcpt string) string {
	text = text[:min(len(text), maxRcptWordsText)]
	for from, n := 0, 0; n < maxRcptMentions; n++ {
		i := ascii.IndexFold(text[from:], rcpt)
		if i < 0 {
			return ""
		}
		i += from
		from = i + len(rcpt)
		if !opensLine(text, i) {
			continue
		}
		j := from
		if j < len(text) && text[j] == '>' {
			j++
		}
		if j >= len(text) || text[j] != ':' {
			continue
		}
		line, _ := lineAt(text, j+1)
		k := 0
		for k < len(line) && isBlank(line[k]) {
			k++
		}
		if words := trimBlanksRight(line[k:]); hasLetter(words) {
			return words
		}
	}
	return ""
}

// opensLine reports whether the address at i opens its line, past blanks
// and an angle bracket.
func opensLine(text string, i int) bool {
	if i > 0 && text[i-1] == '<' {
		i--
	}
	for i > 0 && isBlank(text[i-1]) {
		i--
	}
	return i == 0 || text[i-1] == '\n'
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if ascii.IsAlpha(s[i]) {
			return true
		}
	}
	return false
}
