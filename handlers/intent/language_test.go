package intent

import (
	"strings"
	"testing"
)

// TestLanguage: Thai script, Vietnamese letters, and Vietnamese typed
// without its marks decide; English, codes and a name in a signature do
// not. The words people type come before what they paste.
func TestLanguage(t *testing.T) {
	bounce := strings.Repeat("550 5.1.1 <jdoe@example.com>: Recipient address rejected: User unknown in virtual mailbox table\n", 30)
	tests := []struct {
		name, text, want string
	}{
		{"thai question", "รหัส 550 หมายถึงอะไร", "th"},
		{"vietnamese with marks", "lỗi 5.3.4 là sao", "vi"},
		{"vietnamese without marks", "ma loi 550 nghia la gi", "vi"},
		{"english", "what does 550 mean?", ""},
		{"codes alone", "550 5.1.1", ""},
		{"one vietnamese name", "550 5.1.1 from Nguyễn", ""},
		{"unaccented question before a paste", "cho hoi loi nay nghia la gi\n" + bounce, "vi"},
		{"accented question before a paste", "lỗi này là gì vậy\n" + bounce, "vi"},
		{"an english paste", bounce, ""},
		{"words after a long paste do not count", bounce + "khac nhau the nao", ""},
	}
	for _, tt := range tests {
		if got := Language(tt.text); got != tt.want {
			t.Errorf("%s: Language = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// BenchmarkLanguage reads the language of a 3 KB English paste, the
// common case: every paste in a channel goes through it.
func BenchmarkLanguage(b *testing.B) {
	text := strings.Repeat("550 5.1.1 <jdoe@example.com>: Recipient address rejected: User unknown in virtual mailbox table\n", 30)
	for b.Loop() {
		Language(text)
	}
}
