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

// TestRefusedToTalkWrapped: Postfix wraps "host ... refused to talk to me:
// 550 ..." as it wraps "said:", and every wrapped line is the reply's.
func TestRefusedToTalkWrapped(t *testing.T) {
	text := "<a@orange.fr>: host smtp-in.orange.fr[193.252.22.65] refused to\n    talk to me: 550 mwinf5c04 ME Adresse IP source bloquee pour incident de\n    spam. Client host blocked for spamming issues. OFR006_102 Ref\n    http://csi.cloudmark.com/reset-request/?ip=192.0.2.1 [102]\n"
	x := Extract(text)
	if len(x.Findings) == 0 || !strings.HasSuffix(x.Findings[0].ServerText, "reset-request/?ip=192.0.2.1 [102]") {
		t.Errorf("server text %q, want the reply's every line", firstText(x))
	}
}
