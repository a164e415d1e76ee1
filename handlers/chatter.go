package handlers

import (
	"strings"

	"github.com/smtpcodes/smtpbot/catalog/extract"
)

// This file keeps the bot silent on channel chatter that the extractor
// scores as weakly as a lone pasted reply: counts and tool output put a
// reply-shaped number where a reply would stand ("Value: 550", "   550 GET
// /api", "421: 12"). A weak extraction, one bare reply code with no
// enhanced code and no sign of mail software, is answered only when the
// words after the code read like a server's reply and the text is not a
// table of numbers.

// strongConfidence is the confidence from which an extraction carries more
// than a bare reply code: an enhanced code, a multi-line reply, or the
// phrases, fields and logs of mail software.
const strongConfidence = 0.6

// chatter reports whether a channel message that the extractor took for a
// bounce is really chatter with numbers in it.
func chatter(text string, x extract.Extraction) bool {
	if x.Confidence >= strongConfidence {
		return false
	}
	if tabular(text) {
		return true
	}
	for _, f := range x.Findings {
		if f.Role == extract.RoleFailure && replyLike(f.ServerText) {
			return false
		}
	}
	return true
}

// httpMethods start the words after a count in access-log summaries.
var httpMethods = [...]string{"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "CONNECT", "TRACE"}

// replyLike reports whether the words after a reply code read like a
// server's reply ("User unknown", "<j@x>... Recipient address rejected"):
// they start with a letter or an address, hold at least two English words,
// are not an HTTP request, and are not a list of more counts ("550
// signups, 421 churned").
func replyLike(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	if c := s[0] | 0x20; (c < 'a' || c > 'z') && s[0] != '<' && s[0] != '(' && s[0] != '[' {
		return false
	}
	words := 0
	for i, tok := range strings.Fields(s) {
		if i == 0 {
			for _, m := range httpMethods {
				if tok == m {
					return false
				}
			}
		}
		if len(tok) == 3 && isDigits(tok) {
			return false // another reply-shaped number: a list of counts
		}
		if w := strings.Trim(tok, ".,;:!?()[]\"'"); len(w) >= 2 && isLetters(w) {
			words++
		}
	}
	return words >= 2
}

// tabular reports whether text is a table or a tool's output: at least
// three lines that start with a number, some of them right-aligned (as
// `uniq -c` and `wc -l` print them) or not reply codes at all ("45 |
// bounced").
func tabular(text string) bool {
	lines, aligned, other := 0, false, false
	for line := range strings.Lines(text) {
		t := strings.TrimLeft(line, " \t")
		n := 0
		for n < len(t) && '0' <= t[n] && t[n] <= '9' {
			n++
		}
		if n == 0 || n < len(t) && t[n] != ' ' && t[n] != '\t' && t[n] != '\n' && t[n] != '\r' {
			continue
		}
		lines++
		indent := len(line) - len(t)
		aligned = aligned || indent >= 2
		other = other || n != 3 || t[0] < '2' || t[0] > '5'
	}
	return lines >= 3 && (aligned || other)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
