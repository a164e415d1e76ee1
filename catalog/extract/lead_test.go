package extract

import (
	"strings"
	"testing"
)

// TestLead: a failure's Lead is what the bounce wrote before the reply,
// where it names the server that sent it.
func TestLead(t *testing.T) {
	tests := []struct {
		name, text, want string // want: a part Lead must hold
	}{
		{"postfix said", "<a@gmail.com>: host gmail-smtp-in.l.google.com[142.250.1.27] said: 550-5.1.1 The email account that you tried to reach does not exist. (in reply to RCPT TO command)\n",
			"host gmail-smtp-in.l.google.com[142.250.1.27] said:"},
		{"postfix said, reply on the next line", "<a@gmail.com>: host gmail-smtp-in.l.google.com[142.250.1.27] said:\n    550 5.7.26 This mail is unauthenticated. (in reply to end of DATA command)\n",
			"gmail-smtp-in.l.google.com"},
		{"exim host, then its SMTP error line", "  a@yahoo.com\n    host mta5.am0.yahoodns.net [67.195.204.72]\n    SMTP error from remote mail server after end of data:\n    554 5.7.9 Message not accepted for policy reasons.\n",
			"mta5.am0.yahoodns.net"},
	}
	for _, tt := range tests {
		x := Extract(tt.text)
		if len(x.Findings) == 0 {
			t.Errorf("%s: no finding", tt.name)
			continue
		}
		if got := x.Findings[0].Lead; !strings.Contains(got, tt.want) || len(got) > maxLead {
			t.Errorf("%s: Lead %q, want it to hold %q", tt.name, got, tt.want)
		}
	}
}

// TestLeadServer: the server each kind of lead names, and none where a
// lead names no host.
func TestLeadServer(t *testing.T) {
	tests := []struct{ lead, want string }{
		{"<a@example.com>: host mx1.example.com[192.0.2.10] said: ", "mx1.example.com"},
		{"host mx1.example.com [192.0.2.10] SMTP error from remote mail server after RCPT TO:<a@example.com>:", "mx1.example.com"},
		{"Remote-MTA: dns; mx1.example.com", "mx1.example.com"},
		{"May  1 12:55:03 mx postfix/smtp[12347]: 4F3A2B5503: to=<d@example.org>, relay=mx.example.org[203.0.113.25]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.7.1, status=bounced (host mx.example.org[203.0.113.25] said: ", "mx.example.org"},
		{"... while talking to mx.example.com.:", "mx.example.com"},
		{"host a.example.net [192.0.2.1]: ... while talking to mx.example.com.:", "mx.example.com"},
		{"192.0.2.1 does not like recipient.", "192.0.2.1"},
		{"mail.example.com #", "mail.example.com"},
		{"the ghost example.com said", ""},
		{"May  1 12:55:02 mx postfix/smtp[12346]: 4F3A2B5502: to=<c@example.net>, relay=none, delay=30, dsn=", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := leadServer(tt.lead); got != tt.want {
			t.Errorf("leadServer(%q) = %q, want %q", tt.lead, got, tt.want)
		}
	}
}

// TestRefusedToTalkWrapped: Postfix wraps "host ... refused to talk to me:
// 550 ..." as it wraps "said:", and every wrapped line is the reply's.
func TestRefusedToTalkWrapped(t *testing.T) {
	text := "<a@orange.fr>: host smtp-in.orange.fr[193.252.22.65] refused to\n    talk to me: 550 mwinf5c04 ME Adresse IP source bloquee pour incident de\n    spam. Client host blocked for spamming issues. OFR006_102 Ref\n    http://csi.cloudmark.com/reset-request/?ip=192.0.2.1 [102]\n"
	x := Extract(text)
	if len(x.Findings) == 0 || !strings.HasSuffix(x.Findings[0].ServerText, "reset-request/?ip=192.0.2.1 [102]") {
		t.Errorf("server text %q, want the reply's every line", firstText(x))
	}
}
