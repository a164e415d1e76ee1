package handlers

import (
	"context"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/catalog"
)

// TestTypedReply: a line that asks about one code and quotes the server's
// words after it is answered as the failure those words report; a line
// whose words after the code are the asker's stays a lookup.
func TestTypedReply(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	tests := []struct {
		text, code string
		reason     catalog.Reason // "" for a lookup
		words      string
	}{
		{"เมลเด้งกลับ 550 5.1.1 User unknown", "550 5.1.1", "userunknown", "User unknown"},
		{"gửi mail bị lỗi: 550 5.1.1 User unknown", "550 5.1.1", "userunknown", "User unknown"},
		{"khách báo lỗi 552 5.2.2 Mailbox full, xử lý sao?", "552 5.2.2", "mailboxfull", "Mailbox full"},
		{"why do I get 550 5.1.1 user unknown?", "550 5.1.1", "userunknown", "user unknown"},
		{"ลูกค้าส่งไม่ได้ 550 5.1.1 User unknown ทำไงดี", "550 5.1.1", "userunknown", "User unknown"},
		{"550 5.1.1 User unknown là sao", "550 5.1.1", "userunknown", "User unknown"},
		{"bi loi 552 5.2.2 Mailbox full phai lam sao", "552 5.2.2", "mailboxfull", "Mailbox full"},
		{"got 550 5.1.1 Recipient address rejected: User unknown lang:vi", "550 5.1.1", "userunknown", "Recipient address rejected: User unknown"},
		{"customer gets 550 5.1.1 on every send to this domain", "550 5.1.1", "", ""},
		{"550 5.7.26 after we changed spf", "550 5.7.26", "", ""},
		{"we see 554 5.7.1 when sending with a big attachment", "554 5.7.1", "", ""},
		{"is 550 5.7.1 is it spam?", "550 5.7.1", "", ""},
		{"what does 421 mean", "421", "", ""},
		{"550 5.1.1?", "550 5.1.1", "", ""},
	}
	for _, tt := range tests {
		code, err := catalog.Parse(tt.code)
		if err != nil {
			t.Fatal(err)
		}
		r, ok := e.typedReply(en, []catalog.Code{code}, tt.text, nil)
		if tt.reason == "" {
			if ok {
				t.Errorf("%q: answered as the server's words %q, want a lookup", tt.text, r.Explanations[0].ServerText)
			}
			continue
		}
		if !ok {
			t.Errorf("%q: a lookup, want %s from the server's words", tt.text, tt.reason)
			continue
		}
		x := r.Explanations[0]
		if x.Outcome == nil || x.Outcome.Reason != tt.reason || x.ServerText != tt.words {
			t.Errorf("%q: reason %v, words %q; want %s, %q", tt.text, x.Outcome, x.ServerText, tt.reason, tt.words)
		}
	}
}

// TestTypedReplyInSlack: a DM that quotes the server's words after the
// code gets the reason at the top, and a language button keeps it.
func TestTypedReplyInSlack(t *testing.T) {
	rt, _ := newRouter(t)
	ctx := context.Background()
	en := rt.eng.Languages().Fallback()
	vi, _ := rt.eng.Languages().Get("vi")
	rs := rt.Handle(ctx, Request{Source: SourceDM, UserID: "U1", ChannelID: "D1", Text: "เมลเด้งกลับ 550 5.1.1 User unknown"})
	got := rendered(t, rs)
	th, _ := rt.eng.Languages().Get("th")
	if !strings.Contains(got, th.T("reason.userunknown.title")) && !strings.Contains(got, en.T("reason.userunknown.title")) {
		t.Fatalf("want the reason at the top, got %s", got)
	}
	v := buttonValue(rs[0].Blocks, actionLang+":vi")
	clicked := rendered(t, rt.Handle(ctx, Request{Source: SourceAction, UserID: "U1", ChannelID: "D1",
		Action: &Action{ActionID: actionLang + ":vi", Value: v, MessageTS: "2.2"}}))
	if !strings.Contains(clicked, vi.T("reason.userunknown.title")) {
		t.Errorf("after the language button, want the reason in Vietnamese, got %s", clicked)
	}
}
