package extract

import (
	"strings"

	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// features is the evidence that a text is a bounce, a DSN, a transcript or a
// log line. It is gathered while scanning: from header fields, from lines
// that only mail software writes, and from the words around each code. It
// never costs a pass of its own over the text.
type features struct {
	dsnReport  bool // a multipart/report or message/delivery-status part
	dsnFields  int  // RFC 3464 fields: Final-Recipient, Action, Status, ...
	ndrHeader  bool // From: MAILER-DAEMON, a bounce's Subject, X-Failed-Recipients
	ndrPhrase  int  // words bounces write around a reply ("said:", "Remote Server returned")
	transcript int  // ">>> RCPT TO", "<<< 550" lines
	logLine    int  // "status=", "dsn=", "relay=" beside a code
	multiline  int  // well-placed multi-line replies ("550-5.1.1 ...")
	jsonReport bool // a JSON notification's "status" or "smtpResponse"
	// delayWarning: the text says it is a warning that delivery is late
	// and still being tried, not a bounce ("has not yet been delivered").
	delayWarning bool
}

// bouncePhrases are what mail software writes around a server's reply, and
// people rarely do. They are looked for only on a code's line and the two
// lines before it.
var bouncePhrases = [...]string{
	"said:", "returned", "remote server", "remote host", "smtp error", "error from remote",
	"in reply to", "transcript of session", "while talking to", "other server", "diagnostic",
	"giving up", "delivery to the following", "could not be delivered", "couldn't be delivered",
	"wasn't delivered", "was not delivered", "undeliverable", "delivery has failed",
	"permanent error", "temporary error", "failed permanently", "delivery failed", "mail delivery",
	"retry timeout exceeded", "couldn't find any host", "does not like recipient",
	"rcpt to", "mail from", "end of data", "recipient address rejected", "smtp;", "x-postfix",
	"response from", "the mail system", "mailer-daemon", "message could not", "not delivered",
	"delivery status", "failed to deliver", "unable to deliver", "permanent failure",
	"temporary failure", "error message", "host unknown", "delivery error",
}

// phraseTable indexes phrases by their first letter, so that a window of
// text is matched against all of them in one pass over its words.
type phraseTable [26][]string

func newPhraseTable(phrases []string) *phraseTable {
	var t phraseTable
	for _, p := range phrases {
		i := ascii.Lower(p[0]) - 'a'
		t[i] = append(t[i], p)
	}
	return &t
}

// at reports whether s starts with a phrase of t, ignoring case.
func (t *phraseTable) at(s string) bool {
	if s == "" {
		return false
	}
	c := ascii.Lower(s[0])
	if c < 'a' || c > 'z' {
		return false
	}
	for _, p := range t[c-'a'] {
		if hasPrefixFold(s, p) {
			return true
		}
	}
	return false
}

// in reports whether a phrase of t starts at a word of s, ignoring case.
// It goes from word to word: the letters after a word's first are passed
// over with one test each.
func (t *phraseTable) in(s string) bool {
	for i := 0; i < len(s); {
		if !ascii.IsAlpha(s[i]) {
			i++
			continue
		}
		for _, p := range t[ascii.Lower(s[i])-'a'] {
			if hasPrefixFold(s[i:], p) {
				return true
			}
		}
		for i++; i < len(s) && ascii.IsAlpha(s[i]); i++ {
		}
	}
	return false
}

var (
	bounceTable = newPhraseTable(bouncePhrases[:])
	logTable    = newPhraseTable([]string{"status=", "dsn=", "relay=", "stat="})
)

// noteCues looks at the line of a well-placed code, and at the two lines
// before it, for words that only mail software writes. It looks only as
// long as the evidence found so far is weaker than such words would be.
func (x *extractor) noteCues(line string) {
	if x.feat.evidence() >= 0.85 {
		return // no phrase can raise the score further
	}
	if x.cueLine == line {
		return // another code on a line already looked at
	}
	x.cueLine = line
	// Phrases are near the start of a line; a long one is looked at in
	// part, so that a line full of codes does not cost its square.
	line, p1, p0 := cap1K(line), cap1K(x.prev[1]), cap1K(x.prev[0])
	if strings.IndexByte(line, '=') >= 0 && logTable.in(line) {
		x.feat.logLine++
		return
	}
	if bounceTable.in(line) || bounceTable.in(p1) || bounceTable.in(p0) {
		x.feat.ndrPhrase++
	}
}

func cap1K(s string) string { return s[:min(len(s), 1024)] }

// markerLines start lines that only bounces carry. The last group start the
// copy of the returned message, whose codes are not the bounce's.
var markerLines = [...]string{
	"transcript of session follows", "this is the mail system at host",
	"hi. this is the qmail-send program", "this message was created automatically by mail delivery",
	"delivery has failed to these recipients", "diagnostic information for administrators",
	"the following address(es) failed", "i'm sorry to have to inform you",
	"your message could not be delivered", "delivery to the following recipient",
	"the original message was received at", "message delivery has failed",
	"this is an automatically generated delivery status notification",
	"the following message to", "your message did not reach some or all",
	"a message that you sent could not be delivered", "could not deliver message",
	"unable to deliver message", "sorry, we were unable to deliver",
}

// delayLines start the lines of a delay warning, which says a message is
// late and still being tried: Exim's text, Postfix's banner ("# THIS IS A
// WARNING ONLY. YOU DO NOT NEED TO RESEND YOUR MESSAGE. #"), Microsoft's,
// Gmail's ("There was a temporary problem delivering your message to ...
// Gmail will retry"; its failure notice has no "temporary"), and older
// gateways' "THIS IS A WARNING MESSAGE ONLY.".
var delayLines = [...]string{
	"a message that you sent has not yet been delivered", "this is a warning only", "this is a warning message only",
	"delivery is delayed to these recipients", "your message could not be delivered for",
	"there was a temporary problem delivering your message",
}

var originalMarkers = [...]string{
	"copy of the message", "original message", "unsent message", "returned message",
	"message header", "undelivered message", "message text", "headers of the original",
}

// markerLine notes a line that only bounces write. It reports whether the
// line is such a marker (and so holds no code), and whether it starts the
// copy of the returned message.
func (x *extractor) markerLine(content string) (marker, original bool) {
	c := content
	dashes := 0
	for dashes < len(c) && (c[dashes] == '-' || c[dashes] == '=' || c[dashes] == '*' || isBlank(c[dashes])) {
		dashes++
	}
	c = c[dashes:]
	if len(c) < 12 {
		return false, false
	}
	if dashes >= 2 && originalTable.in(c) {
		return true, true
	}
	if markerTable.at(c) {
		x.feat.ndrPhrase++
		return !hasDigit(c), false
	}
	d := c
	for len(d) > 0 && (d[0] == '#' || d[0] == ' ') {
		d = d[1:] // Postfix's "# THIS IS A WARNING ONLY ... #"
	}
	if delayTable.at(d) {
		x.feat.ndrPhrase++
		x.feat.delayWarning = true
		return !hasDigit(c), false
	}
	return false, false
}

var (
	markerTable   = newPhraseTable(markerLines[:])
	delayTable    = newPhraseTable(delayLines[:])
	originalTable = newPhraseTable(originalMarkers[:])
)

// confidence scores how sure it is that the text is a bounce, a DSN, a
// transcript or a mail log rather than chatter with a number in it:
//
//   - From the best-placed code alone: none 0; only quoted codes 0.1; a
//     code after a word such as "error" 0.35, or 0.5 with both parts ("SMTP
//     error 550 5.7.1"); a reply code at the start of a line or after a
//     colon 0.5; with an enhanced code ("550 5.1.1") 0.6; a multi-line
//     reply ("550-5.1.1 ...") 0.7.
//   - From evidence that mail software wrote the text: DSN fields or a
//     multipart/report 0.95; a log line (status=, dsn=) or a JSON delivery
//     notification ("smtpResponse": "550 ...") 0.9; a transcript
//     (">>> RCPT TO", "<<< 550") 0.9; a bounce's headers or phrases 0.85.
//     Evidence counts in full only with a well-placed code; without one it
//     is scaled by 0.8 (a bounce without a code is still a bounce).
//   - The score is the larger of the two.
func (x *extractor) confidence(best float64, placed bool) float64 {
	ev := x.feat.evidence()
	if !placed {
		ev *= 0.8
	} else if x.feat.multiline > 0 {
		best = max(best, 0.7)
	}
	return min(max(best, ev), 1)
}

// evidence is the confidence that the features alone give.
func (f *features) evidence() float64 {
	switch {
	case f.dsnReport || f.dsnFields >= 2:
		return 0.95
	case f.logLine > 0 || f.jsonReport || f.transcript > 0:
		return 0.9
	case f.ndrHeader || f.ndrPhrase > 0:
		return 0.85
	}
	return 0
}

// placeScore is the confidence one site gives on its own.
func placeScore(cs *codeSite) float64 {
	switch {
	case cs.anchor == anchorProse:
		return 0.1
	case cs.anchor == anchorWord && (cs.code.Reply.IsZero() || cs.code.Enhanced.IsZero()):
		return 0.35
	case cs.anchor == anchorWord:
		return 0.5 // "SMTP error 550 5.7.1 when sending": a reply in full
	case cs.dsn:
		return 0.6
	case cs.code.Enhanced.IsZero():
		return 0.5
	}
	return 0.6
}
