package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestExplainQuestions: TEXT typed on the command line is read as the bot
// reads chat, so questions get the answer they ask for, in their language.
func TestExplainQuestions(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want []string
		not  []string
	}{
		{[]string{"explain", "what", "does", "221", "mean"}, 0, []string{"221 Service Closing Connection", "How to fix it"}, []string{"Bounce confidence"}},
		{[]string{"explain", "550 vs 554?"}, 0, []string{"SMTP 550 Mailbox Unavailable vs 554", "Key differences"}, []string{"What the server said"}},
		{[]string{"explain", "difference", "between", "421", "and", "450"}, 0, []string{"vs 450", "Key differences"}, nil},
		{[]string{"explain", "mã 550 nghĩa là gì?"}, 0, []string{"550 Hộp thư không khả dụng", "Cách xử lý"}, nil},
		{[]string{"explain", "550 กับ 554 ต่างกันยังไง"}, 0, []string{"เทียบกับ 554", "ความแตกต่างหลัก"}, nil},
		{[]string{"explain", "--lang", "en", "550 và 554 khác nhau thế nào?"}, 0, []string{"vs 554", "Key differences"}, nil},
		{[]string{"explain", "which", "code", "means", "mailbox", "full?"}, 0, []string{"5.2.2 / 4.2.2", "Mailbox Full", "smtpbot explain 5.2.2"}, nil},
		{[]string{"explain", "is 4.2.2 a hard bounce?"}, 0, []string{"4.2.2 Mailbox Full", "Soft bounce"}, []string{"Bounce confidence", "Mentioned in the text"}},
		{[]string{"explain", "550"}, 0, []string{"550 Mailbox Unavailable"}, []string{"Bounce confidence"}},
		{[]string{"explain", "we", "sent", "550", "messages"}, 1, []string{"No SMTP reply code"}, nil},
	}
	for _, tt := range tests {
		out, errOut, code := call(t, "", nil, tt.args...)
		if code != tt.code {
			t.Errorf("%q: exit %d, want %d (%s)", tt.args, code, tt.code, errOut)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%q: output lacks %q:\n%.600s", tt.args, w, out)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(out, n) {
				t.Errorf("%q: output has %q:\n%.600s", tt.args, n, out)
			}
		}
	}
}

func TestExplainSearchJSON(t *testing.T) {
	out, _, code := call(t, "", nil, "explain", "--json", "codes for greylisting")
	var j struct {
		Language string `json:"language"`
		Matches  []struct {
			Code, Title string
		} `json:"matches"`
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if len(j.Matches) == 0 || j.Matches[0].Code != "450" || j.Language != "en" {
		t.Errorf("greylisting: %+v", j)
	}
}
