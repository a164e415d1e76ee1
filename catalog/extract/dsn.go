package extract

import (
	"strings"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// This file reads the fields of a delivery status notification
// (RFC 3464): a per-recipient block's Status and Diagnostic-Code make one
// finding, and the other fields tell that the text is a DSN. It also skips
// the header fields of pasted or returned messages, whose dates, addresses
// and ids are full of numbers that are not codes.

// dsnFieldNames are the fields of RFC 3464 and the common extensions.
var dsnFieldNames = [...]string{
	"reporting-mta", "final-recipient", "original-recipient", "action", "remote-mta",
	"arrival-date", "last-attempt-date", "received-from-mta", "will-retry-until",
	"x-postfix-queue-id", "x-postfix-sender", "x-actual-recipient", "final-log-id",
	"original-envelope-id", "dsn-gateway", "x-original-message-id", "x-display-name",
	"x-supplementary-info", "x-mailer-daemon-version",
}

// noiseFieldNames are header fields that never carry a server's reply but
// are full of numbers.
var noiseFieldNames = [...]string{
	"received", "date", "message-id", "references", "in-reply-to", "dkim-signature",
	"domainkey-signature", "authentication-results", "received-spf", "return-path",
	"mime-version", "delivered-to", "envelope-to", "delivery-date", "to", "cc", "bcc",
	"reply-to", "sender", "user-agent", "importance", "priority", "precedence",
	"auto-submitted", "feedback-id", "errors-to", "organization", "subject", "from",
	"thread-index", "thread-topic", "content-language", "accept-language", "list-id",
	"list-unsubscribe", "list-unsubscribe-post", "return-receipt-to", "disposition-notification-to",
	"resent-date", "resent-from", "resent-message-id", "resent-to", "comments", "keywords",
	"x-failed-recipients",
}

// fieldKind sorts header field names.
type fieldKind uint8

const (
	fieldOther fieldKind = iota
	fieldStatus
	fieldDiagnostic
	fieldRecipient
	fieldFrom
	fieldSubject
	fieldFailed
	fieldAction
	fieldDSN   // another RFC 3464 field
	fieldNoise // a field that never holds a reply
)

var fieldKinds = func() map[string]fieldKind {
	m := map[string]fieldKind{
		"status": fieldStatus, "diagnostic-code": fieldDiagnostic, "final-recipient": fieldRecipient,
		"from": fieldFrom, "subject": fieldSubject, "x-failed-recipients": fieldFailed, "action": fieldAction,
	}
	for _, n := range dsnFieldNames {
		if _, ok := m[n]; !ok {
			m[n] = fieldDSN
		}
	}
	for _, n := range noiseFieldNames {
		if _, ok := m[n]; !ok {
			m[n] = fieldNoise
		}
	}
	return m
}()

// kindOf classifies a field name without allocating: the name is
// lower-cased into a small array and looked up.
func kindOf(name string) fieldKind {
	var low [64]byte
	if len(name) > len(low) {
		return fieldOther
	}
	for i := 0; i < len(name); i++ {
		low[i] = ascii.Lower(name[i])
	}
	if k, ok := fieldKinds[string(low[:len(name)])]; ok {
		return k
	}
	if hasPrefixFold(name, "x-") || hasPrefixFold(name, "arc-") || hasPrefixFold(name, "content-") || hasPrefixFold(name, "list-") {
		return fieldNoise
	}
	return fieldOther
}

// field handles a line that starts with a header field name. It returns
// whether the line is dealt with (and must not be scanned as text) and
// where scanning resumes.
func (x *extractor) field(s string, pos int, name, content string, v int, kind segKind) (bool, int) {
	switch kindOf(name) {
	case fieldStatus:
		e, end, ok := enhancedAt(content, v)
		if !ok {
			return kind == segHeaders, pos // "Status: RO" in an mbox
		}
		x.feat.dsnFields++
		if x.blk.open && !x.blk.status.IsZero() {
			x.flushDSN() // a block without the blank line after it
		}
		x.openDSN()
		x.blk.status = e
		x.blk.statusNote = strings.TrimSpace(content[end:])
		return true, pos
	case fieldDiagnostic:
		x.feat.dsnFields++
		value, next := unfold(s, pos, content[v:], &x.buf)
		if x.blk.open && !x.blk.diag.IsZero() && !x.blk.status.IsZero() {
			x.flushDSN()
		}
		x.openDSN()
		x.blk.diag, x.blk.diagText = x.diagnostic(value)
		return true, next
	case fieldRecipient:
		x.feat.dsnFields++
		if x.blk.open && (!x.blk.status.IsZero() || !x.blk.diag.IsZero()) {
			x.flushDSN()
		}
		x.openDSN()
		x.blk.rcpt = address(content[v:])
		return true, pos
	case fieldFrom:
		// Once a header has shown a bounce, the others need not be read.
		if !x.inOrig && !x.feat.ndrHeader && anyIn(content[v:], bounceSenders) {
			x.feat.ndrHeader = true
		}
		return true, pos
	case fieldSubject:
		if !x.inOrig && !x.feat.ndrHeader && bounceSubject(content[v:]) {
			x.feat.ndrHeader = true
		}
		return true, pos
	case fieldFailed:
		if !x.inOrig {
			x.feat.ndrHeader = true
		}
		return true, pos
	case fieldAction:
		// "delayed" is a warning: the message is still queued and retried
		// (RFC 3464 section 2.3.3); "failed" is the bounce itself.
		x.feat.dsnFields++
		x.openDSN()
		x.blk.delayed = hasPrefixFold(strings.TrimSpace(content[v:]), "delayed")
		return true, pos
	case fieldDSN:
		x.feat.dsnFields++
		if equalFold(name, "remote-mta") {
			x.openDSN()
			x.blk.remote = validTail(strings.TrimSpace(content))
		}
		return true, pos
	case fieldNoise:
		return true, pos
	}
	return kind == segHeaders, pos
}

// bounceSubject reports whether a Subject is one that bounces carry.
func bounceSubject(v string) bool { return anyIn(v, bounceSubjects) }

// The words of the From and Subject of a bounce.
var (
	bounceSenders  = needles("mailer-daemon", "postmaster", "mail delivery")
	bounceSubjects = needles(
		"undeliver", "delivery", "returned mail", "failure notice", "mail failure",
		"not delivered", "delivery failed", "could not be delivered", "rejected", "bounce",
		"nondeliverable", "non-deliverable", "mail system error", "warning: could not send",
	)
)

func needles(words ...string) []ascii.Needle {
	out := make([]ascii.Needle, len(words))
	for i, w := range words {
		out[i] = ascii.NewNeedle(w)
	}
	return out
}

// anyIn reports whether s holds any of words, ignoring case.
func anyIn(s string, words []ascii.Needle) bool {
	for _, w := range words {
		if w.In(s) >= 0 {
			return true
		}
	}
	return false
}

func (x *extractor) openDSN() {
	if !x.blk.open {
		x.blk = dsnBlock{open: true, order: x.order}
		x.order++
	}
}

// unfold joins a field's value with its continuation lines (those starting
// with a blank), returning the value and where the next field starts.
func unfold(s string, pos int, first string, buf *[]byte) (string, int) {
	joined := false
	b := (*buf)[:0]
	for pos < len(s) && isBlank(s[pos]) {
		line, next := lineAt(s, pos)
		t := strings.TrimSpace(line)
		if t == "" {
			break
		}
		if !joined {
			b = append(b, strings.TrimSpace(first)...)
			joined = true
		}
		b = append(b, ' ')
		b = append(b, t...)
		pos = next
	}
	*buf = b
	if !joined {
		return strings.TrimSpace(first), pos
	}
	return string(b), pos
}

// diagnostic reads a Diagnostic-Code value, "smtp; 550 5.1.1 <a@b>: ...",
// returning its code, if any, and the server's words.
func (x *extractor) diagnostic(value string) (catalog.Code, string) {
	rest, smtp, unix := value, true, false
	if i := strings.IndexByte(value, ';'); i > 0 && i < 24 && !strings.ContainsAny(value[:i], " <@") {
		rest = value[i+1:] // the diagnostic type: smtp, X-Postfix, X-Unix
		smtp = equalFold(strings.TrimSpace(value[:i]), "smtp")
		unix = equalFold(strings.TrimSpace(value[:i]), "x-unix")
	}
	c := 0
	for c < len(rest) && isBlank(rest[c]) {
		c++
	}
	// The first token with both parts wins: in "554 4.4.7 Message
	// expired ... <421 4.4.2 Connection timed out>" the first pair is
	// inconsistent, the second is what the server said. Failing that, the
	// first token, with an enhanced code of its class found after it: "501
	// Rcpt-To validation failed: 5.7.1 This system ...".
	var first, pairTok codeToken
	found, paired := false, false
	for i := c; ; {
		t, ok := nextToken(rest, i)
		if !ok {
			break
		}
		i = t.end
		if notACode(rest, c, t) {
			continue
		}
		if a := anchorOf(rest, c, t); a == anchorProse && !proseOK(rest, c, t) {
			continue
		}
		if !smtp && t.start == c && t.code.Enhanced.IsZero() {
			continue // "X-Unix; 255": an exit status, not a reply
		}
		if !t.code.Reply.IsZero() && !t.code.Enhanced.IsZero() {
			pairTok, paired = t, true
			break
		}
		if !found {
			first, found = t, true
			continue
		}
		if !first.code.Reply.IsZero() && first.code.Enhanced.IsZero() && t.code.Reply.IsZero() &&
			catalog.Class(t.code.Enhanced.Class) == first.code.Reply.Class() && !paired {
			first.code.Enhanced = t.code.Enhanced
		}
	}
	if paired {
		first, found = pairTok, true
	}
	if !found {
		if unix {
			// "X-Unix; 77": a local delivery program's exit status; the
			// type is what says so.
			rest = value
		}
		return catalog.Code{}, x.clean(append(x.buf[:0], rest...), catalog.Code{})
	}
	return first.code, x.textAfter(rest, c, first)
}

// flushDSN ends a per-recipient block: its Status and Diagnostic-Code become
// one finding. The Status is the reporting MTA's summary (RFC 3464 section
// 2.3.4); when the server's own enhanced code, in the Diagnostic-Code, is of
// the same class but differs, the server's code is the finding (it is what
// the remote end meant, and a Status is often a bare X.0.0) and the Status
// becomes a finding of its own.
func (x *extractor) flushDSN() {
	b := x.blk
	x.blk = dsnBlock{}
	if !b.open || (b.status.IsZero() && b.diag.IsZero()) || len(x.sites) >= maxSites {
		return
	}
	code := catalog.Code{Enhanced: b.status}
	d := b.diag
	switch {
	case b.status.IsZero():
		code = d
	default:
		if !d.Reply.IsZero() && d.Reply.Class() == catalog.Class(b.status.Class) {
			code.Reply = d.Reply
		}
		if !d.Enhanced.IsZero() && d.Enhanced.Class == b.status.Class {
			code.Enhanced = d.Enhanced
		}
	}
	text := b.diagText
	if text == "" && len(b.statusNote) > 2 && b.statusNote[0] == '(' {
		text = strings.TrimSuffix(b.statusNote[1:], ")")
	}
	x.push(codeSite{
		code: code, text: text, anchor: anchorStrong, order: int32(b.order),
		dsn: !b.status.IsZero(), report: !b.status.IsZero(), original: x.inOrig, generic: expired(code), rcpt: b.rcpt,
		delayed: b.delayed, lead: b.remote,
	})
	// A diagnostic of another class than the Status is a code of its own;
	// so is a specific Status the server's code replaced.
	switch {
	case !d.IsZero() && !b.status.IsZero() && d.Class() != catalog.Class(b.status.Class):
		x.push(codeSite{code: d, text: b.diagText, anchor: anchorStrong, order: int32(b.order), original: x.inOrig, lead: b.remote})
	case code.Enhanced != b.status && (b.status.Subject != 0 || b.status.Detail != 0):
		x.push(codeSite{code: catalog.Code{Enhanced: b.status}, anchor: anchorStrong, order: int32(b.order), dsn: true, report: true, original: x.inOrig,
			delayed: b.delayed})
	}
}
