package extract

import "testing"

// TestFinal: a DSN's Status is a final verdict; a log line's "dsn=" on a
// deferral is not, though it ranks like one.
func TestFinal(t *testing.T) {
	tests := []struct {
		name, text string
		final      bool
	}{
		{"dsn", "Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 4.4.1\nDiagnostic-Code: smtp; connect to mx.example.net[192.0.2.1]:25: Connection timed out\n", true},
		{"log deferral", "May  7 12:55:01 mail postfix/smtp[23114]: 4F3A2B5501: to=<ops@example.net>, relay=none, delay=30, dsn=4.4.1, status=deferred (connect to mx.example.net[192.0.2.44]:25: Connection timed out)", false},
		{"transcript", "RCPT TO:<a@example.net>\n550 5.1.1 <a@example.net>: Recipient address rejected: User unknown\n", false},
	}
	for _, tt := range tests {
		ex := Extract(tt.text)
		if len(ex.Findings) == 0 {
			t.Fatalf("%s: no findings", tt.name)
		}
		if f := ex.Findings[0]; f.Final != tt.final {
			t.Errorf("%s: %s Final = %v, want %v", tt.name, f.Code, f.Final, tt.final)
		}
	}
}
