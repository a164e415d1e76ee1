package extract

import (
	"strings"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// sent is a transcript's client command, waiting for its reply.
type sent struct {
	cmd  string // CommandRCPT, ..., or "" for one no finding names (QUIT, RSET)
	rcpt string // the address of the last RCPT TO sent up to this command
	quit bool
}

// maxPending bounds the commands waiting for a reply. A pipelined group is
// a handful of commands (RFC 2920 section 3.1); a longer run of client
// lines is not answered line for line, and must not grow without bound.
const maxPending = 16

// dialogue pairs a transcript's replies with the commands they answer.
// With PIPELINING (RFC 2920) the client sends MAIL, RCPT and DATA together
// and the server answers them in the order they were sent, so the replies
// that follow ">>> DATA" answer MAIL and RCPT first: each reply takes the
// oldest command not yet answered.
type dialogue struct {
	pending  []sent // sent, not yet answered, oldest first
	cur      sent   // what the last reply answered: the lines after it are about that too
	lastRcpt string
	// grouping: the line before was a command, so the next one joins its
	// group; a command after anything else starts a new group, and the
	// commands of an old one that got no reply (an unanswered QUIT) are
	// dropped rather than paired with the replies to come.
	grouping bool
	// marked: the text marks the server's lines ("<<<", "<-", "S: "). Its
	// unmarked lines are then the sending program's own words, such as
	// Sendmail's repetition of a refusal, not replies.
	marked bool
	// open is the reply whose multi-line form ("250-") is not closed yet:
	// its next lines answer no new command.
	open catalog.Reply
}

// reset forgets everything: a new text starts.
func (d *dialogue) reset() {
	// Field by field: assigning a whole new value built a copy first.
	d.pending, d.cur, d.lastRcpt = d.pending[:0], sent{}, ""
	d.grouping, d.marked, d.open = false, false, 0
}

// send notes a client line.
func (d *dialogue) send(content string) {
	c := strings.TrimLeft(content, "><-~*CS: \t")
	s := sent{cmd: clientCommand(c), quit: hasPrefixFold(c, "quit")}
	if hasPrefixFold(c, "rcpt to:") {
		d.lastRcpt = address(c[len("rcpt to:"):])
	}
	s.rcpt = d.lastRcpt
	if !d.grouping {
		d.pending = d.pending[:0]
	}
	if len(d.pending) < maxPending {
		d.pending = append(d.pending, s)
	}
	d.grouping, d.open = true, 0
}

// other notes a line that is not the client's and may be a reply (see
// mayReply). It reports whether the line is the reply to QUIT; d.cur is
// then the command the line is about.
func (d *dialogue) other(content string, serverLine bool) bool {
	d.grouping = false
	d.marked = d.marked || serverLine
	r, sep, ok := replyStart(content)
	if !ok || (d.marked && !serverLine) {
		return false
	}
	answers := r != d.open && len(d.pending) > 0
	if answers {
		d.cur = d.pending[0]
		d.pending = d.pending[1:]
	}
	d.open = 0
	if sep == '-' {
		d.open = r
	}
	return answers && d.cur.quit
}

// prose notes a line that is neither the client's nor a reply: it ends a
// group of commands. Most lines of a bounce are such lines, and this
// costs them no call.
func (d *dialogue) prose() { d.grouping = false }

// mayReply reports whether a line that is not marked as the server's can
// be a reply: it starts with a digit from 2 to 5.
func mayReply(content string) bool {
	return content != "" && '2' <= content[0] && content[0] <= '5'
}

// closed notes that the last reply's following lines were read with it, so
// a multi-line reply ended there.
func (d *dialogue) closed() { d.open = 0 }

// replyStart reads the reply code content starts with and the character
// after it: ' ' (or the end) on a reply's last line, '-' on the others.
func replyStart(content string) (catalog.Reply, byte, bool) {
	if len(content) < 3 || content[0] < '2' || content[0] > '5' || !ascii.IsDigit(content[1]) || !ascii.IsDigit(content[2]) {
		return 0, 0, false
	}
	r := catalog.Reply(int(content[0]-'0')*100 + int(content[1]-'0')*10 + int(content[2]-'0'))
	sep, ok := replyAt(content, r)
	return r, sep, ok
}
