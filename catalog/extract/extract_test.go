package extract

import (
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"
)

// brief renders findings as "role code" strings, the form the tables use.
func brief(ex Extraction) []string {
	out := make([]string, 0, len(ex.Findings))
	for _, f := range ex.Findings {
		out = append(out, string(f.Role)+" "+f.Code.String())
	}
	return out
}

type extractCase struct {
	name     string
	text     string
	want     []string // "failure 550 5.1.1", in order
	text0    string   // the first finding's ServerText, when checked
	min, max float64  // bounds on Confidence; max 0 means 1
}

func runExtractCases(t *testing.T, cases []extractCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ex := Extract(c.text)
			got := brief(ex)
			if strings.Join(got, " | ") != strings.Join(c.want, " | ") {
				t.Errorf("findings:\n got %q\nwant %q", got, c.want)
			}
			if c.text0 != "" && (len(ex.Findings) == 0 || ex.Findings[0].ServerText != c.text0) {
				t.Errorf("server text:\n got %q\nwant %q", firstText(ex), c.text0)
			}
			hi := c.max
			if hi == 0 {
				hi = 1
			}
			if ex.Confidence < c.min || ex.Confidence > hi {
				t.Errorf("confidence %.2f, want %.2f to %.2f", ex.Confidence, c.min, hi)
			}
		})
	}
}

func firstText(ex Extraction) string {
	if len(ex.Findings) == 0 {
		return ""
	}
	return ex.Findings[0].ServerText
}

func TestExtractFormats(t *testing.T) {
	runExtractCases(t, []extractCase{
		{
			// The deferral 4.4.316 is the attempt before the verdict
			// 5.4.316: history, not a second failure.
			name: "Microsoft 365 attempts under the verdict",
			text: "Delivery has failed to these recipients or groups:\n\nDiagnostic information for administrators:\n\n" +
				"ops@example.net\n" +
				"12/6/2026 8:54:53 AM - Server at AM0PR01MB1234.eurprd01.prod.outlook.com returned '550 5.4.316 Message expired, connection refused(Socket error code 10061)'\n" +
				"12/6/2026 8:44:34 AM - Server at example.net (192.0.2.20) returned '450 4.4.316 Connection refused [Message=Socket error code 10061]'\n",
			want: []string{"failure 550 5.4.316", "context 450 4.4.316"},
			min:  0.8,
		},
		{
			// A deferral with another cause stays a failure: it says why
			// the message expired.
			name: "an attempt with another cause than the verdict",
			text: "Delivery has failed to these recipients or groups:\n\nDiagnostic information for administrators:\n\n" +
				"ops@example.net\n" +
				"Server at AM0PR01MB1234.eurprd01.prod.outlook.com returned '550 5.4.316 Message expired, connection refused'\n" +
				"Server at example.net (192.0.2.20) returned '450 4.4.315 Connection timed out'\n",
			want: []string{"failure 550 5.4.316", "failure 450 4.4.315"},
			min:  0.8,
		},
		{
			// Exchange writes its expiry with codes of two classes: the
			// two do not pair, and the '#' before them is its NDR's mark,
			// not an issue number; "##" closes the line.
			name: "Exchange's 550 4.4.7 QUEUE.Expired",
			text: "Delivery has failed to these recipients or groups:\n\nDiagnostic information for administrators:\n\n" +
				"Generating server: mail.example.org\n\nops@example.net\n#550 4.4.7 QUEUE.Expired; message expired ##\n",
			want:  []string{"failure 550", "failure 4.4.7"},
			text0: "4.4.7 QUEUE.Expired; message expired",
			min:   0.8,
		},
		{
			// On-call chat quotes the server's reply in backticks or
			// double quotes: what a server said, not a mention.
			name:  "a reply quoted in chat",
			text:  "hey team, getting `550 5.4.1 Recipient address rejected: Access denied. AS(201806281)` from o365 any idea?",
			want:  []string{"failure 550 5.4.1"},
			text0: "Recipient address rejected: Access denied. AS(201806281)",
		},
		{
			// Text copied from a mail client or a phone quotes with curly
			// quotes; the code after one was refused and the 550 lost.
			name:  "a reply in curly quotes",
			text:  "khách báo lỗi “550 5.1.1 User unknown” khi gửi",
			want:  []string{"failure 550 5.1.1"},
			text0: "User unknown",
		},
		{
			name:  "a reply without its enhanced code quoted in chat",
			text:  "customer sees \"550 Relaying denied\" when sending to us",
			want:  []string{"failure 550"},
			text0: "Relaying denied",
		},
		{
			// OpenSMTPD writes the failure in the report's text only; its
			// Status has no Diagnostic-Code.
			name: "a bare Status and the report's words after the address",
			text: "Subject: Delivery status notification: error\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\n" +
				"Content-Type: text/plain; charset=us-ascii\n\n    This is the MAILER-DAEMON, please DO NOT REPLY to this email.\n\n" +
				"    An error has occurred while attempting to deliver a message for\n    the following list of recipients:\n\n" +
				"ops@example.net: Domain does not exist\n\n--b\nContent-Type: message/delivery-status\n\n" +
				"Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; ops@example.net\nAction: error\nStatus: 5.0.0\n\n--b--\n",
			want:  []string{"failure 5.0.0"},
			text0: "Domain does not exist",
			min:   0.9,
		},
		{
			// The code closes a label in brackets after the words: they are
			// the server's, the recipient before them is not.
			name:  "words before '[SMTP Error Code 550]'",
			text:  "Your message could not be delivered to the following recipients:\n\n<ops@example.net>: Requested action not taken: mailbox unavailable. [SMTP Error Code 550]\n",
			want:  []string{"failure 550"},
			text0: "Requested action not taken: mailbox unavailable.",
		},
		{
			name: "gmail multi-line reply",
			text: "The error that the other server returned was:\n" +
				"550-5.1.1 The email account that you tried to reach does not exist. Please try\n" +
				"550-5.1.1 double-checking the recipient's email address for typos or\n" +
				"550-5.1.1 unnecessary spaces. Learn more at\n" +
				"550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp\n",
			want: []string{"failure 550 5.1.1"},
			text0: "The email account that you tried to reach does not exist. Please try double-checking " +
				"the recipient's email address for typos or unnecessary spaces. Learn more at " +
				"https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp",
			min: 0.8,
		},
		{
			name: "multi-line reply quoted in a chat message",
			text: "hey team, customer pasted this:\n\n> 550-5.7.26 This mail is unauthenticated, which poses a security risk to the\n" +
				"> 550-5.7.26 sender and Gmail users, and has been blocked.\n> 550 5.7.26 authenticate with SPF or DKIM. - gsmtp\n\nany idea?",
			want:  []string{"failure 550 5.7.26"},
			text0: "This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. authenticate with SPF or DKIM. - gsmtp",
			min:   0.6, max: 0.79,
		},
		{
			name:  "multi-line reply without enhanced code",
			text:  "550-Please turn on SMTP Authentication in your mail client.\n550-mail.example.com [192.0.2.21] is not permitted to relay\n550 through this server without authentication.\n",
			want:  []string{"failure 550"},
			text0: "Please turn on SMTP Authentication in your mail client. mail.example.com [192.0.2.21] is not permitted to relay through this server without authentication.",
			min:   0.6, max: 0.79,
		},
		{
			name: "DSN status and diagnostic code pair",
			text: "Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1\n" +
				"Diagnostic-Code: smtp; 550 5.1.1 <a@example.com>: Recipient address rejected\n",
			want:  []string{"failure 550 5.1.1"},
			text0: "<a@example.com>: Recipient address rejected",
			min:   0.9,
		},
		{
			name: "DSN diagnostic code folded",
			text: "Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.2.2\n" +
				"Diagnostic-Code: smtp; 552-5.2.2 The email account that you tried to reach is\n    552-5.2.2 over quota.\n    552 5.2.2 Please direct the recipient to https://support.example.com/\n",
			want:  []string{"failure 552 5.2.2"},
			text0: "The email account that you tried to reach is over quota. Please direct the recipient to https://support.example.com/",
			min:   0.9,
		},
		{
			name:  "DSN status with no reply anywhere",
			text:  "Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.4.4\nDiagnostic-Code: X-Postfix; Host or domain name not found\n",
			want:  []string{"failure 5.4.4"},
			text0: "Host or domain name not found",
			min:   0.9,
		},
		{
			name: "DSN status paired with the reply of the text part",
			text: "<a@example.com>: host mx.example.com[192.0.2.1] said: 550 Mailbox unavailable\n\n" +
				"Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.2.1\n",
			want:  []string{"failure 550 5.2.1"},
			text0: "Mailbox unavailable",
			min:   0.9,
		},
		{
			name: "DSN with two recipients",
			text: "Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 No such user\n\n" +
				"Final-Recipient: rfc822; b@example.com\nAction: delayed\nStatus: 4.2.2\nDiagnostic-Code: smtp; 452 4.2.2 Mailbox full\n",
			want: []string{"failure 550 5.1.1", "failure 452 4.2.2"},
			min:  0.9,
		},
		{
			name: "DSN for a successful delivery",
			text: "Final-Recipient: rfc822; a@example.com\nAction: delivered\nStatus: 2.1.5\nDiagnostic-Code: smtp; 250 2.1.5 Ok\n",
			want: []string{"failure 250 2.1.5"},
			min:  0.9,
		},
		{
			name:  "postfix said",
			text:  "<a@example.com>: host mx.example.com[192.0.2.1] said: 554 5.7.1 <a@example.com>:\n    Relay access denied (in reply to RCPT TO command)\n",
			want:  []string{"failure 554 5.7.1"},
			text0: "<a@example.com>: Relay access denied",
			min:   0.8,
		},
		{
			name:  "exchange remote server returned",
			text:  "a@example.com\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n",
			want:  []string{"failure 550 5.1.10"},
			text0: "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
			min:   0.8,
		},
		{
			name:  "exchange 2003",
			text:  "The following recipient(s) could not be reached:\n\n      a@example.com on 01/05/2024 12:55\n            The e-mail account does not exist at the organization this message was sent to.\n            <mx.example.com #5.1.1 smtp;550 5.1.1 User unknown>\n",
			want:  []string{"failure 550 5.1.1"},
			text0: "User unknown",
			min:   0.8,
		},
		{
			name:  "postfix log deferred",
			text:  "May  1 12:55:01 mx postfix/smtp[12345]: 4F3A2B5501: to=<a@example.com>, relay=none, delay=30, delays=0.01/0/30/0, dsn=4.4.1, status=deferred (connect to mx.example.com[192.0.2.1]:25: Connection timed out)",
			want:  []string{"failure 4.4.1"},
			text0: "connect to mx.example.com[192.0.2.1]:25: Connection timed out",
			min:   0.8,
		},
		{
			name:  "postfix log bounced",
			text:  "May  1 12:55:01 mx postfix/smtp[12345]: 4F3A2B5501: to=<a@example.net>, relay=mx.example.net[198.51.100.7]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.1.1, status=bounced (host mx.example.net[198.51.100.7] said: 550 5.1.1 <a@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command))",
			want:  []string{"failure 550 5.1.1"},
			text0: "<a@example.net>: Recipient address rejected: User unknown",
			min:   0.8,
		},
		{
			name: "postfix log sent",
			text: "May  1 12:55:01 mx postfix/smtp[12345]: 4F3A2B5501: to=<a@example.net>, relay=mx.example.net[198.51.100.7]:25, delay=0.9, delays=0.1/0/0.3/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9C1D2E3F40)",
			want: []string{"context 250 2.0.0"},
			min:  0.8,
		},
		{
			name: "exim bounce",
			text: "This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n" +
				"  a@example.com\n    SMTP error from remote mail server after RCPT TO:<a@example.com>:\n    550 5.1.1 <a@example.com>: Recipient address rejected: User unknown\n",
			want:  []string{"failure 550 5.1.1"},
			text0: "<a@example.com>: Recipient address rejected: User unknown",
			min:   0.8,
		},
		{
			name: "exim host line",
			text: "  a@example.com\n    host mx.example.com [192.0.2.1]: 550 5.7.1 Connections not accepted from servers without a valid sender domain\n",
			want: []string{"failure 550 5.7.1"},
			min:  0.5,
		},
		{
			name: "exim retry timeout, no code",
			text: "This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  a@example.com\n    retry timeout exceeded\n",
			want: []string{},
			min:  0.5,
		},
		{
			// Exim's words under the address state the failure: the
			// returned message's style sheet ("width: 550=", quoted-
			// printable) holds no code of the bounce's.
			name: "exim words, then the returned message",
			text: "This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  a@example.com\n    (sa) User profile spam level exceeded\n\n" +
				"------ This is a copy of the message, including all the headers. ------\n\nContent-Type: text/html; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n.sheet { margin: 79px; width: 550=\npx; }\n",
			want: []string{},
			min:  0.5,
		},
		{
			// Postfix joins a multi-line reply into its wrapped lines,
			// the continuations' "550-" and the last "550 " inline.
			name:  "postfix said, multi-line reply wrapped",
			text:  "<a@example.net>: host mx.example.net[192.0.2.1] said: 550-The mail server\n    could not deliver mail to a@example.net.  The account 550-or domain may\n    not exist, they may be blacklisted, or missing the proper dns 550 entries.\n    (in reply to RCPT TO command)\n",
			want:  []string{"failure 550"},
			text0: "The mail server could not deliver mail to a@example.net. The account or domain may not exist, they may be blacklisted, or missing the proper dns entries.",
			min:   0.5,
		},
		{
			// Gmail's multi-line reply as Postfix wraps it: some wrapped
			// lines open with the continuation's "550-5.7.1".
			name:  "postfix said, gmail multi-line reply wrapped",
			text:  "<a@gmail.com>: host gmail-smtp-in.l.google.com[142.250.1.27] said: 550-5.7.1 [192.0.2.1] Gmail has detected that this message is likely\n    unsolicited mail. To reduce the amount of spam sent to Gmail, this message\n    550-5.7.1 has been blocked. Please visit\n    550 5.7.1  https://support.google.com/mail/?p=UnsolicitedMessageError a1si1 - gsmtp (in reply to end of DATA command)\n",
			want:  []string{"failure 550 5.7.1"},
			text0: "[192.0.2.1] Gmail has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. Please visit https://support.google.com/mail/?p=UnsolicitedMessageError a1si1 - gsmtp",
			min:   0.8,
		},
		{
			name: "exim log line",
			text: "2024-05-01 12:55:01 1rABCD-000123-Xy ** a@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.1]: SMTP error from remote mail server after RCPT TO:<a@example.com>: 550 5.1.1 User unknown",
			want: []string{"failure 550 5.1.1"},
			min:  0.8,
		},
		{
			name:  "sendmail transcript",
			text:  "   ----- Transcript of session follows -----\n... while talking to mx.example.com.:\n>>> DATA\n<<< 550 5.1.1 <a@example.com>... User unknown\n550 5.1.1 <a@example.com>... User unknown\n<<< 503 5.0.0 Need RCPT (recipient)\n",
			want:  []string{"failure 550 5.1.1", "context 503 5.0.0"},
			text0: "<a@example.com>... User unknown",
			min:   0.8,
		},
		{
			name: "sendmail log",
			text: "May  1 12:55:01 mx sm-mta[4321]: 441CtA1a012345: to=<a@example.com>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120534, relay=mx.example.com. [192.0.2.1], dsn=5.1.1, stat=User unknown",
			want: []string{"failure 5.1.1"},
			min:  0.8,
		},
		{
			name: "sendmail log deferred",
			text: "May  1 12:55:01 mx sendmail[4321]: 441CtA1a012345: to=<a@example.com>, delay=00:00:05, mailer=esmtp, pri=30000, relay=mx.example.com. [192.0.2.1], dsn=4.0.0, stat=Deferred: 421 4.7.0 Try again later",
			want: []string{"failure 421 4.7.0"}, // dsn=4.0.0 says only "deferred"
			min:  0.8,
		},
		{
			name:  "qmail remote host said",
			text:  "Hi. This is the qmail-send program at mail.example.net.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n\n<a@example.com>:\n192.0.2.1 does not like recipient.\nRemote host said: 550 5.1.1 <a@example.com>... User unknown\nGiving up on 192.0.2.1.\n",
			want:  []string{"failure 550 5.1.1"},
			text0: "<a@example.com>... User unknown",
			min:   0.8,
		},
		{
			// Postfix wraps a long reply at the said line's indentation;
			// every line up to the blank one is the reply's.
			name:  "postfix said, words on the said line, wrapped at the same indentation",
			text:  "<a@outlook.com>: host\n    outlook-com.olc.protection.outlook.com[52.101.68.1] said: 451 4.7.650 The\n    mail server [192.0.2.25] has been temporarily rate limited due to IP\n    reputation. For e-mail delivery information, see\n    https://postmaster.live.com (S3113) (in reply to MAIL FROM command)\n\n",
			want:  []string{"failure 451 4.7.650"},
			text0: "The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S3113)",
			min:   0.5,
		},
		{
			name:  "postfix said lines indented, without blank lines between",
			text:  "    host mx1.example.net[192.0.2.1] said: 550 5.1.1 <a@example.net>: Recipient\n    address rejected: User unknown\n    host mx2.example.net[192.0.2.2] said: 552 5.2.2 <b@example.net>: Mailbox full\n",
			want:  []string{"failure 550 5.1.1", "failure 552 5.2.2"},
			text0: "<a@example.net>: Recipient address rejected: User unknown",
			min:   0.5,
		},
		{
			name:  "qmail no host",
			text:  "<a@example.net>:\nSorry, I couldn't find any host named example.net. (#5.1.2)\n",
			want:  []string{"failure 5.1.2"},
			text0: "Sorry, I couldn't find any host named example.net.",
			min:   0.5,
		},
		{
			name: "smtp transcript",
			text: "220 mx.example.com ESMTP\nEHLO client.example.org\n250-mx.example.com\n250-PIPELINING\n250 8BITMIME\n" +
				"MAIL FROM:<a@example.org>\n250 2.1.0 Ok\nRCPT TO:<b@example.com>\n250 2.1.5 Ok\nDATA\n354 End data with <CR><LF>.<CR><LF>\n.\n" +
				"554 5.7.1 Message rejected as spam\nQUIT\n221 2.0.0 Bye\n",
			want:  []string{"failure 554 5.7.1", "context 220", "context 250 2.1.0", "context 250 2.1.5", "context 354", "context 221 2.0.0"},
			text0: "Message rejected as spam",
			min:   0.8,
		},
		{
			name: "transcript with S: and C:",
			text: "S: 220 mx.example.com ESMTP\nC: MAIL FROM:<a@example.org>\nS: 250 OK\nC: RCPT TO:<b@example.com>\nS: 550 No such user here\n",
			want: []string{"failure 550", "context 220", "context 250"},
			min:  0.8,
		},
		{
			name:  "bare server line",
			text:  "550 5.1.1 User unknown",
			want:  []string{"failure 550 5.1.1"},
			text0: "User unknown",
			min:   0.5, max: 0.79,
		},
		{
			name: "reply code alone",
			text: "550 Requested action not taken: mailbox unavailable",
			want: []string{"failure 550"},
			min:  0.4, max: 0.79,
		},
		{
			name: "enhanced code alone",
			text: "5.7.1 Relay access denied",
			want: []string{"failure 5.7.1"},
			min:  0.4, max: 0.79,
		},
		{
			name: "reply and enhanced of different classes do not pair",
			text: "550 4.2.2 Mailbox full",
			want: []string{"failure 550", "failure 4.2.2"},
			min:  0.4, max: 0.79,
		},
		{
			name: "quoted e-mail reply",
			text: "> 550 5.1.1 <a@example.com>: Recipient address rejected",
			want: []string{"failure 550 5.1.1"},
			min:  0.5,
		},
		{
			// Yahoo's older MTAs write a number of their own between the
			// reply code and the words.
			name: "Yahoo's number after the reply code",
			text: "host mta5.am0.yahoodns.net[192.0.2.7] said: 554 30 Sorry, your message to a@yahoo.com cannot be delivered. This mailbox is disabled (554.30).",
			want: []string{"failure 554"},
			min:  0.5,
		},
		{
			name: "Yahoo's number, the reply opening the line",
			text: "552 1 Requested mail action aborted, mailbox not found",
			want: []string{"failure 552"},
			min:  0.5,
		},
		{
			name: "JSON notification",
			text: `{"notificationType":"Bounce","bounce":{"bouncedRecipients":[{"emailAddress":"a@example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}]}}`,
			want: []string{"failure 550 5.1.1"},
			min:  0.8,
		},
	})
}

func TestExtractNotCodes(t *testing.T) {
	none := []string{}
	runExtractCases(t, []extractCase{
		{name: "times", text: "The job ran at 12:55:01 and again at 13:55.", want: none, max: 0.29},
		{name: "dates", text: "Released 2024-05-01, patched 01.05.2024 and 5.12.2024.", want: none, max: 0.29},
		{name: "IP addresses", text: "Hosts 192.0.2.550 and 10.4.5.1 and 203.0.113.250 are down", want: none, max: 0.29},
		{name: "IPv6", text: "Listening on 2001:db8::250 and fe80::1:550", want: none, max: 0.29},
		{name: "versions", text: "Upgraded Postfix 3.5.1 to version 4.5.1 yesterday; v2.1.0 next, then 5.1.1-rc1", want: none, max: 0.29},
		{name: "release", text: "The 4.5.1 release is out.", want: none, max: 0.29},
		{name: "deploy", text: "the deploy of 4.5.1 went fine", want: none, max: 0.29},
		{name: "version at line start", text: "4.5.1 release notes\n5.2.0 changelog", want: none, max: 0.29},
		{name: "sizes", text: "The attachment is 550 KB, the limit 550MB, the log 421 bytes.", want: none, max: 0.29},
		{name: "prices", text: "It costs $550 or 450€ or 550 USD.", want: none, max: 0.29},
		{name: "phone", text: "Call +1 555 550 1234 or (555) 550-1234.", want: none, max: 0.29},
		{name: "message id", text: "Message-ID: <20240501125501.4F3A2B5501@mx.example.com>", want: none, max: 0.29},
		{name: "queue id", text: "queue id 4F3A2B5501 and 550AB12 and 5501234", want: none, max: 0.29},
		{name: "ports", text: "connect to mx.example.com:25 or port 587, port 465, mx.example.com:465", want: none, max: 0.29},
		{name: "hex and words", text: "0x550 deadbeef 550abc a550 x421y", want: none, max: 0.29},
		{name: "longer numbers", text: "order 12550 and 5501 and 1550.5", want: none, max: 0.29},
		{name: "decimals", text: "load 550.25 and 4.5", want: none, max: 0.29},
		{name: "people", text: "meeting at 5.30, 550 people came", want: none, max: 0.29},
		{name: "pull request number", text: "PR #550 merged, thanks! INC-4211 closed", want: none, max: 0.29},
		{name: "issue number on a line of its own", text: "#421", want: none, max: 0.29},
		{name: "list of numbers", text: "scores: 421 550 554", want: none, max: 0.29},
		{name: "a count after a code in prose", text: "we saw 550 30 times and 421 12 more", want: none, max: 0.29},
		{name: "a count after a code and a colon", text: "errors: 550 30 days in a row", want: none, max: 0.29},
		{name: "section numbers", text: "See RFC 5321 section 4.2.1 and RFC 3463 section 3.1.", want: none, max: 0.29},
		{name: "exit status", text: "(reason: 255)", want: none, max: 0.29},
		{name: "received header", text: "Received: from mx.example.com (192.0.2.1) by mx2.example.com with Microsoft SMTP Server (version=TLS1_2) id 15.20.1038.13; Sun, 5 Aug 2018 03:46:55 +0000", want: none, max: 0.29},
	})
}

func TestExtractQuoted(t *testing.T) {
	runExtractCases(t, []extractCase{
		{name: "plural", text: "we keep getting 550s from Gmail since this morning", want: []string{"quoted 550"}, max: 0.29},
		{name: "docs", text: "see 5.7.26 in Google's docs", want: []string{"quoted 5.7.26"}, max: 0.29},
		{name: "got a", text: "Anyone else got a 421 from Outlook today?", want: []string{"quoted 421"}, max: 0.29},
		{name: "error word in chatter", text: "the relay answers with error 554 for everything", want: []string{"quoted 554"}, max: 0.4},
		{name: "pair in prose", text: "I think 550 5.1.1 means the user does not exist", want: []string{"quoted 550 5.1.1"}, max: 0.29},
		{name: "prose in backticks", text: "is `550 means the mailbox is unavailable` right?", want: nil, max: 0.29},
		{name: "a quote left open", text: "getting \"550 5.1.1 user unknown for all of them", want: []string{"quoted 550 5.1.1"}, max: 0.29},
		{name: "pair after error in a log", text: "SMTP error 550 5.7.1 when sending to bob@example.com", want: []string{"failure 550 5.7.1"}, min: 0.5, max: 0.79},
	})
}

func TestExtractOrderAndDedupe(t *testing.T) {
	runExtractCases(t, []extractCase{
		{
			name: "failures first, then context, then quoted",
			text: "220 mx.example.com ESMTP\n250 2.1.0 Ok\n550 5.1.1 User unknown\n" +
				"Note: see 5.7.26 in the docs\n",
			want: []string{"failure 550 5.1.1", "context 220", "context 250 2.1.0", "quoted 5.7.26"},
		},
		{
			name: "failures in order of appearance",
			text: "<<< 452 4.2.2 Mailbox full\n<<< 550 5.1.1 User unknown\n<<< 452 4.2.2 Mailbox full\n",
			want: []string{"failure 452 4.2.2", "failure 550 5.1.1"},
		},
		{
			name: "a code both quoted and failing is a failure",
			text: "see 5.1.1 in the docs\n550 5.1.1 User unknown\n",
			want: []string{"failure 550 5.1.1"},
		},
		{
			name: "reply alone merges into the pair",
			text: "Remote host said: 550 Mailbox unavailable\n\nStatus: 5.2.1\nDiagnostic-Code: smtp; 550 5.2.1 Mailbox disabled\n",
			want: []string{"failure 550 5.2.1"},
		},
		{
			name: "DSN verdict before other failures",
			text: "<a@example.org>: host mx.example.org[198.51.100.18] refused to talk to me:\n    554 Blocked\n\n" +
				"Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 4.0.0\nDiagnostic-Code: smtp; 554 Blocked\n",
			want: []string{"failure 4.0.0", "failure 554"},
		},
		{
			name: "server's enhanced code over a bare Status",
			text: "Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 5.1.1 <a@example.org>... User Unknown\n",
			want: []string{"failure 550 5.1.1"},
		},
		{
			name: "transcript reply to QUIT after the failure",
			text: "... while talking to mx.example.com.:\n>>> RCPT To:<a@example.com>\n<<< 550 5.1.1 User unknown\n>>> QUIT\n<<< 221 2.0.0 Bye\n",
			want: []string{"failure 550 5.1.1", "context 221 2.0.0"},
		},
	})
}

func TestExtractServerTextBounds(t *testing.T) {
	long := "550 5.7.1 " + strings.Repeat("é", 400)
	ex := Extract(long)
	if len(ex.Findings) != 1 {
		t.Fatalf("got %v", brief(ex))
	}
	st := ex.Findings[0].ServerText
	if len(st) > maxServerText || !strings.HasPrefix(st, "éé") || strings.ContainsRune(st, '\uFFFD') {
		t.Errorf("server text of %d bytes: %q", len(st), st[len(st)-8:])
	}
}

func TestExtractEmpty(t *testing.T) {
	for _, s := range []string{"", "\n\n", "hello", "550", "5.1.1"} {
		ex := Extract(s)
		if s == "550" || s == "5.1.1" {
			if len(ex.Findings) != 1 {
				t.Errorf("%q: got %v", s, brief(ex))
			}
			continue
		}
		if len(ex.Findings) != 0 || ex.Confidence != 0 {
			t.Errorf("%q: got %v at %.2f", s, brief(ex), ex.Confidence)
		}
	}
}

// TestExtractHostileInputs feeds megabyte inputs built to make a careless
// scanner quadratic: one line full of codes, endless continuations, an
// unclosed <style>, thousands of MIME parts. Each takes milliseconds; the
// bound (hostileLimit) is loose for busy machines and the race detector.
func TestExtractHostileInputs(t *testing.T) {
	distinct := func() string {
		var b strings.Builder
		for i := 0; i < 100000; i++ {
			b.WriteString("5")
			b.WriteByte(byte('0' + i%6))
			b.WriteByte(byte('0' + i/6%10))
			b.WriteString(" 5.")
			b.WriteString(strings.Repeat("1", 1+i%3))
			b.WriteString(".1 x\n")
		}
		return b.String()
	}
	for name, s := range map[string]string{
		"one line of pairs":       strings.Repeat("550 5.1.1 x ", 100000),
		"one line of said":        strings.Repeat("said: 550 x ", 100000),
		"unpaired classes":        strings.Repeat("550 4.2.2 ", 100000),
		"continuations":           strings.Repeat("550-5.1.1 x\n", 100000),
		"status lines":            strings.Repeat("Status: 5.1.1\n", 100000),
		"folded diagnostic":       "Diagnostic-Code: smtp; 550 x\n" + strings.Repeat(" 550-5.1.1 y\n", 100000),
		"transcript":              strings.Repeat("<<< 550 5.1.1 x\n>>> RCPT TO:<a@b>\n", 50000),
		"prose":                   strings.Repeat("getting 550s and see 5.7.26 ", 50000),
		"json":                    strings.Repeat(`{"status":"5.1.1","smtpResponse":"550 5.1.1 x"},`, 30000),
		"wrapped lines":           "  550 5.1.1 x\n" + strings.Repeat("      wrapped 550 text\n", 100000),
		"many parts":              "Content-Type: multipart/mixed; boundary=b\n\n" + strings.Repeat("--b\nContent-Type: text/plain\n\n550 5.1.1 x\n", 20000) + "--b--\n",
		"nested messages":         strings.Repeat("Content-Type: message/rfc822\n\n", 10000),
		"unclosed style":          "Content-Type: text/html\n\n" + strings.Repeat("<p>550 5.1.1 x</p><style>", 50000),
		"brackets":                strings.Repeat("<<<<(((( 550 5.1.1 x>>>>))))", 30000),
		"many distinct codes":     distinct(),
		"base64 garbage":          "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n" + strings.Repeat("NTUw!IDUu@MS4x=", 60000),
		"quoted-printable breaks": "Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n" + strings.Repeat("550 5.1.1=\n", 100000),
	} {
		start := time.Now()
		Extract(s)
		if d := time.Since(start); d > hostileLimit {
			t.Errorf("%s: %d bytes took %v", name, len(s), d)
		}
	}
}

// TestFirstSitesFit checks that the first sites' slice stays within the
// 512 bytes that the allocator serves without a header: growing codeSite
// must lower firstSites, or the one-code paste pays for the header again.
func TestFirstSitesFit(t *testing.T) {
	if n := unsafe.Sizeof(codeSite{}) * firstSites; n > 512 {
		t.Errorf("firstSites codeSites take %d bytes, more than 512", n)
	}
}

// TestExtractScratchReused: Extract reuses the scratch of earlier calls,
// so a text must read the same whatever was read before it, and in
// goroutines at once.
func TestExtractScratchReused(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "bounces", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no bounces: %v", err)
	}
	var texts []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(raw))
	}
	first := make([]Extraction, len(texts))
	for i, text := range texts {
		first[i] = Extract(text)
	}
	for i := len(texts) - 1; i >= 0; i-- {
		if got := Extract(texts[i]); !reflect.DeepEqual(got, first[i]) {
			t.Errorf("%s read after the others: %+v, first %+v", files[i], got, first[i])
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for k := range texts {
				i := (k + g*3) % len(texts)
				if got := Extract(texts[i]); !reflect.DeepEqual(got, first[i]) {
					t.Errorf("%s in goroutine %d: %+v, first %+v", files[i], g, got, first[i])
				}
			}
		})
	}
	wg.Wait()
}

// TestDelayedReports: a DSN block with "Action: delayed" is a warning, and
// its status is marked so; a code that one recipient failed with and
// another was only delayed with has bounced.
func TestDelayedReports(t *testing.T) {
	block := func(rcpt, action, status string) string {
		return "Final-Recipient: rfc822; " + rcpt + "\nAction: " + action + "\nStatus: " + status + "\n\n"
	}
	head := "Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
	for _, tt := range []struct {
		name, blocks string
		want         map[string]bool // code -> Delayed
	}{
		{"delayed", block("a@example.com", "delayed", "4.4.1"), map[string]bool{"4.4.1": true}},
		{"failed", block("a@example.com", "failed", "4.4.1"), map[string]bool{"4.4.1": false}},
		{"Delayed in capitals", block("a@example.com", "Delayed", "4.2.2"), map[string]bool{"4.2.2": true}},
		{"one of each", block("a@example.com", "failed", "5.1.1") + block("b@example.com", "delayed", "4.4.1"),
			map[string]bool{"5.1.1": false, "4.4.1": true}},
		// Two recipients, one given up on and one still retried, are two
		// findings of the same code, each with its own state.
		{"the same code failed and delayed", block("a@example.com", "failed", "4.4.1") + block("b@example.com", "delayed", "4.4.1"),
			map[string]bool{"4.4.1 failed": false, "4.4.1 delayed": true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ex := Extract(head + tt.blocks + "--B--\n")
			got := map[string]bool{}
			codes := map[string]int{}
			for _, f := range ex.Findings {
				codes[f.Code.String()]++
			}
			for _, f := range ex.Findings {
				key := f.Code.String()
				if codes[key] > 1 {
					key += map[bool]string{false: " failed", true: " delayed"}[f.Delayed]
				}
				got[key] = f.Delayed
				if f.Delayed && !f.Final {
					t.Errorf("%s delayed but not final", f.Code)
				}
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("delayed by code %v, want %v (%s)", got, tt.want, brief(ex))
			}
		})
	}
}

// TestBulletAnchors: a code after a list's bullet stands at the start of
// its line (Mimecast's "-- 5.4.1 Recipient address rejected: Access
// denied."), as it would without the bullet; dashes inside a sentence are
// no bullet.
func TestBulletAnchors(t *testing.T) {
	for _, tt := range []struct {
		text    string
		failure bool
	}{
		{"The problem appears to be :\n-- 5.4.1 Recipient address rejected: Access denied.\n", true},
		{"Errors:\n* 550 5.1.1 <jdoe@example.com>: User unknown\n", true},
		{"Errors:\n• 550 5.1.1 <jdoe@example.com>: User unknown\n", true},
		{"see ticket -- 5.4.1 for the notes\n", false},
		{"see ticket - 550 for the notes\n", false},
	} {
		ex := Extract(tt.text)
		failed := len(ex.Findings) > 0 && ex.Findings[0].Role == RoleFailure
		if failed != tt.failure {
			t.Errorf("%q: %s, want a failure: %v", tt.text, brief(ex), tt.failure)
		}
	}
}

// TestEximMultiLineReply: in the block under a failed address, Exim writes
// each line of a multi-line reply at the same indentation and without its
// code; they are one reply. Outside such a block a short line is whole.
func TestEximMultiLineReply(t *testing.T) {
	block := "A message that you sent could not be delivered to one or more of its\n" +
		"recipients. This is a permanent error. The following address(es) failed:\n\n" +
		"  jdoe@example.com\n" +
		"    host smtp.example.net [192.0.2.222]\n" +
		"    SMTP error from remote mail server after end of data:\n" +
		"    550 5.2.0 <alice@example.org> From:\n" +
		"    Domain is invalid. Please provide a valid From:\n" +
		"    IB506  <http://example.com/506>\n\n"
	ex := Extract(block)
	if len(ex.Findings) == 0 || ex.Findings[0].ServerText != "<alice@example.org> From: Domain is invalid. Please provide a valid From: IB506 <http://example.com/506>" {
		t.Errorf("in a block: %s", brief(ex))
	}
	loose := "Notes:\n    550 5.2.0 short words\n    the next note\n"
	if ex := Extract(loose); len(ex.Findings) == 0 || ex.Findings[0].ServerText != "short words" {
		t.Errorf("outside a block: %s", brief(ex))
	}
}

// TestIndentedDSN: a delivery report pasted with every line indented keeps
// all its fields: a field's folded lines are those indented deeper than it.
func TestIndentedDSN(t *testing.T) {
	text := "  Final-Recipient: rfc822; jdoe@example.com\n  Action: failed\n  Status: 5.1.1\n" +
		"  Diagnostic-Code: smtp; 550 5.1.1 <jdoe@example.com>: Recipient address\n" +
		"      rejected: User unknown\n"
	ex := Extract(text)
	if len(ex.Findings) == 0 || ex.Findings[0].Code.String() != "550 5.1.1" || !strings.Contains(ex.Findings[0].ServerText, "User unknown") {
		t.Errorf("%s", brief(ex))
	}
}

// TestDelayWarningText: Exim's delay warning is plain text, with no
// delivery report: its transient failures are delay warnings too. Its
// bounce, which says "could not be delivered", is not.
func TestDelayWarningText(t *testing.T) {
	block := "\n  bob@example.com\n    host mx1.example.com [192.0.2.10]\n" +
		"    SMTP error from remote mail server after RCPT TO:<bob@example.com>:\n" +
		"    451 4.7.1 Please try again later\n\n"
	for _, tt := range []struct {
		intro   string
		delayed bool
	}{
		{"A message that you sent has not yet been delivered to one or more of its\nrecipients after more than 24 hours on the queue on mx.example.net.\n", true},
		{"# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n", true},
		{"A message that you sent could not be delivered to one or more of its\nrecipients. This is a temporary error. The following address(es) deferred:\n", false},
	} {
		ex := Extract(tt.intro + block)
		if len(ex.Findings) == 0 || ex.Findings[0].Delayed != tt.delayed || ex.Findings[0].Final != tt.delayed {
			t.Errorf("%.40q: %s, want delayed %v", tt.intro, brief(ex), tt.delayed)
		}
	}
}

// TestUnpairedCodes: a reply written with an enhanced code of another
// class keeps that code as Unpaired, so that the answer can say the server
// erred; a pair of one class, or a code alone, has none.
func TestUnpairedCodes(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Remote Server returned '550 4.4.7 QUEUE.Expired; message expired'", "4.4.7"},
		{"#550 4.4.7 QUEUE.Expired; message expired ##", "4.4.7"},
		{"Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'", ""},
		{"Remote Server returned '550 Mailbox unavailable'", ""},
	}
	for _, tt := range tests {
		ex := Extract(tt.text)
		if len(ex.Findings) == 0 {
			t.Errorf("%q: nothing found", tt.text)
			continue
		}
		got := ""
		if u := ex.Findings[0].Unpaired; !u.IsZero() {
			got = u.String()
		}
		if got != tt.want {
			t.Errorf("%q: unpaired %q, want %q", tt.text, got, tt.want)
		}
	}
}
