// Package hostile builds inputs that have made text scanners slow: long runs
// of one byte, repeated patterns, huge lines, deep MIME nesting, bounces
// that return megabytes of base64. Tests and benchmarks of extraction and
// explanation use it to show that time grows linearly with size.
package hostile

import (
	"encoding/base64"
	"strings"
)

// Shape is one kind of hostile input.
type Shape struct {
	Name string
	// Make returns an input of about n bytes.
	Make func(n int) string
}

// dsnHead is a Postfix bounce up to its returned message: the text part,
// the delivery-status part and the start of the message/rfc822 part.
const dsnHead = `From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: alice@example.net
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4F3A2B5501.1714568101/mx.example.net"

This is a MIME-encapsulated message.

--4F3A2B5501.1714568101/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

<bob@example.com>: host mx1.example.com[192.0.2.10] said: 550 5.1.1
    <bob@example.com>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)

--4F3A2B5501.1714568101/mx.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; bob@example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <bob@example.com>: Recipient address rejected:
    User unknown in virtual mailbox table

--4F3A2B5501.1714568101/mx.example.net
Content-Description: Undelivered Message
Content-Type: message/rfc822

From: alice@example.net
To: bob@example.com
Subject: The files
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner"

--inner
Content-Type: text/plain

Attached.
--inner
Content-Type: application/octet-stream; name="zero.bin"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="zero.bin"

`

const dsnTail = "--inner--\n\n--4F3A2B5501.1714568101/mx.example.net--\n"

// wrap breaks s into lines of 76 bytes, as base64 bodies are written.
func wrap(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/76 + 1)
	for len(s) > 76 {
		b.WriteString(s[:76])
		b.WriteByte('\n')
		s = s[76:]
	}
	b.WriteString(s)
	b.WriteByte('\n')
	return b.String()
}

// ReturnedAttachment is a Postfix DSN whose returned message carries a
// base64 attachment of about n bytes of encoded data made from data
// repeated (zero bytes encode to all "A").
func ReturnedAttachment(n int, data byte) string {
	return dsnHead + wrap(base64.StdEncoding.EncodeToString([]byte(strings.Repeat(string(data), n*3/4)))) + dsnTail
}

// AttachmentFirst is a bounce whose returned attachment, about n bytes of
// base64, comes before the text part that holds its diagnostic: "550
// 5.1.1" after the attachment's last line.
func AttachmentFirst(n int) string {
	return "From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered Mail Returned to Sender\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n" +
		"--b\nContent-Type: application/octet-stream; name=\"zero.bin\"\nContent-Transfer-Encoding: base64\n\n" +
		wrap(base64.StdEncoding.EncodeToString(make([]byte, n*3/4))) +
		"--b\nContent-Type: text/plain\n\n" + ordinaryBounce + "--b--\n"
}

// repeatTo repeats unit to about n bytes.
func repeatTo(unit string, n int) string {
	return strings.Repeat(unit, max(1, n/len(unit)))
}

// line is the issue's shape: a reply, a run of filler, another code.
func line(unit string) func(int) string {
	return func(n int) string { return "550 5.1.1 " + repeatTo(unit, n) + " 5.7.1 end\n" }
}

// nested is n bytes of multipart parts each holding the next.
func nested(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString("Content-Type: multipart/mixed; boundary=\"b")
		b.WriteString(strings.Repeat("x", i%50))
		b.WriteString("\"\n\n--b")
		b.WriteString(strings.Repeat("x", i%50))
		b.WriteString("\n")
	}
	return "MIME-Version: 1.0\n" + b.String() + "\n550 5.1.1 end\n"
}

// Shapes are the hostile inputs, each made to about n bytes. Single-byte
// runs cover letters of both cases, digits, punctuation and Thai; the
// rest are repeated patterns and message structures.
func Shapes() []Shape {
	shapes := []Shape{
		{"line-A", line("A")},
		{"line-AB", line("AB")},
		{"line-AAAB", line("AAAB")},
		{"line-a", line("a")},
		{"line-thai", line("ก")},
		{"line-digits", line("1")},
		{"line-eq", line("=")},
		{"line-dash", line("-")},
		{"line-paren", line(")")},
		{"line-quote", line("'")},
		{"line-codes", line("550 5.1.1 ")},
		{"line-said", line("said: 550 ")},
		{"line-status", line("dsn=5.1.1, status=")},
		{"dsn-zero-attachment", func(n int) string { return ReturnedAttachment(n, 0) }},
		{"dsn-text-attachment", func(n int) string { return ReturnedAttachment(n, 'x') }},
		{"base64-paste", func(n int) string {
			return "550 5.1.1 user unknown\n" + wrap(base64.StdEncoding.EncodeToString(make([]byte, n*3/4)))
		}},
		{"short-lines", func(n int) string { return repeatTo("550 5.1.1 x\n", n) }},
		{"continuations", func(n int) string { return repeatTo("550-5.1.1 x\n", n) }},
		{"wrapped", func(n int) string { return repeatTo("said: 550 x\n    more words\n", n) }},
		{"dsn-fields", func(n int) string { return repeatTo("Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 x\n", n) }},
		{"folded-diagnostic", func(n int) string {
			return "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 x\n" + repeatTo(" A 550\n", n)
		}},
		{"json", func(n int) string { return repeatTo(`{"status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 u"},`, n) }},
		{"html", func(n int) string {
			return "MIME-Version: 1.0\nContent-Type: text/html\n\n" + repeatTo("<p>550 5.1.1 <style>", n)
		}},
		{"qp", func(n int) string {
			return "MIME-Version: 1.0\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n550 5.1.1 " + repeatTo("=3D=\n", n)
		}},
		{"mime-nesting", nested},
		{"boundaries", func(n int) string {
			return "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n" + repeatTo("--b\n\n550 5.1.1 x\n", n)
		}},
		{"marker-lines", func(n int) string { return repeatTo("---- original message 550 ----\n", n) }},
		{"quoted-lines", func(n int) string { return repeatTo("> > > 550 5.1.1 x\n", n) }},
		{"blank-runs", func(n int) string { return "550" + repeatTo(" ", n) + "5.1.1\n" }},
		{"hosts", func(n int) string { return repeatTo("gsmtp.google.com outlook.com 550 ", n) }},
	}
	return shapes
}

// ordinaryBounce is a plain Postfix bounce paragraph with some prose.
const ordinaryBounce = `<bob@example.com>: host mx1.example.com[192.0.2.10] said: 550 5.1.1
    <bob@example.com>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)

The mail system sent this message to tell you that it could not be
delivered. Please check the address and try again later, or contact
the postmaster of the receiving domain with this report attached.

`

// Ordinary is ordinary bounce text of about n bytes, to compare the
// hostile shapes with: a pasted bounce paragraph, repeated.
func Ordinary(n int) string { return repeatTo(ordinaryBounce, n) }

// Bytes are the single bytes (and one Thai letter) whose runs a scanner
// must pass in linear time: every ASCII letter and digit and the
// punctuation mail text is made of.
func Bytes() []string {
	var out []string
	for c := byte(' '); c < 0x7f; c++ {
		out = append(out, string(c))
	}
	return append(out, "ก", "\t", "\n")
}
