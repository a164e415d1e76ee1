package extract

import (
	"slices"
	"strings"

	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// Bounds on what Worded reads and returns: a bounce's report is a few
// dozen lines, and a paste with no code must stay as cheap to refuse as
// one with codes.
const (
	maxWordedText   = 64 << 10 // bytes of the text read
	maxWordedChunks = 16       // pieces of the report returned
	maxWordedChunk  = 500      // bytes of one piece
)

// Worded is what a bounce that carries no code says, for a reason to be
// read from its words alone: "<a@example.com>: connect to
// mx.example.com[192.0.2.1]:25: Connection timed out" in Postfix's report,
// "retry timeout exceeded" under Exim's failed address, Yahoo's "This
// account has been disabled or discontinued".
type Worded struct {
	// Pieces are the report's lines outside the returned message, each
	// with the more indented lines that continue it, on one line: not
	// header fields, not the bounce's boilerplate ("This is the mail
	// system at host ..."). Which of them gives a reason is the
	// catalog's to say.
	Pieces []string
	// Delayed says the text is a delay warning: the sending server still
	// retries, so nothing has bounced yet.
	Delayed bool
	// Bounce says the text shows it is a bounce: a line only bounces
	// write, a bounce's header, a delivery report's field, words bounces
	// write around a failure ("could not be delivered"), or a failed
	// recipient named as reports do ("<a@example.com>: ...").
	Bounce bool
}

// ReadWorded reads a text that Extract found no failure in. A raw
// message's own header block is passed over, and so is each header
// field's folded continuation.
func ReadWorded(text string) Worded {
	text = text[:min(len(text), maxWordedText)]
	var x extractor // for markerLine: its features say a delay warning
	var w Worded
	bounce := false
	var piece strings.Builder
	pieceIndent, fieldIndent := -1, -1
	start := 0
	if h, ok := readHead(text); ok {
		for pos := 0; pos < h.end; {
			line, next := lineAt(text, pos)
			pos = next
			if name, v, ok := fieldName(line); ok && wordedField(name, line[v:]) {
				bounce = true
			}
		}
		start = h.body
	}
	// said marks the piece that follows a line introducing the server's
	// own words ("The response from the remote server was:"): it goes
	// first, before the bounce's own summary of it ("because the remote
	// server is misconfigured").
	said, lead := false, 0
	flush := func() {
		s := strings.Join(strings.Fields(piece.String()), " ")
		if s = strings.TrimRight(truncateText(s, maxWordedChunk), " "); s != "" && len(w.Pieces) < maxWordedChunks {
			if said {
				w.Pieces = slices.Insert(w.Pieces, lead, s)
				lead++
				said = false
			} else {
				w.Pieces = append(w.Pieces, s)
			}
		}
		piece.Reset()
		pieceIndent = -1
	}
	for pos := start; pos < len(text); {
		line, next := lineAt(text, pos)
		pos = next
		indent, c, _, _ := contentStart(line)
		content := strings.TrimRight(line[c:], " \t")
		if content == "" {
			flush()
			fieldIndent = -1
			continue
		}
		if fieldIndent >= 0 && indent > fieldIndent {
			continue // a header field's folded continuation
		}
		fieldIndent = -1
		if pieceIndent >= 0 && indent > pieceIndent {
			// Continues the piece: Postfix and Exim indent what wraps.
			piece.WriteByte(' ')
			piece.WriteString(content)
			continue
		}
		flush()
		marker, original := x.markerLine(content)
		if original || returnedPart(content) {
			break // the returned message: its words are not the bounce's
		}
		if marker || delayTable.at(strings.TrimLeft(content, "# ")) {
			// The bounce's own boilerplate, digits or not ("Your message
			// could not be delivered for more than 4 hour(s)").
			bounce = true
			continue
		}
		if name, v, ok := fieldName(content); ok && !strings.HasPrefix(content[v:], "//") {
			if wordedField(name, content[v:]) {
				bounce = true
			}
			if equalFold(name, "diagnostic-code") {
				piece.WriteString(content[v:])
				pieceIndent = indent
			} else {
				fieldIndent = indent
			}
			continue
		}
		if strings.HasPrefix(content, "--") {
			continue // a MIME boundary
		}
		if introducesWords(content) {
			bounce, said = true, true
			continue
		}
		if echoesOriginal(content) {
			continue // the returned message's own subject, not why it failed
		}
		if bounceTable.in(cap1K(content)) || recipientLine(content) {
			bounce = true
		}
		piece.WriteString(content)
		pieceIndent = indent
	}
	flush()
	w.Delayed, w.Bounce = x.feat.delayWarning, bounce
	return w
}

// WordedBeside is ReadWorded(text) with only the pieces Beside(fs) keeps,
// for a text whose findings report failures. It reads the text's words
// only when more lines open with an address none of fs names (Exim's
// address line, Postfix's "<a@example.com>: ...") than there are failures
// with no recipient named, which Beside needs to keep a piece: a paste
// whose recipients all have a code pays one pass over its lines.
func WordedBeside(text string, fs []Finding) Worded {
	text = text[:min(len(text), maxWordedText)]
	unnamed := unnamedFailures(fs)
	var seen []string
	for pos := 0; pos < len(text) && len(seen) <= unnamed; {
		line, next := lineAt(text, pos)
		pos = next
		_, c, _, _ := contentStart(line)
		content := line[c:]
		if content == "" || content[0] != '<' && !ascii.IsAlnum(content[0]) || strings.IndexByte(content, '@') < 0 {
			continue
		}
		if a := openingAddress(content); a != "" && !named(fs, a) && !slices.Contains(seen, a) {
			seen = append(seen, a)
		}
	}
	if len(seen) <= unnamed {
		return Worded{}
	}
	w := ReadWorded(text)
	w.Pieces = w.Beside(fs)
	return w
}

// Beside returns the pieces that report, in words alone, a recipient none
// of fs is about, for a bounce whose other recipients failed with a code:
// Exim's "carol@example.net" with "retry timeout exceeded" under it, beside
// Bob's 550. A piece counts when it opens with an address (Exim's line of
// its own, Postfix's "<carol@example.net>: ...") that no finding names,
// and holds no failing code: a piece with one is a finding's. A failure
// whose recipient the text does not tie to it (Exim's "after end of
// data:" reply, three lines under the address) must be in such a piece
// with a code; where more failures are unnamed than those pieces, a piece
// without a code may be one of theirs, and none is kept. Which of them
// gives a reason is the catalog's to say, as for Pieces.
func (w Worded) Beside(fs []Finding) []string {
	var out []string
	coded := 0
	for _, p := range w.Pieces {
		a := openingAddress(p)
		switch {
		case a == "" || named(fs, a):
		case holdsFailingCode(p):
			coded++
		default:
			out = append(out, p)
		}
	}
	if coded < unnamedFailures(fs) {
		return nil
	}
	return out
}

// unnamedFailures counts the failures of fs with no recipient named.
func unnamedFailures(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if f.Role == RoleFailure && len(f.Recipients) == 0 {
			n++
		}
	}
	return n
}

// named reports whether a finding of fs is about address a.
func named(fs []Finding, a string) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return slices.Contains(f.Recipients, a) })
}

// openingAddress returns, lower-cased, the address a piece opens with,
// bare or in angle brackets and followed by a colon, or "".
func openingAddress(piece string) string {
	first := piece
	if i := strings.IndexAny(piece, " \t"); i >= 0 {
		first = piece[:i]
	}
	first = strings.TrimRight(first, ":,")
	if strings.HasPrefix(first, "<") != strings.HasSuffix(first, ">") {
		return ""
	}
	return address(first)
}

// holdsFailingCode reports whether s holds a 4xx or 5xx code.
func holdsFailingCode(s string) bool {
	for t, ok := nextToken(s, 0); ok; t, ok = nextToken(s, t.end) {
		if failing(t.code) {
			return true
		}
	}
	return false
}

// saidLines end the line that introduces a server's words in a bounce:
// Gmail's "The response from the remote server was:", "The response was:",
// "The error that the other server returned was:".
var saidLines = [...]string{"response from the remote server was:", "the response was:", "server returned was:"}

// introducesWords reports whether content is such a line.
func introducesWords(content string) bool {
	if content[len(content)-1] != ':' {
		return false
	}
	for _, s := range saidLines {
		if len(content) >= len(s) && equalFold(content[len(content)-len(s):], s) {
			return true
		}
	}
	return false
}

// echoLines open the lines where Exim's reports repeat the returned
// message's own headers ("The subject of the message is: Automatic reply:
// ..."): their words are the sender's, and say nothing of the failure.
var echoLines = [...]string{"the message identifier is:", "the subject of the message is:", "the date of the message is:"}

// echoesOriginal reports whether content is such a line.
func echoesOriginal(content string) bool {
	for _, s := range echoLines {
		if len(content) >= len(s) && equalFold(content[:len(s)], s) {
			return true
		}
	}
	return false
}

// recipientLine reports a line that opens with a recipient in angle
// brackets and a colon, as Postfix's and qmail's reports name each failed
// address: "<a@example.com>: connect to ...".
func recipientLine(content string) bool {
	if !strings.HasPrefix(content, "<") {
		return false
	}
	i := strings.Index(content, ">:")
	return i > 0 && strings.IndexByte(content[:i], '@') > 0 && strings.IndexByte(content[:i], ' ') < 0
}

// wordedField reports whether a header or report field shows a bounce: a
// delivery report's fields, a bounce's sender or subject.
func wordedField(name, value string) bool {
	switch {
	case equalFold(name, "final-recipient"), equalFold(name, "diagnostic-code"),
		equalFold(name, "x-failed-recipients"):
		return true
	case equalFold(name, "from"):
		return anyIn(value, bounceSenders)
	case equalFold(name, "subject"):
		return bounceSubject(value)
	}
	return false
}

// returnedPart reports a MIME part header that starts the returned
// message, where no marker line says so.
func returnedPart(content string) bool {
	if len(content) < 13 || !equalFold(content[:13], "content-type:") {
		return false
	}
	v := strings.ToLower(content[13:])
	return strings.Contains(v, "message/rfc822") || strings.Contains(v, "text/rfc822-headers")
}

// truncateText cuts s to at most n bytes, at a character's start.
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
