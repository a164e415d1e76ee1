package extract

import "testing"

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
