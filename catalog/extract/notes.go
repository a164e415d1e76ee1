package extract

import "github.com/smtpcodes/smtpbot/internal/ascii"

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
}

const (
	notesBefore = iota
	notesBetween
	notesIn
	notesPast
)

// line takes one line of the bounce's text: content is it without its
// indentation.
func (n *eximNotes) line(indent int, content string) {
	switch {
	case n.state == notesPast:
	case len(content) == 0:
		if n.state == notesIn {
			n.state = notesBetween
		}
	case n.state == notesBefore:
		if ascii.IndexFold(content, "address(es) failed:") >= 0 {
			n.state = notesBetween
		}
	case indent == 0:
		// The paragraph after the list.
		n.state = notesPast
	case n.state == notesBetween:
		n.blocks++
		n.state = notesIn
		n.add(content)
	default:
		n.add(content)
	}
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
