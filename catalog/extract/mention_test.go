package extract

import (
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/catalog"
)

func TestMentions(t *testing.T) {
	tests := []struct {
		text string
		want string // codes joined by "|"
	}{
		{"what does 550 5.7.1 mean?", "550 5.7.1"},
		{"wat is 553", "553"},
		{"is 4.2.2 a hard bounce?", "4.2.2"},
		{"difference between 421 and 450", "421|450"},
		{"550 vs 554?", "550|554"},
		{"we keep getting 421s", "421"},
		{"`550` or *554*", "550|554"},
		{"PR #550 merged", ""},
		{"Exchange said #550 5.1.1 RESOLVER", "550 5.1.1"},
		{"it costs $550", ""},
		{"550 messages passed, 4 failed", ""},
		{"550 Messages", ""},
		{"gửi 550 thư", ""},
		{"có 550 cái", ""},
		{"sent 10000 emails, 550 of them bounced with 5.7.1", "5.7.1"},
		{"sent 550 of 600 mails", ""},
		{"550 of the recipients", "550"},
		// "cái nào" is "which one", no count.
		{"550 và 554 cái nào nặng hơn", "550|554"},
		{"550 hay 554 cai nao te hon", "550|554"},
		{"ส่ง 550 ฉบับ", ""},
		{"550 ข้อความ", ""},
		{"latency 550 ms", ""},
		{"upgrade to version 4.5.1", ""},
		{"meet at 12:55", ""},
		{"server 10.4.5.1", ""},
		{"port 465", ""},
		{"550 Message rejected as spam", "550"},
		{"line one 421\nline two 5.7.0", "421|5.7.0"},
		// A ticket's or an issue's id ends in digits, no number of a list.
		{"INC0012345 421 from outlook", "421"},
		{"JIRA-123 550 again", "550"},
		{"+1 555 550", ""},
		{"2 550", ""},
		// One item sent: a count, singular as Vietnamese always writes it.
		{"we sent 550 email today", ""},
		{"mình gửi 550 email hôm nay", ""},
		{"got 550 email rejected", "550"},
		{"550 Email rejected", "550"},
		// A version, in Vietnamese and Thai.
		{"phiên bản 2.0.0", ""},
		{"phien ban 2.0.0", ""},
		{"เวอร์ชัน 2.0.0", ""},
		{"เวอร์ชั่น 2.0.0", ""},
		{"bản 4.5.1 lỗi 5.7.1", "5.7.1"},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range Mentions(tt.text) {
			got = append(got, m.Code.String())
			if c, err := catalog.Parse(tt.text[m.Start:m.End]); err != nil || c != m.Code {
				t.Errorf("Mentions(%q): offsets %d:%d hold %q, not %s", tt.text, m.Start, m.End, tt.text[m.Start:m.End], m.Code)
			}
		}
		if strings.Join(got, "|") != tt.want {
			t.Errorf("Mentions(%q) = %v, want %s", tt.text, got, tt.want)
		}
	}
}

func FuzzMentions(f *testing.F) {
	for _, s := range []string{"what does 550 5.7.1 mean?", "550-5.1.1 x", "#550", "550 thư", "a\n421s\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, m := range Mentions(s) {
			if m.Start < last || m.End <= m.Start || m.End > len(s) {
				t.Fatalf("offsets %d:%d after %d in %d bytes", m.Start, m.End, last, len(s))
			}
			if m.Code.Reply.IsZero() && m.Code.Enhanced.IsZero() {
				t.Fatal("an empty code")
			}
			last = m.End
		}
	})
}
