package extract

import (
	"bytes"
	"strings"

	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// The SMTP commands a reply can answer, as Finding.Command names them.
// "DATA" covers both the DATA verb and the end of the message data: a
// refusal there comes after the server accepted the recipient.
const (
	CommandHELO = "HELO"
	CommandMAIL = "MAIL"
	CommandRCPT = "RCPT"
	CommandDATA = "DATA"
)

// commandVerbs maps what a text writes for a command to its name: a
// transcript's client line (">>> RCPT To:<...>"), Postfix's "(in reply to
// RCPT TO command)", Exim's "after RCPT TO:<...>:".
var commandVerbs = [...]struct{ prefix, name string }{
	{"end of data", CommandDATA},
	{"data", CommandDATA},
	{"bdat", CommandDATA},
	{"rcpt to", CommandRCPT},
	{"pipelined rcpt to", CommandRCPT},
	{"rcpt", CommandRCPT}, // GMX's "SMTP error from remote server after RCPT command:"
	{"mail from", CommandMAIL},
	{"pipelined mail from", CommandMAIL},
	{"ehlo", CommandHELO},
	{"helo", CommandHELO},
	{"lhlo", CommandHELO},
}

// commandAt names the command s starts with, or "". The verb must end
// there: "data" is not "database".
func commandAt(s string) string {
	for _, v := range commandVerbs {
		if hasPrefixFold(s, v.prefix) && (len(s) == len(v.prefix) || !ascii.IsAlnum(s[len(v.prefix)])) {
			return v.name
		}
	}
	return ""
}

// clientCommand names the command of a transcript's client line
// (">>> DATA", "C: RCPT TO:<bob@example.com>").
func clientCommand(content string) string {
	return commandAt(strings.TrimLeft(content, "><-~*CS: \t"))
}

// repliedTo names the command in Postfix's "(in reply to end of DATA
// command)" at the end of raw, or "".
func repliedTo(raw []byte) string {
	p := []byte("(in reply to ")
	tail := raw[max(0, len(raw)-64):]
	// The last "(" that opens the phrase: most tails have no "(" at all,
	// which a byte search tells at once.
	i := bytes.LastIndexByte(tail, '(')
	for i >= 0 && !bytes.HasPrefix(tail[i:], p) {
		i = bytes.LastIndexByte(tail[:i], '(')
	}
	if i < 0 {
		return ""
	}
	rest := tail[i+len(p):]
	for _, v := range commandVerbs {
		if len(rest) >= len(v.prefix) && bytes.EqualFold(rest[:len(v.prefix)], []byte(v.prefix)) &&
			(len(rest) == len(v.prefix) || !ascii.IsAlnum(rest[len(v.prefix)])) {
			return v.name
		}
	}
	return ""
}

// eximAfter names the command in Exim's "SMTP error from remote mail
// server after RCPT TO:<bob@example.com>:" or "after end of data:", the
// line that introduces a reply, or "".
func eximAfter(line string) string {
	i := ascii.IndexFold(line, " after ")
	if i < 0 || ascii.IndexFold(line[:i], "error") < 0 {
		return ""
	}
	return commandAt(line[i+len(" after "):])
}

// sessionLines are the words qmail-remote, Postfix and 1&1 write before a reply
// to say which step of the session it refused (qmail-remote.c's "Connected
// to %s but my name was rejected.", "%s does not like recipient.", "failed
// after I sent the message"; Postfix's "host %s refused to talk to me:" for
// a refused greeting), as sisimai's qmail and Postfix modules read them. A
// refused greeting is counted with EHLO: both refuse the client host.
var sessionLines = [...]struct{ words, name string }{
	{" but greeting failed", CommandHELO},
	{" but my name was rejected", CommandHELO},
	{" refused to talk to me", CommandHELO},
	{" but sender was rejected", CommandMAIL},
	{" does not like recipient", CommandRCPT},
	{" failed on data command", CommandDATA},
	{" failed after i sent the message", CommandDATA},
	{" for text command", CommandDATA}, // 1&1's "SMTP error from remote server for TEXT command"
}

// sessionStep names the command a qmail or Postfix line before a reply
// says was refused, or "". It runs for most replies a text holds, so it
// reads the line once, a byte at a time (a search per space cost more than
// the short words between them): every phrase starts at a space, and after
// a space only the phrases starting with the next letter are tried.
func sessionStep(line string) string {
	for i := 0; i+1 < len(line); i++ {
		if line[i] != ' ' || !sessionStarts[line[i+1]] {
			continue
		}
		rest := line[i:]
		for _, k := range sessionFirst[ascii.Lower(line[i+1])] {
			if s := &sessionLines[k]; hasPrefixFold(rest, s.words) {
				return s.name
			}
		}
	}
	return ""
}

// sessionFirst lists, by the first letter of their words, the indexes of
// sessionLines, in their order.
var sessionFirst = func() (first [256][]uint8) {
	for k, s := range sessionLines {
		first[s.words[1]] = append(first[s.words[1]], uint8(k))
	}
	return first
}()

// sessionStarts has the bytes after which sessionFirst lists a phrase, in
// either case.
var sessionStarts = func() (starts [256]bool) {
	for c := range starts {
		starts[c] = len(sessionFirst[ascii.Lower(byte(c))]) > 0
	}
	return starts
}()

// lineCommands names the command a reply answered from the words before
// it: on its own line (Exim's "after RCPT TO:", qmail's "does not like
// recipient"), then on the lines before. A line may hold several codes
// (a Postfix log line's "dsn=5.7.1" and "said: 554 5.7.1"); what the lines
// before name is the same for each, and is read once.
type lineCommands struct {
	line string    // the reply's line, from its content
	prev [2]string // the two lines before it

	eximRead, sessionRead bool
	exim, session         string // what the lines before name
}

// before names the command the words before the code at n in line say,
// or "": Exim's words on the line, Exim's on the line before (or the one
// before that, when GMX put the host on a line of its own between them),
// qmail's or Postfix's on the line, then on the line before.
func (c *lineCommands) before(n int) string {
	if cmd := eximAfter(c.line[:n]); cmd != "" {
		return cmd
	}
	if !c.eximRead {
		c.eximRead = true
		c.exim = eximAfter(c.prev[1])
		if c.exim == "" && hasPrefixFold(c.prev[1], "host") {
			c.exim = eximAfter(c.prev[0])
		}
	}
	if c.exim != "" {
		return c.exim
	}
	if cmd := sessionStep(c.line[:n]); cmd != "" {
		return cmd
	}
	if !c.sessionRead {
		c.sessionRead = true
		c.session = sessionStep(c.prev[1])
	}
	return c.session
}
