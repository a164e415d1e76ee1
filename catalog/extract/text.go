package extract

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/internal/ascii"
	"github.com/smtpcodes/smtpbot/internal/limit"
)

// maxServerText bounds Finding.ServerText: enough for any real reply, small
// enough for a chat message.
const maxServerText = 500

// serverText returns the server's words on token t in line, joining the
// lines of a multi-line reply ("550-5.1.1 ...", then "550 5.1.1 ...") and
// the wrapped, more indented lines after it. s and pos are the whole text
// and where the next line starts; it returns where scanning resumes.

// Postfix's "status=" before a log line's words, and Zoho's "ERROR_CODE"
// after its words.
var statusField, zohoErrorCode = ascii.NewNeedle("status="), ascii.NewNeedle("error_code")

func (x *extractor) serverText(s string, pos int, line string, content, indent int, t codeToken) (string, int) {
	b := x.buf[:0]
	// Only the start of a long line can end up in the text: looking no
	// further keeps each code's cost bounded, however long the line.
	tail := line[t.end:]
	if len(tail) > 4*maxServerText {
		tail = tail[:4*maxServerText]
	}
	rest, closer, wrap := tail, byte(0), true
	k := t.start
	for k > content && isBlank(line[k-1]) {
		k--
	}
	opener := byte(0)
	if k > content {
		opener = line[k-1]
	}
	switch opener {
	case '"':
		closer = opener
		if jsonKey(line, content, k) != "" {
			rest, closer, wrap = jsonString(rest), 0, false
		}
	case '\'', '`':
		closer = opener
	case '(':
		closer = ')'
	case '[':
		closer = ']'
	case '<':
		closer = '>'
	case '=':
		// Postfix's "dsn=4.4.1, status=deferred (connect to ...)": the
		// words are in the parentheses after status=.
		rest, wrap = "", false
		if i := statusField.In(tail); i >= 0 {
			if j := strings.IndexByte(tail[i:], '('); j >= 0 {
				rest, closer = tail[i+j+1:], ')'
			}
		}
	}
	if _, curly := curlyOpener(line, k); curly != "" && k > content {
		// "“550 5.1.1 User unknown”": the words end at the closing quote.
		if i := strings.LastIndex(rest, curly); i >= 0 {
			rest = rest[:i]
		}
		wrap = false
	} else if closer != 0 {
		rest, wrap = cutAt(rest, closer), false
	} else if before := line[max(content, t.start-maxServerText):t.start]; strings.Contains(before, "\":") {
		// Inside a JSON string: "diagnosticCode":"smtp; 550 5.1.1 ...".
		if strings.Contains(before, `\":`) {
			// JSON inside a JSON string, as an SNS envelope carries an
			// SES notification: the value ends at an escaped quote.
			if i := strings.Index(rest, `\"`); i >= 0 {
				rest = rest[:i]
			}
		} else {
			rest = jsonString(rest)
		}
		rest, wrap = strings.TrimRight(rest, "\\"), false
	}
	// Exchange closes its "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not
	// found ##" with a mark that is not the server's words.
	if r := trimBlanksRight(rest); strings.HasSuffix(r, " ##") {
		rest = r[:len(r)-len(" ##")]
	}
	// A longer rest must not cost a copy per code on the line.
	if len(rest) > 2*maxServerText {
		rest = rest[:2*maxServerText]
	}
	b = append(b, trimUnbalanced(rest)...)
	next := pos
	if t.cont && !t.code.Reply.IsZero() {
		b, next = appendContinuation(b, s, pos, t.code.Reply)
	}
	switch {
	case next != pos:
		// The reply's own continuation lines ("550-5.1.1 ...", then
		// "550 5.1.1 ..."): the reply ends with them.
	case wrap:
		// Also a multi-line reply whose continuations the bounce
		// joined into wrapped lines: Postfix's "said: 550-The mail
		// server" then "    could not deliver ... 550-or domain ...".
		// Exim wraps long lines at the same indentation; a short line is
		// whole, unless it stands in the block under a failed address,
		// where Exim writes each line of a multi-line reply at the same
		// indentation, without its code ("550 5.2.0 <a@example.com>
		// From:", then "Domain is invalid. Please provide a valid From:").
		block := indent > 0 && x.notes.inBlock()
		same := indent > 0 && len(line) >= 60 || block
		before := line[content:t.start]
		if saidBefore(before) && (trimBlanksRight(tail) == "" || indent > 0 && postfixSaid(before)) ||
			indent > 0 && strings.TrimSpace(before) == "" && postfixSaid(x.prev[1]) {
			// Postfix wraps its "host mx.example.com[192.0.2.1] said:
			// 550 5.2.1 ..." at the same indentation, whether the words
			// start on that line or the next, and whether the reply
			// does: every line up to the blank one is the reply's.
			// (qmail's "Remote host said:" is followed by its own
			// words; unindented "said:" lines are a log's, one reply a
			// line.)
			same, block = true, true
		}
		var multi catalog.Reply
		if t.cont {
			multi = t.code.Reply
		}
		b, next = appendWrapped(b, s, pos, indent, same, block, multi)
	}
	x.replyCmd = repliedTo(b)
	empty := emptyAddress(b) // before clean, which reuses b
	out := x.clean(b, t.code)
	if empty && out != "" {
		// "550 : User unknown": the colon after an address the server
		// left out is part of what it said (au's filter answers so).
		out = ": " + limit.Cut(out, maxServerText-int64(len(": ")))
	}
	if opener == ':' {
		// Zoho: "bob@example.com Invalid Address, ERROR_CODE :550,
		// ERROR_CODE :5.2.1": the words come before the first code.
		from := max(content, k-4*maxServerText) // bounded, however long the line
		if i := zohoErrorCode.In(line[from:k]); i > 0 {
			before := strings.TrimRight(line[from:from+i], " \t,;")
			out = x.clean(append(b[:0], before...), catalog.Code{})
		}
	}
	if onlyPunct(out) {
		// qmail: "Sorry, I couldn't find any host named x. (#5.1.2)",
		// and "<a@example.com>: Requested action not taken: mailbox
		// unavailable. [SMTP Error Code 550]": the words come before the
		// code.
		label := labelBracket(line, content, k)
		if t.hash || opener == '(' || opener == '[' || label >= 0 {
			if label >= 0 {
				k = label
			}
			before := skipRecipient(line[content:k])
			for len(before) > 0 && strings.IndexByte(" \t(#[<", before[len(before)-1]) >= 0 {
				before = before[:len(before)-1]
			}
			out = x.clean(append(b[:0], before...), catalog.Code{})
		}
	}
	x.buf = b
	return out, next
}

// postfixSaid reports whether the words before a code end as Postfix's
// "host mx.example.com[192.0.2.1] said:" does, with the address in
// brackets, or as its "refused to talk to me:" for a refused greeting
// (alone on its line where Postfix wrapped "host ... refused to" before
// it).
func postfixSaid(before string) bool {
	b := trimBlanksRight(before)
	return strings.HasSuffix(b, "] said:") || strings.HasSuffix(b, "refused to talk to me:") || b == "talk to me:"
}

// saidBefore reports whether the words before a code end with Postfix's
// "said:", or its "refused to talk to me:" for a refused greeting.
func saidBefore(before string) bool {
	b := trimBlanksRight(before)
	return strings.HasSuffix(b, "said:") || strings.HasSuffix(b, "talk to me:")
}

// emptyAddress reports whether a reply's words open with a colon set apart
// by blanks, " : User unknown", where a server's template had an address
// before it and this one has none.
func emptyAddress(b []byte) bool {
	return len(b) >= 3 && isBlank(b[0]) && b[1] == ':' && isBlank(b[2])
}

// onlyPunct reports whether s holds nothing but closing punctuation.
func onlyPunct(s string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(")]>}.,;'\"", s[i]) < 0 {
			return false
		}
	}
	return true
}

// textAfter is serverText for a single line with nothing after it.
func (x *extractor) textAfter(line string, content int, t codeToken) string {
	out, _ := x.serverText("", 0, line, content, 0, t)
	return out
}

// trimUnbalanced drops closing brackets at the end of s that close what
// was opened before the code: "<mx.example.com #5.1.1 smtp;550 5.1.1 User
// unknown>".
//
// Each kind of bracket is counted once, with strings.Count, when s first
// ends with its closer: a run of closers costs one count, not one per
// closer, and the words of most codes, which do not end with one, cost
// none. Trimming drops only closers of kinds already counted, and quotes,
// so a kind counted later is counted as it is in s.
func trimUnbalanced(s string) string {
	var opens, closes [3]int // <>, (), []
	var counted [3]bool
	for {
		// A closing quote may follow: "[LastError: 451 4.4.1 ...]'".
		t := trimQuotesRight(s)
		if t == "" {
			return t
		}
		k := strings.IndexByte(">)]", t[len(t)-1])
		if k < 0 {
			return s
		}
		if !counted[k] {
			counted[k] = true
			opens[k], closes[k] = strings.Count(s, "<(["[k:k+1]), strings.Count(s, ">)]"[k:k+1])
		}
		if opens[k] >= closes[k] {
			return s
		}
		closes[k]--
		s = t[:len(t)-1]
	}
}

// trimQuotesRight is strings.TrimRight(s, " \t'\"`") without building the
// cutset's table on every call.
func trimQuotesRight(s string) string {
	for len(s) > 0 {
		switch s[len(s)-1] {
		case ' ', '\t', '\'', '"', '`':
			s = s[:len(s)-1]
		default:
			return s
		}
	}
	return s
}

// jsonString returns s up to the first unescaped double quote.
func jsonString(s string) string {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return s[:i]
		}
	}
	return s
}

// cutAt returns s up to the closing quote or parenthesis. A quote closes at
// its last occurrence, since server text is full of apostrophes; a
// parenthesis at its match.
func cutAt(s string, closer byte) string {
	if closer != ')' {
		if i := strings.LastIndexByte(s, closer); i >= 0 {
			return s[:i]
		}
		return s
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return s[:i]
			}
			depth--
		}
	}
	return s
}

// replyAt reports whether s starts with the three digits of r followed by
// '-', a blank or the end, and returns the separator.
func replyAt(s string, r catalog.Reply) (byte, bool) {
	if len(s) < 3 || s[0] != byte('0'+r/100) || s[1] != byte('0'+r/10%10) || s[2] != byte('0'+r%10) {
		return 0, false
	}
	if len(s) == 3 {
		return ' ', true
	}
	if s[3] == '-' || isBlank(s[3]) {
		return s[3], true
	}
	return 0, false
}

// skipRecipient returns s past the failed address that opens it
// ("<a@example.com>: ..."): the recipient, not the server's words.
func skipRecipient(s string) string {
	i := strings.IndexByte(s, ':')
	if i <= 0 || strings.IndexByte(s[:i], '@') < 0 || strings.ContainsAny(s[:i], " \t") {
		return s
	}
	return s[i+1:]
}

// labelBracket returns where the bracket opens when the code at k closes
// a short label in brackets ("[SMTP Error Code 550]", "(error 550)"): only
// letters and blanks between them. It returns -1 otherwise.
func labelBracket(line string, content, k int) int {
	for i := k - 1; i >= content && i >= k-24; i-- {
		switch c := line[i]; {
		case c == '[' || c == '(':
			if i < k-1 {
				return i
			}
			return -1
		case !ascii.IsAlpha(c) && !isBlank(c):
			return -1
		}
	}
	return -1
}

// appendContinuation appends the following lines of a multi-line reply
// (RFC 5321 section 4.2.1: "550-" on all lines but the last, "550 ").
func appendContinuation(b []byte, s string, pos int, r catalog.Reply) ([]byte, int) {
	for n := 0; pos < len(s) && n < 64; n++ {
		line, next := lineAt(s, pos)
		_, c, _, _ := contentStart(line)
		sep, ok := replyAt(line[c:], r)
		if !ok {
			break
		}
		rest := line[c+3:]
		if len(rest) > 0 {
			rest = rest[1:]
		}
		if e, end, ok := enhancedAt(rest, 0); ok && catalog.Class(e.Class) == r.Class() {
			rest = rest[end:]
		}
		if len(b) < 2*maxServerText {
			b = append(b, ' ')
			b = append(b, rest[:min(len(rest), 2*maxServerText)]...)
		}
		pos = next
		if sep != '-' {
			break
		}
	}
	return b, pos
}

// maxWrapped bounds the lines appendWrapped reads: Postfix wraps a long
// reply at about 75 columns, and Gmail's longest (a multi-line reply of
// four lines, with its URL and "(in reply to RCPT TO command)") takes six.
const maxWrapped = 8

// appendWrapped appends the lines after a reply that are indented deeper
// than it, as Postfix wraps "said: 550 ... (in reply to RCPT TO command)",
// and with same, one line at the same indentation; with block too (the
// block under an Exim failed address), up to maxWrapped. A line that opens with
// a code ends the reply, unless it is multi's, the code of a multi-line
// reply whose lines Postfix wrapped ("    550-5.7.1 has been blocked.").
func appendWrapped(b []byte, s string, pos, indent int, same, block bool, multi catalog.Reply) ([]byte, int) {
	for n := 0; pos < len(s) && n < maxWrapped && len(b) < maxServerText; n++ {
		if s[pos] == '\n' || s[pos] == '\r' {
			break // an empty line ends the reply, as the blank one below does
		}
		line, next := lineAt(s, pos)
		ind, c, command, server := contentStart(line)
		if ind < indent || (ind == indent && !same) || c >= len(line) || command || server {
			break
		}
		if ind == indent && !block {
			n = maxWrapped - 1 // one wrapped line at the same indentation, no more
		}
		if name, _, ok := fieldName(line[c:]); ok && !strings.HasPrefix(line[c+len(name)+1:], "//") {
			break // a header field; a URL wrapped to the line's start is not one
		}
		if block && strings.Contains(line[c:], " said: ") {
			break // the next host's reply, in a paste without blank lines
		}
		if t, ok := nextToken(line, c); ok && t.start == c && (multi.IsZero() || t.code.Reply != multi) {
			break // the next reply; a multi-line reply's own lines go on
		}
		b = append(b, ' ')
		b = append(b, line[c:min(len(line), c+2*maxServerText)]...)
		pos = next
	}
	return b, pos
}

// clean makes raw into one line: blanks and line breaks collapse into one
// space, the "550-5.1.1" prefixes of folded continuation lines go, as does
// Postfix's "(in reply to RCPT TO command)", and the result is cut to
// maxServerText bytes of valid UTF-8. It works in raw's storage, which
// holds no longer what it held: the words only ever move towards the
// start, so each call costs one allocation, the string it returns.
func (x *extractor) clean(raw []byte, c catalog.Code) string {
	i := 0
	for i < len(raw) && (raw[i] <= ' ' || raw[i] == '-' || raw[i] == ':' || raw[i] == ',' || raw[i] == ';') {
		i++
	}
	// The bytes written never pass the byte read: a run of blanks gives
	// at most one space, and the other steps drop bytes.
	out := raw[:0]
	// multi is set once a continuation's "550-" went: the last line's
	// "550 " then goes too ("dns 550 entries", as Postfix joins a
	// multi-line reply into its wrapped lines).
	space, multi := false, false
	for i < len(raw) && len(out) < maxServerText {
		if raw[i] <= ' ' || raw[i] == 0x7f {
			space = true
			i++
			continue
		}
		if space && !c.Reply.IsZero() && i+3 <= len(raw) && raw[i] == byte('0'+c.Reply/100) && raw[i+1] == byte('0'+c.Reply/10%10) {
			// Rare enough to afford a small string.
			w := string(raw[i:min(i+16, len(raw))])
			if sep, ok := replyAt(w, c.Reply); ok && (sep == '-' || multi || hasEnhanced(w[min(4, len(w)):], c.Enhanced)) {
				multi = multi || sep == '-'
				n := min(4, len(w))
				if e, end, ok := enhancedAt(w, n); ok && e == c.Enhanced {
					n = end
				}
				i += n
				continue
			}
		}
		j := i + 1
		for j < len(raw) && raw[j] > ' ' && raw[j] != 0x7f {
			j++
		}
		if space && len(out) > 0 {
			out = append(out, ' ')
		}
		space = false
		out = append(out, raw[i:j]...)
		i = j
	}
	if len(out) >= maxServerText {
		out = out[:maxServerText]
		// Do not leave half a character at the cut.
		j := len(out) - 1
		for j > 0 && !utf8.RuneStart(out[j]) {
			j--
		}
		if !utf8.FullRune(out[j:]) {
			out = out[:j]
		}
	}
	if len(out) > 0 && out[len(out)-1] == ')' {
		if j := bytes.LastIndex(out, []byte("(in reply to ")); j >= 0 {
			out = out[:j]
		}
	}
	for len(out) > 0 && (out[len(out)-1] == ' ' || out[len(out)-1] == '\'') {
		out = out[:len(out)-1]
	}
	if !utf8.Valid(out) {
		// Text from a base64 part in a legacy charset: replace what is
		// not UTF-8, and keep within bounds.
		v := strings.ToValidUTF8(string(out), "\uFFFD")
		for len(v) > maxServerText {
			_, n := utf8.DecodeLastRuneInString(v)
			v = v[:len(v)-n]
		}
		return v
	}
	return string(out)
}

// hasEnhanced reports whether s starts with enhanced code e (and e is set).
func hasEnhanced(s string, e catalog.Enhanced) bool {
	if e.IsZero() {
		return false
	}
	got, _, ok := enhancedAt(s, 0)
	return ok && got == e
}
