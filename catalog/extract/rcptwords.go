package extract

import (
	"strings"

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
		if j < len(text) && (text[j] == '\n' || text[j] == '\r') {
			// Exim: the address alone on its line, its words on the
			// more indented line under it ("  carol@example.com", then
			// "    retry timeout exceeded").
			if words := wordsUnder(text, i, j); words != "" {
				return words
			}
			continue
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

// wordsUnder returns the line under an address that stands alone on its
// line (the address ends at end), when it is indented deeper than the
// address and is words, not a code's line or a host's: Exim's "retry
// timeout exceeded" under a failed address.
func wordsUnder(text string, at, end int) string {
	start := at
	for start > 0 && text[start-1] != '\n' {
		start--
	}
	indent := 0
	for start+indent < at && isBlank(text[start+indent]) {
		indent++
	}
	if strings.TrimSpace(text[start+indent:end]) != text[at:end] && strings.Trim(text[start+indent:end], "<>") != text[at:end] {
		return "" // more than the address on its line
	}
	next := end
	if next < len(text) && text[next] == '\r' {
		next++
	}
	if next >= len(text) || text[next] != '\n' {
		return ""
	}
	line, _ := lineAt(text, next+1)
	k := 0
	for k < len(line) && isBlank(line[k]) {
		k++
	}
	words := trimBlanksRight(line[k:])
	if k <= indent || !hasLetter(words) || hasDigit(words) || hasPrefixFold(words, "host ") {
		return ""
	}
	return words
}
