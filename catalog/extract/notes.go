package extract

import (
	"strings"

	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// Exim lists each failed address in the bounce's text, with its own words
// on the failure indented under it ("mailbox is full: retry timeout
// exceeded", "pipe to |/usr/bin/procmail ..."), and writes a delivery
// report whose Status has no Diagnostic-Code: for a local delivery there
// is no server reply at all. These words are then the only ones on the
// failure.

// eximNotes collects the blocks under Exim's "The following address(es)
// failed:".
type eximNotes struct {
	state  uint8 // 0 before the list, 1 between blocks, 2 in a block, 3 past the list
	blocks int
	// lines are the first block's lines, as parts of the text: kept
	// without a copy, joined only when a failure needs them.
	lines [6]string
	n     int
	// addr is the address that opens the block being read ("bob@example.com",
	// or "bob@example.com (generated from ...)"), lower-cased; "" where it
	// is no address (a file or pipe Exim delivered to).
	addr string
}

const (
	notesBefore = iota
	notesBetween
	notesIn
	notesPast
)

// addressesFailed ends the line before Exim's list: "The following
// address(es) failed:". It is looked for only at the end of a line, where
// Exim writes it, so the lines before the list cost a comparison each
// rather than a search.
const addressesFailed = "address(es) failed:"

// endsList reports whether content ends with addressesFailed, trailing
// blanks aside.
func endsList(content string) bool {
	// Most lines: the last byte tells, without a call.
	n := len(content)
	return n > 0 && listEnds[content[n-1]] && listBefore(content)
}

// listEnds has the bytes a line before Exim's list can end with.
var listEnds = [256]bool{':': true, ' ': true, '\t': true}

// listBefore is endsList for a line that ends with a colon or a blank.
func listBefore(content string) bool {
	t := trimBlanksRight(content)
	return len(t) >= len(addressesFailed) && equalFold(t[len(t)-len(addressesFailed):], addressesFailed)
}

// line takes one line of the bounce's text: content is it without its
// indentation. Past the list it does nothing, and is small enough to be
// inlined where it is called for every line.
func (n *eximNotes) line(indent int, content string) {
	if n.state != notesPast {
		n.read(indent, content)
	}
}

// read is line before the list ends.
func (n *eximNotes) read(indent int, content string) {
	switch {
	case len(content) == 0:
		if n.state == notesIn {
			n.state = notesBetween
		}
	case n.state == notesBefore:
		if endsList(content) {
			n.state = notesBetween
		}
	case indent == 0:
		// The paragraph after the list.
		n.state = notesPast
	case n.state == notesBetween:
		n.blocks++
		n.state = notesIn
		n.addr = address(content)
		n.add(content)
	default:
		n.add(content)
	}
}

// inBlock reports whether the line being read is in a block under a
// failed address.
func (n *eximNotes) inBlock() bool { return n.state == notesIn }

// blockAddress is the failed address whose block the line being read is
// in, or "": a reply in the block is about that recipient, though Exim
// writes it three lines under the address ("SMTP error from remote mail
// server after end of data:").
func (n *eximNotes) blockAddress() string {
	if n.state != notesIn {
		return ""
	}
	return n.addr
}

// add keeps a line of the first block.
func (n *eximNotes) add(content string) {
	if n.blocks == 1 && n.n < len(n.lines) {
		n.lines[n.n] = content
		n.n++
	}
}

// end closes the list at the end of a text part.
func (n *eximNotes) end() {
	if n.state != notesBefore {
		n.state = notesPast
	}
}

// only appends to dst the words of the one address the list names, lines
// joined by a space, and returns false when it names none or several: then
// which failure they belong to is not known.
func (n *eximNotes) only(dst []byte) ([]byte, bool) {
	if n.blocks != 1 || n.n == 0 {
		return dst, false
	}
	for i, l := range n.lines[:n.n] {
		if i > 0 {
			dst = append(dst, ' ')
		}
		dst = append(dst, l[:min(len(l), maxServerText)]...)
	}
	return dst, true
}

// Sendmail reports a local delivery agent's failure with a generic line of
// its own, named after the agent's exit status ("Service unavailable" for
// EX_UNAVAILABLE, "Insufficient permission" for EX_NOPERM), and the agent's
// own words on the line before it: "mail.local: unknown user: jdoe", then
// "554 <jdoe@example.com>... Service unavailable". The agent's words are the
// cause.
var sendmailGeneric = [...]string{
	"service unavailable", "insufficient permission", "can't create output",
	"cannot create output", "operating system error",
}

// genericByLast lists, by their last byte, the indexes of
// sendmailGeneric's lines: most replies end with a byte none ends with.
var genericByLast = func() (last [256][]uint8) {
	for k, g := range sendmailGeneric {
		last[g[len(g)-1]] = append(last[g[len(g)-1]], uint8(k))
	}
	return last
}()

// withAgentLine puts the line before a reply in front of the reply's words
// when those are only Sendmail's generic line for an exit status and the
// line before is a delivery agent's message ("maildrop: maildir over
// quota."), a program's name in lower case: a header ("Date: ...") is not
// one.
func (x *extractor) withAgentLine(text string) string {
	if text == "" {
		return text
	}
	generic := false
	for _, k := range genericByLast[ascii.Lower(text[len(text)-1])] {
		if g := sendmailGeneric[k]; len(text) >= len(g) && equalFold(text[len(text)-len(g):], g) {
			generic = true
			break
		}
	}
	if !generic {
		return text
	}
	prev := x.prev[1]
	colon := strings.IndexByte(prev, ':')
	if colon <= 0 || colon > 24 || colon+2 >= len(prev) || prev[colon+1] != ' ' || hasDigit(prev[:colon]) {
		return text
	}
	for i := 0; i < colon; i++ {
		if c := prev[i]; !(c >= 'a' && c <= 'z' || ascii.IsDigit(c)) && c != '.' && c != '-' && c != '_' {
			return text // not a program's name
		}
	}
	if len(prev) > maxServerText/2 {
		prev = prev[:maxServerText/2]
	}
	return prev + " " + text
}
