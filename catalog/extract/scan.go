package extract

import (
	"strings"
	"unicode/utf8"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// This file walks a decoded text line by line. Lines are found with
// strings.IndexByte and only lines holding a digit are looked at closely, so
// a long text costs little more than one pass over its bytes.

// segKind says what part of a message a text is.
type segKind uint8

const (
	segBody    segKind = iota // a pasted text, or a human-readable part
	segHeaders                // a message's header block
	segDSN                    // a message/delivery-status part
)

// codeSite is a code found in the text, before roles are settled.
type codeSite struct {
	code   catalog.Code
	text   string
	anchor anchor
	// unpaired is the enhanced code of another class written right after
	// the reply code (codeToken.unpaired).
	unpaired catalog.Enhanced
	order    int32
	// line numbers the line the site was read on, across every part of
	// the text: two sites of one line are one report (oneReport).
	line     int32
	dsn      bool // a DSN's Status field: the final status of a recipient
	report   bool // dsn, from a report rather than a log's "dsn=": the sender stopped retrying
	original bool // inside the returned message
	// quit: the reply to a transcript's QUIT, which says the session
	// ended, not why the delivery failed.
	quit bool
	// generic: a delivery-time-expired code (X.4.7, or the reply written
	// with one, as Exchange's "550 4.4.7 QUEUE.Expired"), which says that
	// retries ran out, not why they failed.
	generic bool
	// delayed: a report's status in a DSN block whose Action is
	// "delayed", a warning that the message is still being retried.
	delayed bool
	// command is the SMTP command the reply answered, when the text says,
	// as its index in commandNames: a byte beside the flags rather than a
	// string keeps the site at 80 bytes (firstSites).
	command commandID
	// rcpt is the recipient the code is about, when the text says: the
	// last RCPT TO sent up to the command the reply answered, or the DSN
	// block's Final-Recipient.
	rcpt string
	// lead is what the bounce wrote before a failure's reply (Finding.Lead).
	lead string
}

// commandID is the index of a command in commandNames; 0 is none.
type commandID uint8

var commandNames = [...]string{"", CommandHELO, CommandMAIL, CommandRCPT, CommandDATA}

// commandOf returns name's index in commandNames, 0 for "" or a name not
// listed.
func commandOf(name string) commandID {
	for i, n := range commandNames {
		if n == name {
			return commandID(i)
		}
	}
	return 0
}

// dsnBlock is one per-recipient block of a delivery-status part
// (RFC 3464 section 2.3).
type dsnBlock struct {
	status     catalog.Enhanced
	statusNote string // "(Remote SMTP server has rejected address)"
	diag       catalog.Code
	diagText   string
	rcpt       string // Final-Recipient's address
	delayed    bool   // Action: delayed
	remote     string // "Remote-MTA: dns; mx.example.com": the server the block's reply came from
	order      int
	open       bool
}

// extractor holds what one call to Extract has found so far.
type extractor struct {
	sites []codeSite
	feat  features
	order int
	blk   dsnBlock
	prev  [2]string // the last two non-blank lines, for cue phrases
	// prevAt is where each of prev starts in the text being read: two
	// lines a lead joins are then one piece of it (prevLines).
	prevAt  [2]int
	buf     []byte   // scratch for building server text
	cueLine string   // the line noteCues last looked at
	parts   int      // MIME parts walked, to bound the work on hostile input
	inOrig  bool     // in the returned message, or past "copy of the message follows"
	talk    dialogue // a transcript's commands and the replies they got
	// replyCmd is the command the text serverText last read says it
	// answered: Postfix's "(in reply to end of DATA command)".
	replyCmd string
	// notes are Exim's words under each failed address.
	notes eximNotes
	// line counts the lines read, across every part (codeSite.line).
	line int32
	// talkingTo is Sendmail's "... while talking to mx.example.com.:"
	// line of the transcript being read: the server every reply under it
	// came from.
	talkingTo string
	// deferred are the returned message's parts, read only when the
	// bounce itself shows no failure (a forwarded bounce, say).
	deferred []deferredPart
}

// deferredPart is a part of the returned message, kept for later.
type deferredPart struct {
	body, cte string
	kind      partKind
	depth     int
}

type partKind uint8

const (
	partText    partKind = iota // plain text, already decoded
	partMessage                 // a message/rfc822 body
	partHeaders                 // a text/rfc822-headers body
)

// hasFailure reports whether a failure has been found outside the
// returned message.
func (x *extractor) hasFailure() bool {
	for i := range x.sites {
		if cs := &x.sites[i]; !cs.original && cs.anchor != anchorProse && cs.role(true) == RoleFailure {
			return true
		}
	}
	return false
}

// readDeferred reads the returned message's parts, when the bounce itself
// showed no failure: no code, and no words of Exim's under a failed
// address ("(sa) User profile spam level exceeded"), which state a failure
// without one. A code in the returned message is then its own (a width in
// its style sheet, "width: 550=" in quoted-printable), not the bounce's.
func (x *extractor) readDeferred() {
	if x.hasFailure() || x.notes.n > 0 {
		return
	}
	for i := 0; i < len(x.deferred) && i < maxMIMEParts; i++ {
		d := x.deferred[i]
		switch d.kind {
		case partText:
			x.scanText(d.body, segBody, true)
		case partMessage:
			x.message(decodeBody(d.body, d.cte), d.depth+1, true)
		case partHeaders:
			x.scanText(decodeBody(d.body, d.cte), segHeaders, true)
		}
	}
}

// lineAt returns the line starting at pos, without its line break, and where
// the next line starts.
func lineAt(s string, pos int) (string, int) {
	nl := strings.IndexByte(s[pos:], '\n')
	end, next := len(s), len(s)
	if nl >= 0 {
		end, next = pos+nl, pos+nl+1
	}
	if end > pos && s[end-1] == '\r' {
		end--
	}
	return s[pos:end], next
}

// contentStart skips indentation, e-mail quoting ("> ") and a transcript's
// "<<<" (Sendmail) or "<-" (swaks) marker. It reports the indentation,
// whether the line is a command sent by the client (">>> RCPT TO:...",
// " -> RCPT TO:...") and whether it is marked as the server's.
func contentStart(line string) (indent, content int, command, serverLine bool) {
	for indent < len(line) && isBlank(line[indent]) {
		indent++
	}
	c := indent
	for c < len(line) && line[c] == '>' {
		if strings.HasPrefix(line[c:], ">>>") {
			return indent, c, true, false
		}
		c++
		for c < len(line) && isBlank(line[c]) {
			c++
		}
	}
	// Every marker is two bytes or more and starts with '-', '~' or '<':
	// most lines are told apart by their first byte.
	rest := line[c:]
	if len(rest) < 2 {
		return indent, c, false, false
	}
	switch r1 := rest[1]; rest[0] {
	case '-', '~':
		if r1 == '>' {
			return indent, c, true, false // swaks: what the client sent
		}
	case '<':
		if r1 == '-' || r1 == '~' || (r1 == '<' || r1 == '*') && len(rest) > 2 && rest[2] == r1 {
			// Sendmail's "<<< 550 ...", swaks's "<-  250 ..." and "<** 550 ...".
			c++
			for c < len(line) && (line[c] == '<' || line[c] == '-' || line[c] == '~' || line[c] == '*') {
				c++
			}
			for c < len(line) && isBlank(line[c]) {
				c++
			}
			return indent, c, false, true
		}
	}
	return indent, c, false, false
}

// fieldName returns the name of a header field starting the line ("Status"
// in "Status: 5.1.1") and where its value starts.
func fieldName(content string) (string, int, bool) {
	if content == "" || !ascii.IsAlpha(content[0]) {
		return "", 0, false
	}
	// Most lines are prose: the table stops at their first blank in one
	// test a byte, where testing each class of byte in turn cost more.
	end := min(len(content), 64)
	i := 1
	for i < end && fieldChars[content[i]] {
		i++
	}
	if i == end || content[i] != ':' {
		return "", 0, false
	}
	v := i + 1
	for v < len(content) && isBlank(content[v]) {
		v++
	}
	return content[:i], v, true
}

// fieldChars marks the bytes a field name may hold after its first letter:
// letters, digits, '-' and '_'.
var fieldChars = func() (t [256]bool) {
	for c := range 256 {
		t[c] = ascii.IsAlnum(byte(c)) || c == '-' || c == '_'
	}
	return t
}()

// smtpCommands are what a client sends; a line starting with one in a
// transcript is the client's, and its numbers are not replies.
var smtpCommands = [...]string{"EHLO", "HELO", "LHLO", "MAIL FROM:", "RCPT TO:", "DATA", "QUIT", "RSET", "NOOP", "STARTTLS", "AUTH", "BDAT", "VRFY", "EXPN"}

// postfixIn reports whether rest, after Postfix's "In:", is a client's
// command: blanks, then a word of capitals ("XFORWARD", "RCPT").
func postfixIn(rest string) bool {
	k := blanks(rest)
	if k == 0 {
		return false
	}
	n := 0
	for k+n < len(rest) && 'A' <= rest[k+n] && rest[k+n] <= 'Z' {
		n++
	}
	return n >= 4 && (k+n == len(rest) || rest[k+n] == ' ' || rest[k+n] == ':')
}

// blanks is how many blanks s starts with.
func blanks(s string) int {
	k := 0
	for k < len(s) && isBlank(s[k]) {
		k++
	}
	return k
}

func smtpCommand(content string) bool {
	if len(content) < 4 || content[0] < 'A' || content[0] > 'V' || content[1] < 'A' || content[1] > 'Z' {
		return false
	}
	for _, c := range smtpCommands {
		if strings.HasPrefix(content, c) && (len(content) == len(c) || c[len(c)-1] == ':' || content[len(c)] == ' ') {
			return true
		}
	}
	return false
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if ascii.IsDigit(s[i]) {
			return true
		}
	}
	return false
}

// scanText finds the codes in one decoded text. orig says it is (part of)
// the returned message.
func (x *extractor) scanText(s string, kind segKind, orig bool) {
	x.inOrig = orig
	x.prev = [2]string{}
	x.talk.reset()
	x.talkingTo = ""
	notes := !orig && kind != segHeaders // the bounce's own words
	// skipFold skips the lines folded under a header field: those indented
	// deeper than the field's own line (foldAt), which in a header block
	// is every indented line.
	skipFold, foldAt := false, 0
	// afterServer: the line before was a marked server line.
	afterServer := false
	for pos := 0; pos < len(s); {
		line, next := lineAt(s, pos)
		start := pos
		x.line++
		pos = next
		indent, c, command, serverLine := contentStart(line)
		content := line[c:]
		if notes {
			x.notes.line(indent, content)
		}
		if len(content) == 0 {
			x.flushDSN()
			skipFold = false
			x.talkingTo = ""
			continue
		}
		if content[0] == '.' && hasPrefixFold(content, "... while talking to ") {
			// Another server: a new session, whose replies are not
			// about the last session's recipient.
			x.talkingTo = content
			x.talk.reset()
		}
		if skipFold && indent > foldAt {
			continue
		}
		skipFold = false
		// A transcript's marks, told apart by their first byte: most lines
		// start with none of them.
		switch content[0] {
		case 'C':
			command = command || strings.HasPrefix(content, "C: ")
		case 'S':
			if strings.HasPrefix(content, "S: ") {
				c, serverLine = c+3, true
				content = line[c:]
			}
		case 'I':
			// Postfix's transcript in a notice to the postmaster:
			// " In:  RCPT TO:<...>" is the client's.
			if strings.HasPrefix(content, "In:") && postfixIn(content[3:]) {
				c, command = c+3+blanks(content[3:]), true
				content = line[c:]
			}
		case 'O':
			// ... and " Out: 451 4.3.0 Error: ..." the server's.
			if strings.HasPrefix(content, "Out:") {
				if k := 4 + blanks(content[4:]); k > 4 && mayReply(content[k:]) {
					c, serverLine = c+k, true
					content = line[c:]
				}
			}
		}
		if command || smtpCommand(content) {
			x.feat.transcript++
			x.remember(content, start+c)
			x.talk.send(content)
			continue
		}
		if serverLine {
			x.feat.transcript++
		}
		var quit bool
		restated := false
		if serverLine || mayReply(content) {
			quit = x.talk.other(content, serverLine)
			// Sendmail restates a refusal in its own words and code on
			// the line after the server's ("<<< 550 5.2.1 <a@b>... User
			// Unknown", then "550 5.1.1 <a@b>... User unknown"): no
			// server said it, and as a finding of its own it would ask
			// for another next step for the same recipient.
			restated = afterServer && !serverLine && x.talk.marked
		} else {
			x.talk.prose()
		}
		afterServer = serverLine
		if name, v, ok := fieldName(content); ok && !serverLine {
			var handled bool
			handled, pos = x.field(s, pos, name, content, v, kind)
			if handled {
				skipFold, foldAt = true, indent
				x.remember(content, start+c)
				continue
			}
		}
		if kind == segHeaders {
			skipFold, foldAt = true, indent // an unknown header's folded lines
			continue
		}
		if indent == 0 {
			if marker, original := x.markerLine(content); original && !orig {
				// The returned message follows: its codes are not
				// the bounce's, and are read only if the bounce has
				// none.
				x.deferred = append(x.deferred, deferredPart{body: s[pos:], kind: partText})
				break
			} else if marker {
				x.remember(content, start+c)
				continue
			}
		}
		if opaque(content) {
			continue // a line of base64 or a hash: no code stands in it
		}
		if hasDigit(content) && !restated {
			if resume := x.scanLine(s, pos, line, c, indent, quit); resume > pos {
				pos = resume
				x.talk.closed() // a multi-line reply's lines were read with its first
			}
		}
		x.remember(content, start+c)
	}
	x.notes.end()
	x.flushDSN()
}

// minOpaque is the length from which a line without blanks made only of
// base64's alphabet is taken for encoded data: base64 bodies are wrapped at
// 76, and a reply line this long has blanks in it.
const minOpaque = 60

// opaque reports whether content is a long line of base64 (or hex, or a
// token) that cannot hold a code: a code needs a separator that is not in
// that alphabet (a blank, a dot, a colon, a semicolon) before or inside it.
func opaque[T string | []byte](content T) bool {
	if len(content) < minOpaque {
		return false
	}
	for i := 0; i < len(content); i++ {
		if c := content[i]; !ascii.IsAlnum(c) && c != '+' && c != '/' && c != '=' {
			return false
		}
	}
	return true
}

// address returns the address in "<bob@example.com>" or "rfc822;
// bob@example.com", lower-cased, or "".
func address(s string) string {
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '<'); i >= 0 {
		s = s[i+1:]
		if j := strings.IndexByte(s, '>'); j >= 0 {
			s = s[:j]
		}
	}
	// One pass finds the address's end and whether it has a letter to
	// lower: most have none, and are returned as they are.
	lower, at := false, -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' {
			s = s[:i]
			break
		}
		if at < 0 && c == '@' {
			at = i
		}
		lower = lower || 'A' <= c && c <= 'Z' || c >= utf8.RuneSelf
	}
	if len(s) > 254 || at <= 0 {
		return ""
	}
	if lower {
		return strings.ToLower(s)
	}
	return s
}

// remember keeps the last two non-blank lines, where bounces write the
// phrase that introduces a reply ("The error that the other server
// returned was:").
func (x *extractor) remember(content string, at int) {
	x.prev[0], x.prev[1] = x.prev[1], content
	x.prevAt[0], x.prevAt[1] = x.prevAt[1], at
}

// scanLine finds the codes in one line and adds them as sites. It may take
// the following lines of a multi-line reply, and returns where scanning
// resumes.
// quit says the line answers a transcript's QUIT.
func (x *extractor) scanLine(s string, pos int, line string, content, indent int, quit bool) int {
	resume, placed := pos, false
	named := lineCommands{line: line[content:], prev: x.prev}
	// unpaired is the enhanced code of another class that the reply just
	// placed was written with ("550 4.4.7"), and unpairedAnchor where that
	// reply stood: the enhanced code is read as standing there too, not
	// as part of the reply's words.
	var unpaired catalog.Enhanced
	var unpairedAnchor anchor
	for i := content; len(x.sites) < maxSites; {
		t, ok := nextToken(line, i)
		if !ok {
			break
		}
		i = t.end
		if notACode(line, content, t) {
			continue
		}
		a := anchorOf(line, content, t)
		own := !unpaired.IsZero() && t.code.Reply.IsZero() && t.code.Enhanced == unpaired
		unpaired = catalog.Enhanced{}
		if own {
			a = unpairedAnchor
		}
		if a == anchorProse && !proseOK(line, content, t) {
			continue
		}
		if a != anchorStrong && placed && !own {
			// Part of the words of a code already found on this line:
			// "554 5.3.0 unknown mailer error 255".
			continue
		}
		placed = placed || a != anchorProse
		unpaired, unpairedAnchor = t.unpaired, a
		if a == anchorProse {
			// Prose mentions a code; there are no server's words.
			x.add(codeSite{code: t.code, anchor: a})
			continue
		}
		if a == anchorStrong {
			x.noteCues(line)
			if t.cont {
				x.feat.multiline++
			}
		}
		text, after := x.serverText(s, pos, line, content, indent, t)
		if after > resume {
			resume = after
		}
		text = x.withAgentLine(text)
		// A JSON notification's "status" or "smtpResponse" is the final
		// word on a recipient, as a DSN's Status is.
		final := a == anchorStrong && inWords(jsonKey(line, content, t.start), finalKeys[:])
		x.feat.jsonReport = x.feat.jsonReport || final
		report := final
		// A log's "dsn=4.4.1" is the status a DSN would carry; a success
		// ("dsn=2.0.0, status=sent") stays context.
		if t.start > content && line[t.start-1] == '=' {
			if w, at := wordBefore(line, t.start-1); at >= content && equalFold(w, "dsn") {
				final = final || t.code.Class() >= catalog.ClassTransientNegative
			}
		}
		// The command the reply answered: the text's own words, then
		// Exim's, qmail's or Postfix's line before it, then the command of
		// the transcript that it answered. Only a failure's command is
		// used (it can decide the reason), so the words before a success
		// or an intermediate reply ("250 2.0.0 Ok", "354") are not read
		// for one: in a mail log most lines are deliveries.
		cmd := x.replyCmd
		if cmd == "" && failing(t.code) {
			cmd = named.before(t.start - content)
		}
		if cmd == "" {
			cmd = x.talk.cur.cmd
		}
		lead, rcpt := "", x.talk.cur.rcpt
		if a == anchorStrong && failing(t.code) {
			lead = x.leadOf(s, line[content:t.start])
			if rcpt == "" {
				rcpt = x.notes.blockAddress()
			}
		}
		x.add(codeSite{code: t.code, unpaired: t.unpaired, text: text, anchor: a, dsn: final, report: report, quit: quit && a == anchorStrong,
			generic: expired(t.code) || expired(catalog.Code{Enhanced: t.unpaired}), rcpt: rcpt, command: commandOf(cmd), lead: lead})
	}
	return resume
}

// maxLead bounds Finding.Lead: a host name and its address, with the
// words around them.
const maxLead = 300

// leadOf returns what the bounce wrote before a failure's reply: before on
// its line, or, when the reply opens its line, the line before it
// (Postfix's "... said:" when the reply wraps to the next line), and the
// one before that when it is Exim's "SMTP error from remote mail server"
// under its "host mx.example.com [192.0.2.1]".
//
// A bounce about several recipients names each one's server, and the
// lead must be that server, not the one before: a Sendmail transcript's
// replies take its "... while talking to mx.example.com.:" line (the line
// before them is a command or another reply); a reply under another
// reply (Gmail's "The response from the remote server was:" lists one a
// recipient) has no lead of its own; qmail's "Remote host said:" and
// Gmail's "The error that the other server returned was:" take the line
// before, which names the server.
func (x *extractor) leadOf(s, before string) string {
	return validTail(x.rawLead(s, before))
}

// validTail returns at most the last maxLead bytes of s, made valid UTF-8
// (a part decoded from base64 in a legacy charset may not be) after the
// cut, so that only what is kept is read.
func validTail(s string) string {
	s = lastBytes(s, maxLead)
	if !utf8.ValidString(s) {
		s = lastBytes(strings.ToValidUTF8(s, "\uFFFD"), maxLead)
	}
	return s
}

// rawLead is leadOf before it is made valid UTF-8 and cut to maxLead
// bytes; s is the text being read.
func (x *extractor) rawLead(s, before string) string {
	p := x.prev[1]
	if b := strings.TrimSpace(before); b != "" {
		if hasPrefixFold(b, "remote host said:") && p != "" {
			return lastBytes(p, maxLead) + " " + lastBytes(before, maxLead) // qmail
		}
		return before
	}
	if x.talkingTo != "" && (strings.HasPrefix(p, ">>>") || smtpCommand(p) || mayReply(p)) {
		return x.talkingTo
	}
	if _, _, ok := replyStart(p); ok {
		return "" // another recipient's reply
	}
	if (hasPrefixFold(p, "smtp error from remote") || hasPrefixFold(p, "delay reason: smtp error") ||
		hasPrefixFold(p, "the error that the other server returned")) && x.prev[0] != "" {
		return x.prevLines(s)
	}
	return p
}

// maxLineGap is the most a line break and the next line's indentation
// take between two lines that prevLines returns as one piece of the text.
const maxLineGap = 16

// prevLines returns the last two lines read as one string: the piece of s
// they stand in, with no copy, when only a line break and indentation
// stand between them (Exim's "host ..." and "SMTP error ..." lines);
// joined by a blank otherwise.
func (x *extractor) prevLines(s string) string {
	a, b := x.prevAt[0], x.prevAt[1]
	first, second := x.prev[0], x.prev[1]
	if end := b + len(second); a+len(first) <= b && b-a-len(first) <= maxLineGap && end <= len(s) &&
		s[a:a+len(first)] == first && s[b:end] == second {
		return s[a:end]
	}
	return lastBytes(first, maxLead) + " " + lastBytes(second, maxLead)
}

// lastBytes returns at most the last n bytes of s, starting on a
// character's first byte.
func lastBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[len(s)-n:]
	for len(s) > 0 && !utf8.RuneStart(s[0]) {
		s = s[1:]
	}
	return s
}

// failing reports whether either part of c refuses: a 4xx or 5xx reply,
// or a 4.x.x or 5.x.x enhanced code (a server may send "250 5.1.1").
func failing(c catalog.Code) bool {
	return c.Reply.Class() >= catalog.ClassTransientNegative || c.Enhanced.Class >= 4
}

// expired reports whether c's enhanced code is X.4.7, "delivery time
// expired" (RFC 3463 section 3.5). The reply of Exchange's "550 4.4.7
// QUEUE.Expired" stands for the expiry too: its 4.4.7 is the token's
// unpaired code.
func expired(c catalog.Code) bool {
	return c.Enhanced.Subject == 4 && c.Enhanced.Detail == 7
}

// add records a site in the order found.
func (x *extractor) add(cs codeSite) {
	cs.order = int32(x.order)
	cs.original = cs.original || x.inOrig
	x.order++
	x.push(cs)
}

// firstSites is the room made for the first sites: six 80-byte sites fit
// in 512 bytes, the largest block of pointers the allocator describes
// without a header of its own; eight (640 bytes) made that allocation a
// fifth of a one-line paste's time.
const firstSites = 6

// push appends a site. The slice is made on the first site, room for a
// few: chatter has none and pays nothing, and a bounce's first codes do
// not grow it one by one.
func (x *extractor) push(cs codeSite) {
	cs.line = x.line
	if x.sites == nil {
		x.sites = make([]codeSite, 0, firstSites)
	}
	x.sites = append(x.sites, cs)
}
