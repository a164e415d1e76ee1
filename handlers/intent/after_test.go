package intent

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smtpcodes/smtpbot/catalog"
)

// TestAfterCode: the words a line quotes after a code, without the
// asker's around them; none where the words are the asker's.
func TestAfterCode(t *testing.T) {
	tests := []struct{ text, code, want string }{
		{"เมลเด้งกลับ 550 5.1.1 User unknown", "550 5.1.1", "User unknown"},
		{"gửi mail bị lỗi: 550 5.1.1 User unknown", "550 5.1.1", "User unknown"},
		{"khách báo lỗi 552 5.2.2 Mailbox full, xử lý sao?", "552 5.2.2", "Mailbox full"},
		{"550 5.1.1 User unknown là sao", "550 5.1.1", "User unknown"},
		{"bi loi 552 5.2.2 Mailbox full phai lam sao", "552 5.2.2", "Mailbox full"},
		{"ลูกค้าส่งไม่ได้ 550 5.1.1 User unknown ทำไงดี", "550 5.1.1", "User unknown"},
		{"got 550-5.1.1 user unknown, what now", "550 5.1.1", "user unknown"},
		{"why do I get 550 5.1.1 user unknown?", "550 5.1.1", "user unknown"},
		{"bounce: 550: Empfänger unbekannt", "550", "Empfänger unbekannt"},
		{"550 5.1.1 user unknown but the user exists", "550 5.1.1", "user unknown"},
		{"550 5.1.1 User unknown, nhưng địa chỉ vẫn đúng", "550 5.1.1", "User unknown"},
		{"550 5.7.26 after we changed spf", "550 5.7.26", ""},
		{"is 550 5.7.1 is it spam?", "550 5.7.1", ""},
		{"what does 421 mean", "421", "mean"},
		{"550 5.1.1?", "550 5.1.1", ""},
		{"customer gets 550 5.1.1", "550 5.1.1", ""},
	}
	for _, tt := range tests {
		code, err := catalog.Parse(tt.code)
		if err != nil {
			t.Fatal(err)
		}
		if got := AfterCode(tt.text, code); got != tt.want {
			t.Errorf("AfterCode(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// FuzzAfterCode: any typed line gives words that stand in it after the
// code, hold no question mark, and are valid UTF-8 where it is.
func FuzzAfterCode(f *testing.F) {
	f.Add("เมลเด้งกลับ 550 5.1.1 User unknown")
	f.Add("gửi mail bị lỗi: 552 5.2.2 Mailbox full, xử lý sao?")
	f.Add("bi loi 550-5.1.1 user unknown phai lam sao")
	code, _ := catalog.Parse("550 5.1.1")
	f.Fuzz(func(t *testing.T, text string) {
		w := AfterCode(text, code)
		if strings.Contains(w, "?") || !strings.Contains(text, w) {
			t.Fatalf("words %q from %q", w, text)
		}
		if utf8.ValidString(text) && !utf8.ValidString(w) {
			t.Fatalf("words %q: invalid UTF-8", w)
		}
	})
}
