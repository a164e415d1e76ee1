package extract

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// pipelined is a Sendmail transcript of a pipelined transaction: the
// three commands, then their replies in the order sent, with Sendmail's own
// line repeating the refusal of the recipient.
const pipelined = "   ----- Transcript of session follows -----\n... while talking to mx.example.com.:\n" +
	">>> MAIL From:<alice@example.net> SIZE=1234\n>>> RCPT To:<bob@example.com>\n>>> DATA\n" +
	"<<< 250 2.1.0 Ok\n<<< 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown\n" +
	"550 5.1.1 <bob@example.com>... User unknown\n<<< 554 5.5.1 Error: no valid recipients\n"

// TestCommand checks that a failure carries the SMTP command its reply
// answered, as each kind of bounce writes it, and none where the text
// does not say.
func TestCommand(t *testing.T) {
	tests := []struct {
		name, text, code, want string
	}{
		{"postfix end of data", "<jdoe@example.ne.jp>: host mx.example.ne.jp[192.0.2.1] said: 550\n    : User unknown (in reply to end of DATA command)\n", "550", CommandDATA},
		{"postfix rcpt", "<jdoe@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1\n    <jdoe@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO\n    command)\n", "550 5.1.1", CommandRCPT},
		{"postfix mail from", "<jdoe@example.com>: host mx.example.com[192.0.2.1] said: 553 5.1.8\n    Sender address rejected: Domain not found (in reply to MAIL FROM command)\n", "553 5.1.8", CommandMAIL},
		{"exim after rcpt", "  jdoe@example.com\n    SMTP error from remote mail server after RCPT TO:<jdoe@example.com>:\n    host mx.example.com [192.0.2.1]: 550 5.1.1 <jdoe@example.com>... User unknown\n", "550 5.1.1", CommandRCPT},
		{"exim after end of data", "  jdoe@example.com\n    SMTP error from remote mail server after end of data:\n    host mx.example.com [192.0.2.1]: 550 5.7.1 Message rejected as spam\n", "550 5.7.1", CommandDATA},
		{"sendmail transcript", "   ----- Transcript of session follows -----\n... while talking to mx.example.jp.:\n>>> DATA\n<<< 550 Unknown user jdoe@example.jp\n554 5.0.0 Service unavailable\n", "550", CommandDATA},
		{"transcript rcpt", ">>> RCPT To:<jdoe@example.jp>\n<<< 550 5.1.1 <jdoe@example.jp>... User unknown\n", "550 5.1.1", CommandRCPT},
		// RFC 2920 section 3.1: with PIPELINING the client sends MAIL, RCPT
		// and DATA together and the server answers them in the order sent.
		{"pipelined rcpt", pipelined, "550 5.1.1", CommandRCPT},
		{"pipelined data", pipelined, "554 5.5.1", CommandDATA},
		{"pipelined mail", pipelined, "250 2.1.0", CommandMAIL},
		// A multi-line reply answers one command: EHLO's does not use up
		// the MAIL that follows it.
		{"pipelined after a multi-line reply", ">>> EHLO client.example.net\n<<< 250-mx.example.com\n<<< 250-PIPELINING\n<<< 250 8BITMIME\n" +
			">>> MAIL From:<a@example.net>\n>>> RCPT To:<b@example.com>\n<<< 250 2.1.0 Ok\n<<< 550 5.1.1 <b@example.com>: User unknown\n", "550 5.1.1", CommandRCPT},
		// Unmarked lines, one command and its reply after another.
		{"unmarked transcript", "MAIL FROM:<a@example.net>\n250 2.1.0 Ok\nRCPT TO:<b@example.com>\n550 5.1.1 User unknown\n", "550 5.1.1", CommandRCPT},
		{"qmail rcpt", "<jdoe@example.com>:\n192.0.2.1 does not like recipient.\nRemote host said: 550 5.1.1 <jdoe@example.com>... User unknown\nGiving up on 192.0.2.1.\n", "550 5.1.1", CommandRCPT},
		{"qmail sender", "<jdoe@example.com>:\nConnected to 192.0.2.1 but sender was rejected.\nRemote host said: 553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)\n", "553 5.7.1", CommandMAIL},
		{"qmail helo", "<jdoe@example.com>:\nConnected to 192.0.2.1 but my name was rejected.\nRemote host said: 550 Access denied\n", "550", CommandHELO},
		{"qmail data", "<jdoe@example.com>:\n192.0.2.1 failed after I sent the message.\nRemote host said: 554 5.7.1 Message rejected\n", "554 5.7.1", CommandDATA},
		{"postfix refused greeting", "<jdoe@example.org>: host mx.example.org[198.51.100.18] refused to talk to me:\n    554 5.7.1 Service unavailable\n", "554 5.7.1", CommandHELO},
		{"gmx after rcpt", "\"jdoe@example.jp\":\nSMTP error from remote server after RCPT command:\nhost: mx.example.jp\n550 5.1.1 <jdoe@example.jp>... User unknown\n", "550 5.1.1", CommandRCPT},
		{"1&1 text command", "jdoe@example.fr:\nSMTP error from remote server for TEXT command, host: smtp-in.example.fr (192.0.2.1) reason: 550 5.2.0 Mail rejected\n", "550 5.2.0", CommandDATA},
		// The phrase on the line before introduces the next line's reply
		// only from near its end, as qmail writes it; here the refused
		// greeting's own reply followed it on its line.
		{"a phrase far back on the line before", "May  1 12:55:02 mx postfix/smtp[1]: 4F3A: to=<a@example.org>, status=bounced (host mx.example.org[198.51.100.7] refused to talk to me: " +
			"554 5.7.1 Service unavailable; Client host [192.0.2.4] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.4)\n" +
			"May  1 12:55:03 mx postfix/smtp[2]: 4F3B: to=<b@example.com>, status=bounced (host mx.example.com[203.0.113.25] said: 550 5.1.1 <b@example.com>: User unknown)\n", "550 5.1.1", ""},
		// Exim's words introduce the next line's reply only when they end
		// their line; here their own reply followed them on it.
		{"exim words with their reply on their line", "SMTP error from remote mail server after MAIL FROM:<a@example.net>: 550 5.7.1 Sender rejected\n452 4.5.3 Too many recipients\n", "452 4.5.3", ""},
		// Postfix's transcript in a notice to the postmaster: " In:" lines
		// are the client's, " Out:" lines the server's; a command's folded
		// arguments are not a header block that hides the rest.
		{"postfix postmaster transcript", "Transcript of session follows.\n\n Out: 220 mx.example.com ESMTP\n In:  MAIL\n     FROM:<a@example.net>\n     SIZE=20088\n" +
			" Out: 250 2.1.0 Ok\n In:  RCPT TO:<b@example.com>\n Out: 250 2.1.5 Ok\n In:  DATA\n Out: 354 End data with <CR><LF>.<CR><LF>\n" +
			" Out: 451 4.3.0 Error: queue file write error\n In:  QUIT\n Out: 221 2.0.0 Bye\n", "451 4.3.0", CommandDATA},
		// Postfix wrapped before the words: the code ends its line, and
		// "(in reply to" breaks across the lines after it.
		{"postfix words after said: on the lines below", "<jdoe@example.ne.jp>: host\n    mx.example.ne.jp[192.0.2.1] said: 550\n    <jdoe@example.ne.jp>: User unknown (in reply to\n    RCPT TO command)\n", "550", CommandRCPT},
		{"postfix rewrapped flush left", "<jdoe@example.jp>: host mx.example.jp[192.0.2.1] said: 550 5.2.1\n<jdoe@example.jp>... User Unknown (in reply to RCPT TO command)\n", "550 5.2.1", CommandRCPT},
		// DragonFly's dma: "%s [%s] did not like our %s:" then the reply.
		{"dma rcpt", "mx.example.net [192.0.2.25] did not like our RCPT TO:\n550 5.2.1 <jdoe@example.net>: Recipient address rejected: User unknown\n", "550 5.2.1", CommandRCPT},
		{"dma final data", "mx.example.net [192.0.2.25] did not like our final DATA:\n554 5.7.1 Message rejected\n", "554 5.7.1", CommandDATA},
		// qmail-remote's fallback patch names the furthest step reached.
		{"qmail most progress", "<jdoe@example.jp>:\nSorry, no SMTP connection got far enough; most progress was RCPT TO response; remote host 192.0.2.32 said: 550 Unknown user jdoe@example.jp\n", "550", CommandRCPT},
		{"a bare reply", "550 5.1.1 <jdoe@example.com>: Recipient address rejected: User unknown\n", "550 5.1.1", ""},
		{"a database is not DATA", "Error: database is down\n451 4.3.0 Temporary lookup failure\n", "451 4.3.0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found := false
			for _, f := range Extract(tt.text).Findings {
				if f.Code.String() != tt.code {
					continue
				}
				found = true
				if f.Command != tt.want {
					t.Errorf("%s: command %q, want %q", tt.code, f.Command, tt.want)
				}
			}
			if !found {
				t.Errorf("no finding %s in %+v", tt.code, Extract(tt.text).Findings)
			}
		})
	}
}

// commandAtInTurn is commandAt as it was, trying every verb in turn.
func commandAtInTurn(s string) string {
	for _, v := range commandVerbs {
		if hasPrefixFold(s, v.prefix) && (len(s) == len(v.prefix) || !ascii.IsAlnum(s[len(v.prefix)])) {
			return v.name
		}
	}
	return ""
}

// FuzzCommandAt checks commandAt, which tries only the verbs with the
// text's first letter, against trying every verb in turn.
func FuzzCommandAt(f *testing.F) {
	for _, v := range commandVerbs {
		f.Add(v.prefix)
		f.Add(strings.ToUpper(v.prefix) + ":<a@b>")
	}
	f.Add("database")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := commandAt(s), commandAtInTurn(s); got != want {
			t.Fatalf("commandAt(%q) = %q, trying every verb %q", s, got, want)
		}
	})
}

func TestCommandAt(t *testing.T) {
	for in, want := range map[string]string{
		"end of DATA command)": CommandDATA,
		"DATA":                 CommandDATA,
		"database":             "",
		"RCPT TO:<a@b>":        CommandRCPT,
		"pipelined RCPT TO":    CommandRCPT,
		"MAIL FROM:<a@b>":      CommandMAIL,
		"EHLO mx.example.com":  CommandHELO,
		"QUIT":                 "",
		"":                     "",
	} {
		if got := commandAt(in); got != want {
			t.Errorf("commandAt(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEximNotes: Exim's words under the one failed address are the words
// of a Status with no Diagnostic-Code; with several addresses, or when the
// failure has words of its own, they are not used.
func TestEximNotes(t *testing.T) {
	const head = "This message was created automatically by mail delivery software.\n\n" +
		"A message that you sent could not be delivered to one or more of its\n" +
		"recipients. This is a permanent error. The following address(es) failed:\n\n"
	const dsn = "\n--b\nContent-type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\nAction: failed\nFinal-Recipient: rfc822;/var/mail/jdoe\nStatus: 5.0.0\n\n--b--\n"
	mime := func(body string) string {
		return "From: Mail Delivery System <Mailer-Daemon@example.com>\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-type: text/plain; charset=us-ascii\n\n" + body + dsn
	}
	tests := []struct{ name, text, want string }{
		{"local mailbox full", mime(head + "  save to /var/mail/jdoe\n    generated by jdoe@example.com\n    mailbox is full: retry timeout exceeded\n\n"),
			"save to /var/mail/jdoe generated by jdoe@example.com mailbox is full: retry timeout exceeded"},
		{"pipe", mime(head + "  pipe to |/usr/bin/procmail\n    generated by jdoe@example.com\n\nThe following text was generated during the delivery attempt:\n\n------ pipe to |/usr/bin/procmail ------\nfailed\n"),
			"pipe to |/usr/bin/procmail generated by jdoe@example.com"},
		{"two addresses", mime(head + "  save to /var/mail/jdoe\n    mailbox is full\n\n  save to /var/mail/ann\n    mailbox is full\n\n"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Extract(tt.text).Findings
			if len(fs) == 0 || fs[0].Role != RoleFailure {
				t.Fatalf("findings %+v", fs)
			}
			if fs[0].ServerText != tt.want {
				t.Errorf("server text %q, want %q", fs[0].ServerText, tt.want)
			}
		})
	}
}

// TestUnixDiagnostic: a DSN's "X-Unix; 77" keeps its type as its words,
// since the type is what says a delivery program failed.
func TestUnixDiagnostic(t *testing.T) {
	text := "Final-Recipient: RFC822; jdoe@example.or.jp\nAction: failed\nStatus: 5.3.0\nDiagnostic-Code: X-Unix; 77\n"
	fs := Extract(text).Findings
	if len(fs) == 0 || fs[0].ServerText != "X-Unix; 77" {
		t.Errorf("findings %+v, want the words %q", fs, "X-Unix; 77")
	}
}

// TestAgentLine: Sendmail's generic line for a delivery agent's exit status
// takes the agent's own words from the line before; other lines before a
// reply, and replies with words of their own, are left alone.
func TestAgentLine(t *testing.T) {
	tests := []serverTextCase{
		{"mail.local", "   ----- Transcript of session follows -----\nmail.local: unknown user: jdoe\n554 <jdoe@example.net>... Service unavailable\n",
			"554", "mail.local: unknown user: jdoe <jdoe@example.net>... Service unavailable"},
		{"maildrop", "   ----- Transcript of session follows -----\nmaildrop: maildir over quota.\n550 5.0.0 <jdoe@example.jp>... Insufficient permission\n",
			"550 5.0.0", "maildrop: maildir over quota. <jdoe@example.jp>... Insufficient permission"},
		{"a header is not an agent", "Date: Thu, 29 Apr 2021 23:34:45 +0900\n554 5.0.0 Service unavailable\n",
			"554 5.0.0", "Service unavailable"},
		{"words of its own", "   ----- Transcript of session follows -----\nmail.local: unknown user: jdoe\n550 5.1.1 <jdoe@example.net>... User unknown\n",
			"550 5.1.1", "<jdoe@example.net>... User unknown"},
	}
	checkServerTexts(t, tests)
}

// serverTextCase is a text, a code found in it and the server's words that
// code must carry.
type serverTextCase struct{ name, text, code, want string }

// checkServerTexts runs each case: the finding with the code carries the
// words.
func checkServerTexts(t *testing.T, tests []serverTextCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range Extract(tt.text).Findings {
				if f.Code.String() == tt.code {
					if f.ServerText != tt.want {
						t.Errorf("server text %q, want %q", f.ServerText, tt.want)
					}
					return
				}
			}
			t.Errorf("no finding %s in %+v", tt.code, Extract(tt.text).Findings)
		})
	}
}

// TestRestatedNotFound: Sendmail's own restatement of a refusal, on the
// line after the server's marked reply, is not a finding of its own; in
// a transcript without marks, such lines are all there is.
func TestRestatedNotFound(t *testing.T) {
	marked := "... while talking to mx.example.jp.:\n>>> DATA\n<<< 550 5.2.1 <jdoe@example.jp>... User Unknown\n" +
		"550 5.1.1 <jdoe@example.jp>... User unknown\n<<< 554 5.0.0 Service unavailable\n"
	var codes []string
	for _, f := range Extract(marked).Findings {
		codes = append(codes, f.Code.String())
	}
	if want := []string{"550 5.2.1", "554 5.0.0"}; !reflect.DeepEqual(codes, want) {
		t.Errorf("findings %v, want %v", codes, want)
	}
	unmarked := "   ----- Transcript of session follows -----\nmail.local: unknown user: jdoe\n554 5.0.0 <jdoe@example.net>... Service unavailable\n"
	if fs := Extract(unmarked).Findings; len(fs) != 1 || fs[0].Code.String() != "554 5.0.0" {
		t.Errorf("unmarked transcript: findings %+v, want 554 5.0.0", fs)
	}
}

// TestSaidWrapped: when Postfix wrapped its "said: 550" before the
// reply's words, the lines below, up to the blank one, are the words, at
// the same indentation or flush left.
func TestSaidWrapped(t *testing.T) {
	tests := []serverTextCase{
		{"indented", "<jdoe@example.ne.jp>: host\n    mx.example.ne.jp[192.0.2.1] said: 550\n    <jdoe@example.ne.jp>: User unknown (in reply to\n    RCPT TO command)\n\n    next paragraph\n",
			"550", "<jdoe@example.ne.jp>: User unknown"},
		{"flush left", "<jdoe@example.jp>: host mx.example.jp[192.0.2.1] said: 550 5.2.1\n<jdoe@example.jp>... User Unknown (in reply to RCPT TO command)\n",
			"550 5.2.1", "<jdoe@example.jp>... User Unknown"},
		{"a field after the code is not its words", "Diagnostic-Code: smtp; 550 5.1.1\nStatus: 5.1.1\n", "550 5.1.1", ""},
	}
	checkServerTexts(t, tests)
}

// TestPipelinedRecipient checks that each reply of a pipelined group is
// about the recipient of the RCPT TO it answered, and that a later
// command's reply is about the last recipient sent before it.
func TestPipelinedRecipient(t *testing.T) {
	text := ">>> MAIL From:<a@example.net>\n>>> RCPT To:<b@example.com>\n>>> RCPT To:<c@example.com>\n>>> DATA\n" +
		"<<< 250 2.1.0 Ok\n<<< 550 5.1.1 <b@example.com>: User unknown\n<<< 452 4.2.2 <c@example.com>: Mailbox full\n" +
		"<<< 554 5.5.1 Error: no valid recipients\n"
	want := map[string]string{"250 2.1.0": "", "550 5.1.1": "b@example.com", "452 4.2.2": "c@example.com", "554 5.5.1": "c@example.com"}
	x := extractor{}
	x.scanText(text, segBody, false)
	if len(x.sites) != len(want) {
		t.Fatalf("%d sites, want %d: %+v", len(x.sites), len(want), x.sites)
	}
	for _, cs := range x.sites {
		if w, ok := want[cs.code.String()]; !ok || cs.rcpt != w {
			t.Errorf("%s: recipient %q, want %q", cs.code, cs.rcpt, w)
		}
	}
}

// TestEmptyAddress: the colon a server writes after an address it left out
// ("550 : User unknown", au's filter) stays in the words, set apart; a
// colon that follows the code directly, or an address, is punctuation.
func TestEmptyAddress(t *testing.T) {
	tests := []struct{ text, code, want string }{
		{"The response was:\n\n550 : User unknown\n", "550", ": User unknown"},
		{"<jdoe@example.ne.jp>: host mx.example.ne.jp[192.0.2.1] said: 550\n    : User unknown (in reply to end of DATA command)\n", "550", ": User unknown"},
		{"550 5.1.1: User unknown\n", "550 5.1.1", "User unknown"},
		{"550 5.1.1 <jdoe@example.jp>: User unknown\n", "550 5.1.1", "<jdoe@example.jp>: User unknown"},
	}
	for _, tt := range tests {
		found := false
		for _, f := range Extract(tt.text).Findings {
			if f.Code.String() != tt.code {
				continue
			}
			found = true
			if f.ServerText != tt.want {
				t.Errorf("%q: server text %q, want %q", tt.text, f.ServerText, tt.want)
			}
		}
		if !found {
			t.Errorf("%q: no finding %s", tt.text, tt.code)
		}
	}
}

// commandBefore is the chain lineCommands.before replaces, read anew for
// each code.
func commandBefore(line string, prev [2]string) string {
	cmd := eximAfter(line)
	if cmd == "" {
		cmd = eximIntro(prev[1])
	}
	if cmd == "" && hasPrefixFold(prev[1], "host") {
		cmd = eximIntro(prev[0])
	}
	if cmd == "" {
		cmd = sessionStep(line)
	}
	if cmd == "" {
		cmd = sessionStep(lineEnd(prev[1]))
	}
	return cmd
}

// FuzzLineCommands checks that reading the lines before once per line
// names, for each code of the line in turn, what the chain read for each
// code named.
func FuzzLineCommands(f *testing.F) {
	f.Add("550 5.1.1 user unknown", "SMTP error from remote mail server after RCPT TO:<a@b>:", "host mx.example [192.0.2.1]", uint8(0), uint8(4))
	f.Add("host mx said: 554 5.7.1 (in reply to RCPT TO command) dsn=5.7.1", "Connected to 192.0.2.1 but sender was rejected.", "", uint8(20), uint8(50))
	f.Add("x does not like recipient. 550 y 551", "host gmx", "error after DATA:", uint8(30), uint8(34))
	f.Fuzz(func(t *testing.T, line, prev1, prev0 string, a, b uint8) {
		prev := [2]string{prev0, prev1}
		c := lineCommands{line: line, prev: prev}
		for _, n := range []int{int(min(a, b)), int(max(a, b)), len(line)} {
			n = min(n, len(line))
			if got, want := c.before(n), commandBefore(line[:n], prev); got != want {
				t.Fatalf("%q at %d after %q, %q: %q, want %q", line, n, prev0, prev1, got, want)
			}
		}
	})
}

// sessionStepBySpace is sessionStep as it was, searching for each space.
func sessionStepBySpace(line string) string {
	for i := strings.IndexByte(line, ' '); i >= 0; {
		if i+1 < len(line) {
			rest := line[i:]
			for _, k := range sessionFirst[ascii.Lower(line[i+1])] {
				if s := &sessionLines[k]; hasPrefixFold(rest, s.words) {
					return s.name
				}
			}
		}
		j := strings.IndexByte(line[i+1:], ' ')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return ""
}

// TestSessionStepFindsEachPhrase: every phrase is found after a word, in
// lower and upper case, which the table of the letters after a space
// (sessionSeconds) must allow.
func TestSessionStepFindsEachPhrase(t *testing.T) {
	for _, p := range sessionLines {
		for _, line := range []string{"x" + p.words + ".", "X" + strings.ToUpper(p.words) + ":"} {
			if got := sessionStep(line); got != p.name {
				t.Errorf("sessionStep(%q) = %q, want %q", line, got, p.name)
			}
		}
	}
}

// FuzzSessionStep checks sessionStep, which reads eight bytes at a time
// and tries a phrase only where the two letters after a space open one,
// against searching for each space.
func FuzzSessionStep(f *testing.F) {
	for _, s := range []string{"", " ", "Connected to 192.0.2.1 but sender was rejected.", "x DOES NOT LIKE RECIPIENT", " but", "a  but greeting failed b", "host refused to talk to me: 554", "1&1 for TEXT command", "failed after I sent the message", "most progress was RCPT TO response;", "mx [192.0.2.1] did not like our final DATA:", " did not like our"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if got, want := sessionStep(line), sessionStepBySpace(line); got != want {
			t.Fatalf("sessionStep(%q) = %q, searching by space %q", line, got, want)
		}
	})
}

// TestSessionPhrasesApart: no session phrase starts another, or holds one
// from one of its inner spaces on. lineCommands.before reads a line's
// first phrase once for all its codes, which is exact only so: a code
// inside a phrase could otherwise have a shorter phrase before it.
func TestSessionPhrasesApart(t *testing.T) {
	for i, p := range sessionLines {
		for j := 0; j < len(p.words); j++ {
			if p.words[j] != ' ' {
				continue
			}
			for k, q := range sessionLines {
				if (j > 0 || k != i) && hasPrefixFold(p.words[j:], q.words) {
					t.Errorf("%q holds %q from its byte %d", p.words, q.words, j)
				}
			}
		}
	}
}

// repliedToBackwards is repliedTo as it was, searching back from the end.
func repliedToBackwards(raw []byte) string {
	p := []byte("(in reply to ")
	tail := raw[max(0, len(raw)-64):]
	i := bytes.LastIndexByte(tail, '(')
	for i >= 0 && !bytes.HasPrefix(tail[i:], p) {
		i = bytes.LastIndexByte(tail[:i], '(')
	}
	if i < 0 {
		return ""
	}
	return commandAt(string(tail[i+len(p):]))
}

// FuzzRepliedTo checks repliedTo, which searches forwards, against
// searching back from the end.
func FuzzRepliedTo(f *testing.F) {
	for _, s := range []string{"", "(", "(in reply to ", "User unknown (in reply to RCPT TO command)", "x (in reply to end of DATA command) (in reply to MAIL FROM command", "((in reply to data", "(in reply to (in reply to rcpt to"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if got, want := repliedTo(raw), repliedToBackwards(raw); got != want {
			t.Fatalf("repliedTo(%q) = %q, searching backwards %q", raw, got, want)
		}
	})
}

// TestDialogueReset: reset, which clears field by field, leaves a
// dialogue as a new one, keeping only the room of its pending list.
func TestDialogueReset(t *testing.T) {
	var d dialogue
	d.send(">>> MAIL FROM:<a@example.net>")
	d.send(">>> RCPT TO:<b@example.com>")
	d.other("250-first", true)
	d.other("250 2.1.0 Ok", true)
	d.grouping, d.open = true, 421
	d.reset()
	if !reflect.DeepEqual(d, dialogue{pending: d.pending[:0]}) {
		t.Errorf("after reset: %+v", d)
	}
}
