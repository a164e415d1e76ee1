package extract

import (
	"strings"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// This file recognises the shape of a code inside one line: three digits for
// a reply, d.ddd.ddd for an enhanced code, or both side by side. It looks at
// bytes only; whether the surroundings make the shape a code is decided in
// cue.go.

// codeToken is one code-shaped run in a line.
type codeToken struct {
	start, end int          // the whole run, reply and enhanced code together
	code       catalog.Code // at least one part set
	// cont is true for "550-5.1.1" and "550-Text": a line of a multi-line
	// reply that more lines follow (RFC 5321 section 4.2.1).
	cont bool
	// plural is true for "550s", which only prose writes.
	plural bool
	// hash is true when '#' stood before the code, as qmail's "(#5.1.1)"
	// and Exchange's "#550 5.1.1" write it.
	hash bool
	// enhStart is where the enhanced part starts, when there is one.
	enhStart int
	// unpaired is the enhanced code written right after the reply code
	// when its class differs (Exchange's "550 4.4.7 QUEUE.Expired"): the
	// two do not pair, and the enhanced code is a token of its own.
	unpaired catalog.Enhanced
}

func isBlank(b byte) bool { return b == ' ' || b == '\t' }

// trimBlanksRight is s without the blanks it ends with.
func trimBlanksRight(s string) string {
	for len(s) > 0 && isBlank(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// digitRun returns the end of the run of digits starting at i.
func digitRun(s string, i int) int {
	for i < len(s) && ascii.IsDigit(s[i]) {
		i++
	}
	return i
}

// leftOK reports whether the byte before a code at i lets it stand there.
// Letters, digits, dots, dashes, slashes and the like mean the digits are
// part of a bigger thing: a version (v2.1.0), an address (10.4.5.1), a date
// (2024-05-01), a price ($550), a phone number (+1), a path or an id.
func leftOK(s string, i int) bool {
	if i == 0 {
		return true
	}
	if o, _ := curlyOpener(s, i); o >= 0 {
		return true
	}
	switch s[i-1] {
	case ' ', '\t', '(', '[', '<', '\'', '"', ';', '=', '#', '>', '*', '`', '{', '|':
		return true
	case ':':
		// "said:550" is a code; "12:550", "[192.0.2.1]:550" and
		// "2001:db8::250" are not: the word before the colon must have a
		// letter that is not a hex digit. Zoho writes a blank before the
		// colon: "ERROR_CODE :550, ERROR_CODE :5.2.1".
		k := i - 2
		for k >= 0 && isBlank(s[k]) {
			k--
		}
		for ; k >= 0 && ascii.IsAlnum(s[k]); k-- {
			if l := ascii.Lower(s[k]); l > 'f' && l <= 'z' {
				return true
			}
		}
		return false
	}
	return false
}

// curlyQuotes are the opening quotes and brackets, outside ASCII, that
// text copied from a mail client, a document or a phone writes around a
// reply ("“550 5.1.1 User unknown”"), each with its closer.
var curlyQuotes = [...]struct{ open, close string }{
	{"“", "”"}, {"‘", "’"}, {"«", "»"}, {"「", "」"}, {"（", "）"},
}

// curlyOpener returns where the opening quote that ends s[:i] starts, and
// its closer; -1 when none does.
func curlyOpener(s string, i int) (int, string) {
	if i < 2 || s[i-1] < 0x80 {
		return -1, ""
	}
	for _, q := range curlyQuotes {
		if strings.HasSuffix(s[:i], q.open) {
			return i - len(q.open), q.close
		}
	}
	return -1, ""
}

// enhancedAt reads an enhanced code starting at i, returning it and its end.
// It accepts only class 2, 4 or 5 and one to three digits for subject and
// detail, and refuses a longer dotted run (10.4.5.1, 4.5.1.2).
func enhancedAt(s string, i int) (catalog.Enhanced, int, bool) {
	if i+5 > len(s) || (s[i] != '2' && s[i] != '4' && s[i] != '5') || s[i+1] != '.' {
		return catalog.Enhanced{}, 0, false
	}
	j := digitRun(s, i+2)
	if j == i+2 || j-(i+2) > 3 || j >= len(s) || s[j] != '.' {
		return catalog.Enhanced{}, 0, false
	}
	sub, _ := parseNumber(s[i+2 : j])
	k := digitRun(s, j+1)
	if k == j+1 || k-(j+1) > 3 {
		return catalog.Enhanced{}, 0, false
	}
	det, _ := parseNumber(s[j+1 : k])
	if !rightOK(s, k) {
		return catalog.Enhanced{}, 0, false
	}
	return catalog.Enhanced{Class: s[i] - '0', Subject: sub, Detail: det}, k, true
}

// rightOK reports whether the byte after a code at i ends it cleanly: not a
// letter (550MB, 4.5.1beta), not another digit group (550.5, 4.5.1.2,
// 4.5.1-rc1, 550/tcp, 550:12).
func rightOK(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	c := s[i]
	switch {
	case ascii.IsAlnum(c), c == '_', c == '/', c == '\\', c == '@', c == '%', c == '+', c == '$':
		return false
	case c == '.' || c == ':' || c == ',' || c == '-':
		return i+1 >= len(s) || !ascii.IsAlnum(s[i+1])
	}
	return true
}

// replyDigits reports whether the three digits at i form a reply code as
// ParseReply would take it.
func replyDigits(s string, i int) (catalog.Reply, bool) {
	a, b, c := s[i], s[i+1], s[i+2]
	if a < '2' || a > '5' || b > '5' {
		return 0, false
	}
	return catalog.Reply(int(a-'0')*100 + int(b-'0')*10 + int(c-'0')), true
}

// nextToken finds the next code-shaped run in line at or after i. It returns
// ok false when there is none. It checks shape and the bytes right next to
// it only.
func nextToken(line string, i int) (codeToken, bool) {
	for i < len(line) {
		c := line[i]
		if !ascii.IsDigit(c) {
			i++
			continue
		}
		j := digitRun(line, i)
		if t, ok := tokenAt(line, i, j); ok {
			return t, true
		}
		// Skip the rest of a dotted or dashed number so that its inner
		// groups (the 4.5.1 in 10.4.5.1) are not tried on their own.
		for j < len(line) && (ascii.IsDigit(line[j]) || ((line[j] == '.' || line[j] == '-' || line[j] == ':') && j+1 < len(line) && ascii.IsDigit(line[j+1]))) {
			j++
		}
		i = j
	}
	return codeToken{}, false
}

// tokenAt tries the digit run line[i:j] as the start of a code.
func tokenAt(line string, i, j int) (codeToken, bool) {
	t, ok := shapeAt(line, i, j)
	if ok && t.code.Enhanced.IsZero() && numberBefore(line, i) {
		// "+1 555 550", "2 550": one number of a list, not a reply.
		return codeToken{}, false
	}
	if ok && t.hash && !t.code.Reply.IsZero() && t.code.Enhanced.IsZero() && t.unpaired.IsZero() {
		// "PR #550", "issue #421": a number, not a reply. Exchange's
		// "#550 5.1.1 RESOLVER..." (and "#550 4.4.7 QUEUE.Expired", whose
		// codes do not pair) and qmail's "(#5.1.1)" carry an enhanced
		// code and stay codes.
		return codeToken{}, false
	}
	return t, ok
}

// numberBefore reports whether a number ends just before i, past blanks.
// The digits that end an id are no number: "INC0012345 421", "JIRA-123
// 550" name a ticket, then the code.
func numberBefore(s string, i int) bool {
	k := i
	for k > 0 && isBlank(s[k-1]) {
		k--
	}
	if k == i || k == 0 || !ascii.IsDigit(s[k-1]) {
		return false
	}
	for k > 0 && ascii.IsDigit(s[k-1]) {
		k--
	}
	if k > 1 && s[k-1] == '-' {
		k--
	}
	return k == 0 || !ascii.IsAlpha(s[k-1])
}

// shapeAt checks the shape of a code starting with the digit run line[i:j].
func shapeAt(line string, i, j int) (codeToken, bool) {
	hash := i > 0 && line[i-1] == '#'
	if !leftOK(line, i) {
		return codeToken{}, false
	}
	switch j - i {
	case 1:
		e, end, ok := enhancedAt(line, i)
		if !ok {
			return codeToken{}, false
		}
		return codeToken{start: i, end: end, code: catalog.Code{Enhanced: e}, hash: hash, enhStart: i}, true
	case 3:
	default:
		return codeToken{}, false
	}
	r, ok := replyDigits(line, i)
	if !ok {
		return codeToken{}, false
	}
	t := codeToken{start: i, end: j, code: catalog.Code{Reply: r}, hash: hash}
	if j == len(line) {
		return t, true
	}
	switch c := line[j]; {
	case c == '-':
		// "550-5.1.1 ..." or "550-Text": a continued reply. "550-1234"
		// (a phone number) is not.
		if e, end, ok := enhancedAt(line, j+1); ok {
			if catalog.Class(e.Class) != r.Class() {
				return codeToken{}, false
			}
			t.code.Enhanced, t.end, t.cont, t.enhStart = e, end, true, j+1
			return t, true
		}
		if j+1 < len(line) && ascii.IsDigit(line[j+1]) {
			return codeToken{}, false
		}
		t.cont = true
		return t, true
	case c == ' ' || c == '\t':
		k := j
		for k < len(line) && isBlank(line[k]) {
			k++
		}
		if k+3 <= len(line) && line[k:k+3] == line[i:j] && (k+3 == len(line) || isBlank(line[k+3])) {
			// Gmail: "The error that the other server returned was: 554
			// 554 5.7.1 ...", the reply code written twice.
			k += 3
			for k < len(line) && isBlank(line[k]) {
				k++
			}
		}
		if k < len(line) && line[k] == '#' {
			k++
		}
		k = skipVendorTag(line, k)
		if k < len(line) && ascii.IsDigit(line[k]) {
			e, end, ok := enhancedAt(line, k)
			switch {
			case ok && catalog.Class(e.Class) == r.Class():
				t.code.Enhanced, t.end, t.enhStart = e, end, k
				return t, true
			case ok:
				// "550 4.4.7": two codes that do not pair.
				t.unpaired = e
				return t, true
			}
			if detailNumberAt(line, i, k) {
				return t, true
			}
			// "555 550 1234", "550 1234": one number of many.
			return codeToken{}, false
		}
		if unitAfter(line, k) || countNounAfter(line, k) || sentItemAfter(line, i, k) {
			return codeToken{}, false
		}
		return t, true
	case c == ':' && j+2 < len(line) && isBlank(line[j+1]):
		// "550: 5.1.1 <a@b>... User Unknown"
		k := j + 1
		for k < len(line) && isBlank(line[k]) {
			k++
		}
		if e, end, ok := enhancedAt(line, k); ok && catalog.Class(e.Class) == r.Class() {
			t.code.Enhanced, t.end, t.enhStart = e, end, k
			return t, true
		}
		return t, true
	case c == ')':
		// "(reason: 255)": an exit status or a count closing a remark.
		return codeToken{}, false
	case c == 's' && (j+1 == len(line) || !ascii.IsAlnum(line[j+1])):
		t.plural = true
		t.end = j + 1
		return t, true
	}
	if !rightOK(line, j) {
		return codeToken{}, false
	}
	return t, true
}

// detailNumberAt reports whether the digits at k are a number a server
// writes between its reply code, at i, and its words: Yahoo's older MTAs
// answer "554 30 Sorry, your message to ... cannot be delivered" and "552 1
// Requested mail action aborted, mailbox not found". One or two digits and
// a word that is no unit ("550 30 days"), after a reply that opens its line
// or follows a colon or semicolon ("said: 554 30 ..."), where prose ("we
// saw 550 30 times") does not put a code.
func detailNumberAt(line string, i, k int) bool {
	e := digitRun(line, k)
	if e-k > 2 || e+1 >= len(line) || !isBlank(line[e]) || !ascii.IsAlpha(line[e+1]) {
		return false
	}
	if unitAfter(line, e+1) || countNounAfter(line, e+1) {
		return false
	}
	b := i
	for b > 0 && isBlank(line[b-1]) {
		b--
	}
	return b == 0 || line[b-1] == ':' || line[b-1] == ';'
}

// skipVendorTag skips a tag that a filter writes between the reply code and
// the enhanced code, with the blanks after it: Barracuda's "550 cuda_nsu
// 5.1.1 <a@b> Recipient address rejected", where the tag is no code and the
// two codes still pair. It returns k when no tag starts there.
func skipVendorTag(line string, k int) int {
	if !hasPrefixFold(line[k:], "cuda_") {
		return k
	}
	e := k + len("cuda_")
	for e < len(line) && ascii.IsAlpha(line[e]) {
		e++
	}
	if e == k+len("cuda_") || e == len(line) || !isBlank(line[e]) {
		return k
	}
	for e < len(line) && isBlank(line[e]) {
		e++
	}
	return e
}

// unitWords follow a number that is a quantity, never a reply code.
var unitWords = [...]string{
	"b", "k", "kb", "kib", "m", "mb", "mib", "g", "gb", "gib", "tb", "bytes", "byte", "octets",
	"ms", "sec", "secs", "seconds", "second", "s", "min", "mins", "minutes", "h", "hours", "days", "weeks",
	"people", "persons", "guests", "attendees", "employees", "times", "rows", "records", "items",
	"usd", "eur", "gbp", "dollars", "euros", "pounds", "km", "mi", "miles", "px", "percent", "pages",
}

// unitAfter reports whether the word at k is a unit of measure or a count
// noun: "550 KB", "550 ms", "550 people".
func unitAfter(line string, k int) bool {
	w := wordAt(line, k)
	if len(w) == 0 || len(w) > 9 {
		return false
	}
	for _, u := range unitWords {
		if equalFold(w, u) {
			return true
		}
	}
	return false
}

// wordAt returns the run of letters starting at k.
func wordAt(s string, k int) string {
	e := k
	for e < len(s) && ascii.IsAlpha(s[e]) {
		e++
	}
	return s[k:e]
}

// wordBefore returns the run of letters that ends at or before k, skipping
// blanks, and where it starts.
func wordBefore(s string, k int) (string, int) {
	for k > 0 && isBlank(s[k-1]) {
		k--
	}
	e := k
	for k > 0 && ascii.IsAlpha(s[k-1]) {
		k--
	}
	return s[k:e], k
}

// equalFold compares ASCII s with lower-case t, ignoring case, without
// allocating.
func equalFold(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if ascii.Lower(s[i]) != t[i] {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether s starts with lower-case prefix p, ignoring
// ASCII case.
func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && equalFold(s[:len(p)], p)
}
