package extract

import (
	"bytes"
	"math/bits"
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
	if s == "" {
		return ""
	}
	for _, k := range verbsByFirst[ascii.Lower(s[0])] {
		if v := &commandVerbs[k]; hasPrefixFold(s, v.prefix) && (len(s) == len(v.prefix) || !ascii.IsAlnum(s[len(v.prefix)])) {
			return v.name
		}
	}
	return ""
}

// verbsByFirst lists, by their first letter, the indexes of commandVerbs,
// in their order.
var verbsByFirst = func() (first [256][]uint8) {
	for k, v := range commandVerbs {
		first[v.prefix[0]] = append(first[v.prefix[0]], uint8(k))
	}
	return first
}()

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
	// which a byte search tells at once. The search runs forwards:
	// bytes.IndexByte is vectorised, bytes.LastIndexByte a loop.
	i := -1
	for j := 0; ; j++ {
		k := bytes.IndexByte(tail[j:], '(')
		if k < 0 {
			break
		}
		j += k
		if bytes.HasPrefix(tail[j:], p) {
			i = j
		}
	}
	if i < 0 {
		return ""
	}
	// A verb is at most 19 bytes, so 32 bytes decide; a string of up to
	// 32 bytes that does not escape is made on the stack.
	rest := tail[i+len(p):]
	return commandAt(string(rest[:min(len(rest), 32)]))
}

// eximAfter names the command in Exim's "SMTP error from remote mail
// server after RCPT TO:<bob@example.com>:" or "after end of data:", the
// line that introduces a reply, or "".
func eximAfter(line string) string {
	if at := eximAfterAt(line); at >= 0 {
		return commandAt(line[at:])
	}
	return ""
}

// eximIntro is eximAfter of a line before a reply, which introduces it
// only when it ends with a colon ("after RCPT TO:<bob@example.com>:",
// "after end of data:"): most lines do not, and the last byte tells.
func eximIntro(line string) string {
	if t := trimBlanksRight(line); t == "" || t[len(t)-1] != ':' {
		return ""
	}
	return eximAfter(line)
}

// Exim's words before the command: "SMTP error from remote mail server
// after".
var afterWord, errorWord = ascii.NewNeedle(" after "), ascii.NewNeedle("error")

// eximAfterAt is where the words after the first " after " of line start,
// when "error" comes before it, or -1.
func eximAfterAt(line string) int {
	i := afterWord.In(line)
	if i < 0 {
		return -1
	}
	return afterError(line, i)
}

// afterError is where the words after the " after " at i start, when
// "error" comes before it, or -1.
func afterError(line string, i int) int {
	if errorWord.In(line[:i]) < 0 {
		return -1
	}
	return i + len(afterWord.String())
}

// sessionLines are the words qmail-remote, Postfix, DragonFly's dma and 1&1
// write before a reply to say which step of the session it refused
// (qmail-remote.c's "Connected to %s but my name was rejected.", "%s does
// not like recipient.", "failed after I sent the message"; the qmail
// fallback patch's "most progress was RCPT TO response"; Postfix's "host %s
// refused to talk to me:" for a refused greeting; dma's "%s [%s] did not
// like our %s:" before the reply on the next line), as sisimai's modules
// read them. A refused greeting is counted with EHLO: both refuse the
// client host.
var sessionLines = [...]struct{ words, name string }{
	{" but greeting failed", CommandHELO},
	{" but my name was rejected", CommandHELO},
	{" refused to talk to me", CommandHELO},
	{" but sender was rejected", CommandMAIL},
	{" does not like recipient", CommandRCPT},
	{" failed on data command", CommandDATA},
	{" failed after i sent the message", CommandDATA},
	{" for text command", CommandDATA}, // 1&1's "SMTP error from remote server for TEXT command"
	{" most progress was ehlo", CommandHELO},
	{" most progress was helo", CommandHELO},
	{" most progress was mail", CommandMAIL},
	{" most progress was rcpt", CommandRCPT},
	{" most progress was data", CommandDATA},
	{" did not like our connect", CommandHELO},
	{" did not like our ehlo", CommandHELO},
	{" did not like our mail from", CommandMAIL},
	{" did not like our rcpt to", CommandRCPT},
	{" did not like our data", CommandDATA},
	{" did not like our final data", CommandDATA},
}

// sessionStep names the command of the first of sessionLines' phrases
// in line, which a qmail or Postfix line before a reply writes to say
// which step of the session was refused, or "". It runs for most lines
// with a reply, so it finds the spaces eight bytes at a time
// (ascii.Spaces): every phrase starts at a space, and after a space only
// the phrases starting with the next letter are tried.
func sessionStep(line string) string {
	i := 0
	for ; i+8 <= len(line); i += 8 {
		for m := ascii.Spaces(line, i); m != 0; m &= m - 1 {
			if j := i + bits.TrailingZeros64(m)>>3; sessionOpens(line, j) {
				if name := sessionAt(line, j); name != "" {
					return name
				}
			}
		}
	}
	for ; i < len(line); i++ {
		if line[i] == ' ' && sessionOpens(line, i) {
			if name := sessionAt(line, i); name != "" {
				return name
			}
		}
	}
	return ""
}

// sessionOpens reports whether the two letters after the space line[i]
// open one of sessionLines' phrases: after most spaces they do not, and
// two table lookups tell.
func sessionOpens(line string, i int) bool {
	if i+2 >= len(line) {
		return false
	}
	return sessionSeconds[line[i+1]]>>((line[i+2]|0x20)-'a')&1 != 0
}

// sessionAt names the command of the phrase at the space line[i], or "".
func sessionAt(line string, i int) string {
	rest := line[i:]
	for _, k := range sessionFirst[ascii.Lower(line[i+1])] {
		if s := &sessionLines[k]; hasPrefixFold(rest, s.words) {
			return s.name
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

// sessionSeconds has, for a phrase's first letter in either case, a bit
// for each second letter (a is bit 0) that follows it in sessionLines.
// A byte that is not a letter sets no bit: (c|0x20)-'a' is then 26 or
// more, or wraps around to more than 31, and the shift gives 0.
var sessionSeconds = func() (seconds [256]uint32) {
	for _, s := range sessionLines {
		first, bit := s.words[1], uint32(1)<<(s.words[2]-'a')
		seconds[first] |= bit
		seconds[first-('a'-'A')] |= bit
	}
	return seconds
}()

// sessionLongest is the length of the longest of sessionLines' phrases.
var sessionLongest = func() (n int) {
	for _, s := range sessionLines {
		n = max(n, len(s.words))
	}
	return n
}()

// lineCommands names the command a reply answered from the words before
// it: on its own line (Exim's "after RCPT TO:", qmail's "does not like
// recipient"), then on the lines before. A line may hold several codes
// (a Postfix log line's "dsn=5.7.1" and "said: 554 5.7.1"), asked about in
// the order they stand: the line is read once, up to the last code asked
// about (most codes open their line, with nothing before them to read),
// and the lines before are read once.
type lineCommands struct {
	line string    // the reply's line, from its content
	prev [2]string // the two lines before it

	afterFrom, stepFrom   int // how far line has been searched for each
	afterFound, stepFound bool
	afterAt               int    // where the words after " after " start, or -1
	step                  string // the command of the line's first session phrase

	eximRead, sessionRead bool
	exim, session         string // what the lines before name
}

// before names the command the words before the code at n in line say,
// or "": Exim's words on the line, Exim's on the line before (or the one
// before that, when GMX put the host on a line of its own between them),
// qmail's or Postfix's on the line, then on the line before.
func (c *lineCommands) before(n int) string {
	if at := c.afterBy(n); at >= 0 && at <= n {
		if cmd := commandAt(c.line[at:n]); cmd != "" {
			return cmd
		}
	}
	if !c.eximRead {
		c.eximRead = true
		c.exim = eximIntro(c.prev[1])
		if c.exim == "" && hasPrefixFold(c.prev[1], "host") {
			c.exim = eximIntro(c.prev[0])
		}
	}
	if c.exim != "" {
		return c.exim
	}
	if cmd := c.stepBy(n); cmd != "" {
		return cmd
	}
	if !c.sessionRead {
		c.sessionRead = true
		c.session = sessionStep(lineEnd(c.prev[1]))
	}
	return c.session
}

// lineEnd is the end of a line where a phrase can introduce the reply on
// the next line: qmail ends the line with it ("192.0.2.1 does not like
// recipient." then "Remote host said: 550 ..."), and twice the longest
// phrase leaves room for what follows it. A phrase further back had its
// reply after it on its own line ("refused to talk to me: 554 ...").
func lineEnd(line string) string {
	return line[max(0, len(line)-2*sessionLongest):]
}

// afterBy is eximAfterAt of line[:n]. Once line[:n] holds the first
// " after ", longer prefixes hold the same first one; until then only
// what lies past the last search, and the few bytes before it where the
// words could have begun, are searched.
func (c *lineCommands) afterBy(n int) int {
	words := afterWord.String()
	if c.afterFound {
		return c.afterAt
	}
	if n <= c.afterFrom {
		return -1
	}
	from := max(0, c.afterFrom-len(words)+1)
	i := afterWord.In(c.line[from:n])
	if i < 0 {
		c.afterFrom = n
		return -1
	}
	c.afterFound, c.afterAt = true, afterError(c.line, from+i)
	return c.afterAt
}

// stepBy is sessionStep of line[:n], read as afterBy reads. A phrase
// found stays the first for longer prefixes: no phrase holds another
// from one of its inner spaces on (TestSessionPhrasesApart), so none
// that ends later can start before it.
func (c *lineCommands) stepBy(n int) string {
	if c.stepFound {
		return c.step
	}
	if n <= c.stepFrom {
		return ""
	}
	from := max(0, c.stepFrom-sessionLongest+1)
	if name := sessionStep(c.line[from:n]); name != "" {
		c.stepFound, c.step = true, name
		return name
	}
	c.stepFrom = n
	return ""
}
