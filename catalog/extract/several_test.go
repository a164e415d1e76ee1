package extract

import (
	"slices"
	"testing"
)

// TestSeveralRecipients: a bounce about several recipients has a failure
// for each, with its own words and recipient, even where two replies share
// a code or a reply code alone; a recipient the report says was delivered
// is no failure.
func TestSeveralRecipients(t *testing.T) {
	dsn := func(rcpt, action, status, remote, diag string) string {
		s := "Final-Recipient: rfc822; " + rcpt + "\nAction: " + action + "\nStatus: " + status + "\n"
		if remote != "" {
			s += "Remote-MTA: dns; " + remote + "\n"
		}
		if diag != "" {
			s += "Diagnostic-Code: " + diag + "\n"
		}
		return s + "\n"
	}
	head := "Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
	tests := []struct {
		name, text string
		want       []string // code, then recipients
	}{
		{"one code, two servers", head +
			dsn("a@gmail.com", "failed", "5.1.1", "gmail-smtp-in.l.google.com", "smtp; 550-5.1.1 The email account that you tried to reach does not exist. - gsmtp") +
			dsn("b@example.net", "failed", "5.1.1", "mx.example.net", "smtp; 550 5.1.1 <b@example.net>: Recipient address rejected: User unknown") + "--B--\n",
			[]string{"550 5.1.1 a@gmail.com", "550 5.1.1 b@example.net"}},
		{"one server, two recipients alike", head +
			dsn("a@example.com", "failed", "5.1.1", "mx.example.com", "smtp; 550 5.1.1 <a@example.com>: No such user here.") +
			dsn("b@example.com", "failed", "5.1.1", "mx.example.com", "smtp; 550 5.1.1 <b@example.com>: No such user here.") + "--B--\n",
			[]string{"550 5.1.1 a@example.com b@example.com"}},
		{"a bare Status is its own recipient's", head +
			dsn("a@example.net", "failed", "5.0.0", "mx1.comcast.net", "smtp; 554 resimta-po-12v.sys.comcast.net resimta-po-12v.sys.comcast.net 203.0.113.5 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001") +
			dsn("b@old-shop.example", "failed", "5.4.4", "", "X-Postfix; Host or domain name not found") + "--B--\n",
			[]string{"554 5.0.0 a@example.net", "5.4.4 b@old-shop.example"}},
		{"delivered beside failed", head +
			dsn("a@example.com", "relayed", "2.0.0", "mx.example.com", "smtp; 250 2.0.0 Ok: queued") +
			dsn("b@icloud.com", "failed", "5.1.1", "mx01.mail.icloud.com", "smtp; 550 5.1.1 <b@icloud.com>: user does not exist") + "--B--\n",
			[]string{"550 5.1.1 b@icloud.com"}},
		{"exim, a reply code alone beside a pair", "A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n" +
			"  a@initech.example\n    host eu-smtp-inbound-1.mimecast.com [195.130.217.221]\n    SMTP error from remote mail server after end of data:\n    550 Rejected by header based Anti-Spoofing policy\n\n" +
			"  b@orange.fr\n    host smtp-in.orange.fr [193.252.22.84]\n    SMTP error from remote mail server after RCPT TO:<b@orange.fr>:\n    550 5.1.1 Invalid recipient. OFR_416 [416]\n",
			[]string{"550 a@initech.example", "550 5.1.1 b@orange.fr"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range Extract(tt.text).Findings {
				if f.Role == RoleFailure {
					s := f.Code.String() + " "
					for i, r := range f.Recipients {
						if i > 0 {
							s += " "
						}
						s += r
					}
					got = append(got, s)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("failures %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWordsAgree(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"<a@example.com>: User unknown", "<b@example.com>: User unknown", true},
		{"Message not accepted for policy reasons. See", "Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes", true},
		{"Message not accepted for policy reas", "Message not accepted for policy reasons.", true},
		{"User unknown", "Mailbox full", false},
		{"invalid FreeUK 550 username", "invalid FreeUK username", true},
		{"", "anything", true},
		{"Mailbox full", "Mailbox fu extra", false},
	} {
		if got := wordsAgree(tt.a, tt.b); got != tt.want {
			t.Errorf("wordsAgree(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := wordsAgree(tt.b, tt.a); got != tt.want {
			t.Errorf("wordsAgree(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
	for s, want := range map[string]bool{"192.0.2.1": true, "1.2.3": false, "1.2.3.4.5": false, "1..2.3": false, "a.b.c.d": false, "1234.1.1.1": false, "": false} {
		if isIPv4(s) != want {
			t.Errorf("isIPv4(%q) = %v", s, !want)
		}
	}
	for lead, want := range map[string]string{
		"SMTP error from remote mail server after RCPT TO:<a@example.com>:": "a@example.com",
		"<b@example.net>: host mx.example.net[192.0.2.1] said:":             "b@example.net",
		"host mx.example.com [192.0.2.1]":                                   "",
		"after rcpt to:<c@example.org> and <x@y>":                           "c@example.org",
	} {
		if got := leadRecipient(lead); got != want {
			t.Errorf("leadRecipient(%q) = %q, want %q", lead, got, want)
		}
	}
}

// TestLastErrorIsFinal: the transient reply Exchange names as the last
// error of an expired message is final: the server retries it no more.
func TestLastErrorIsFinal(t *testing.T) {
	text := "Remote Server returned '550 4.4.7 QUEUE.Expired; message expired [LastAttemptSvr] [LastError: 451 4.4.1 Connection timed out to mx.example.com]'\n"
	for _, f := range Extract(text).Findings {
		if f.Code.Enhanced.String() == "4.4.1" && !f.Final {
			t.Errorf("%s: not final, though the message expired after it", f.Code)
		}
	}
	// A transient reply on a line of its own stays one the server retries.
	for _, f := range Extract("host mx.example.com said: 451 4.4.1 Connection timed out (in reply to RCPT TO command)\n").Findings {
		if f.Final {
			t.Errorf("%s: final, with no expiry", f.Code)
		}
	}
}
