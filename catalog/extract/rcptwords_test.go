package extract

import "testing"

// TestRecipientWords: only a line that opens with the address and a colon
// gives its words; a header field that names it, or prose, does not.
func TestRecipientWords(t *testing.T) {
	tests := []struct{ text, want string }{
		{"ops@example.net: Domain does not exist\n", "Domain does not exist"},
		{"  <ops@example.net>: Mailbox is full  \n", "Mailbox is full"},
		{"Final-Recipient: rfc822; ops@example.net\nOps@Example.NET: Host not found\n", "Host not found"},
		{"Final-Recipient: rfc822; ops@example.net\n", ""},
		{"we wrote to ops@example.net: no answer\n", ""},
		{"ops@example.net:\n", ""},
		{"ops@example.net.au: Unknown user\n", ""},
	}
	for _, tt := range tests {
		if got := recipientWords(tt.text, "ops@example.net"); got != tt.want {
			t.Errorf("recipientWords(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
