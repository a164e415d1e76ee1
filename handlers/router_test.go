package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

// mapPrefs is a Prefs over maps: saved choices and Slack locales.
type mapPrefs struct {
	saved   map[string]string
	locales map[string]string
	fail    bool
}

func (p *mapPrefs) SavedLanguage(_ context.Context, user string) string { return p.saved[user] }
func (p *mapPrefs) SlackLocale(_ context.Context, user string) string   { return p.locales[user] }
func (p *mapPrefs) SaveLanguage(_ context.Context, user, tag string) error {
	if p.fail {
		return errors.New("disk full")
	}
	p.saved[user] = tag
	return nil
}

func newRouter(t *testing.T) (*Router, *mapPrefs) {
	t.Helper()
	prefs := &mapPrefs{saved: map[string]string{}, locales: map[string]string{}}
	return NewRouter(engine(t), prefs, Options{DefaultLocale: "en", MaskAddresses: true}, slog.New(slog.DiscardHandler)), prefs
}

// rendered is everything a user could read in replies, blocks as JSON.
func rendered(t *testing.T, rs []Reply) string {
	t.Helper()
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.Text + "\n")
		j, err := json.Marshal(slack.Blocks{BlockSet: r.Blocks})
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
	}
	return b.String()
}

const gmailBounce = `Delivery to the following recipient failed permanently:

     jane.doe@example.com

The error that the other server returned was:
550-5.1.1 The email account that you tried to reach does not exist. Please try
550 5.1.1 double-checking the recipient's email address <jane.doe@example.com> - gsmtp
`

func TestSlashCommands(t *testing.T) {
	rt, _ := newRouter(t)
	tests := []struct {
		text     string
		contains []string
	}{
		{"550", []string{"550 "}},
		{"5.7.26", []string{"5.7.26"}},
		{"550 5.1.1", []string{"550 5.1.1"}},
		{"214 vs 556", []string{"SMTP 214", "vs 556"}},
		{"compare 421 450", []string{"SMTP 421", "vs 450"}},
		{"help", []string{"/smtp 550"}},
		{"", []string{"/smtp 550"}},
		{"codes", []string{"`X.7.8`"}},
		{"6.1.1", []string{"6.1.1", "/smtp help"}},
		{"hello there", []string{"/smtp help"}},
		{gmailBounce, []string{"5.1.1", "j***@example.com"}},
	}
	for _, tt := range tests {
		rs := rt.Handle(context.Background(), Request{Source: SourceSlash, UserID: "U1", ChannelID: "C1", Text: tt.text, ResponseURL: "https://hooks.example/1"})
		if len(rs) != 1 {
			t.Errorf("/smtp %q: %d replies, want 1", tt.text, len(rs))
			continue
		}
		if rs[0].Delivery != DeliverEphemeral || rs[0].ResponseURL == "" || rs[0].Text == "" {
			t.Errorf("/smtp %q: reply %+v is not an ephemeral answer with a fallback text", tt.text, rs[0])
		}
		got := rendered(t, rs)
		for _, want := range tt.contains {
			if !strings.Contains(got, want) {
				t.Errorf("/smtp %q: reply lacks %q:\n%s", tt.text, want, got)
			}
		}
		if strings.Contains(got, "jane.doe@") {
			t.Errorf("/smtp %q: an address was not masked", tt.text)
		}
		checkLimits(t, rs)
	}
}

// checkLimits asserts Slack's limits on every reply.
func checkLimits(t *testing.T, rs []Reply) {
	t.Helper()
	for _, r := range rs {
		if len(r.Blocks) > maxBlocks {
			t.Errorf("%d blocks, Slack allows %d", len(r.Blocks), maxBlocks)
		}
		for _, b := range r.Blocks {
			switch b := b.(type) {
			case *slack.SectionBlock:
				if b.Text != nil && len([]rune(b.Text.Text)) > maxSectionText {
					t.Errorf("section of %d characters", len([]rune(b.Text.Text)))
				}
			case *slack.HeaderBlock:
				if len([]rune(b.Text.Text)) > maxHeaderText {
					t.Errorf("header of %d characters", len([]rune(b.Text.Text)))
				}
			case *slack.ActionBlock:
				for _, e := range b.Elements.ElementSet {
					if btn, ok := e.(*slack.ButtonBlockElement); ok && len(btn.Value) > maxButtonValue {
						t.Errorf("button value of %d characters", len(btn.Value))
					}
				}
			}
		}
	}
}

// channelChatter is what people post in channels with numbers in it, in
// English, Vietnamese and Thai; none of it may get an answer.
var channelChatter = []string{
	"we had 550 people at the meetup",
	"standup at 12:55, then the 4.5.1 release",
	"server 10.4.5.1 is back, port 587 open",
	"PR #550 merged, thanks! INC-4211 closed",
	"",
	// Counts.
	"DMARC aggregate report for yesterday: 550 messages passed, 4 failed",
	"Báo cáo DMARC hôm qua: 550 thư đạt, 4 thư lỗi",
	"รายงาน DMARC เมื่อวาน: ผ่าน 550 ฉบับ ไม่ผ่าน 4 ฉบับ",
	"รายงาน DMARC เมื่อวาน: 550 ฉบับผ่าน, 4 ฉบับไม่ผ่าน",
	"Q3 numbers: 550 signups, 421 churned, 250 upgraded",
	"Kết quả chiến dịch: gửi 550 email, 421 lượt mở, 45 bị trả về",
	"ผลแคมเปญ: ส่ง 550 อีเมล เปิด 421 ครั้ง ตีกลับ 45",
	// Tool output full of numbers.
	"$ sort access.log | uniq -c | sort -rn | head\n    550 GET /api/v1/health\n    421 POST /api/v1/login\n    250 GET /favicon.ico",
	"$ uniq -c reasons.txt\n    550 Connection timed out\n    421 Relay access denied\n     12 other",
	"   550 /var/log/mail.log\n   421 /var/log/syslog\n   971 total",
	"package        version\nopenssl        3.0.13\npostfix        3.7.11\ndovecot        2.3.21\nexim           4.97",
	"versions: go 1.26.8, postfix 3.9.1, node 22.4.1",
	" count | status\n-------+--------\n   550 | sent\n   421 | deferred\n    45 | bounced",
	"Top senders today:\n550 alice@example.com\n421 bob@example.com\n250 carol@example.com",
	"Số thư theo trạng thái:\n550 đã gửi\n421 hoãn\n45 bị trả về",
	"จำนวนเมลตามสถานะ:\n550 ส่งแล้ว\n421 เลื่อน\n45 ตีกลับ",
	// Status pages.
	"Status page: All systems operational. API 99.98% uptime, 550 ms p99 latency, 421 incidents resolved this year",
	"Trạng thái hệ thống: 550 yêu cầu mỗi giây, 421 người dùng online",
	"สถานะระบบ: 550 คำขอต่อวินาที 421 ผู้ใช้ออนไลน์",
	// Grafana and Alertmanager alerts.
	"[FIRING:1] HighErrorRate (prod api-gateway critical)\nSummary: 5xx rate above threshold\nValue: 550\nLabels: alertname=HighErrorRate, severity=critical",
	"[Alerting] Mail queue size alert\nMetric: postfix_queue_size\nValue: 550\nThreshold: 500",
	"Grafana: Cảnh báo tỉ lệ lỗi\nGiá trị: 550\nNgưỡng: 500",
	"Grafana แจ้งเตือน: อัตราข้อผิดพลาด\nค่า: 550\nเกณฑ์: 500",
	// HTTP access logs and status counts.
	`192.0.2.10 - - [05/Dec/2026:08:12:01 +0000] "GET /index.html HTTP/1.1" 421 512 "-" "curl/8.5"` + "\n" +
		`192.0.2.11 - - [05/Dec/2026:08:12:02 +0000] "POST /login HTTP/1.1" 450 0 "-" "Mozilla/5.0"`,
	"HTTP status counts last hour:\n421: 12\n450: 3\n200: 55012",
	"Số lượng mã HTTP giờ qua:\n421: 12\n450: 3",
	"จำนวนสถานะ HTTP ชั่วโมงที่แล้ว:\n421: 12\n450: 3",
	// Invoices.
	"Invoice #INV-2026-550 for $550.00 is due on 12/15",
	"Invoice 550: 1,200 USD, due 15/12",
	"Hóa đơn số 550: 12.000.000 đồng, hạn 15/12",
	"ใบแจ้งหนี้ 550: 12,000 บาท ครบกำหนด 15/12",
	"Sprint 550 retro at 4:21pm, room 250",
}

// channelBounces are real replies pasted in channels, from bare lines to
// whole bounces, with people's words around some; each gets an answer.
var channelBounces = []string{
	gmailBounce,
	"550 Requested action not taken: mailbox unavailable",
	"421 Service not available, closing transmission channel",
	"554 Transaction failed",
	"550 <jane.doe@example.com>... User unknown",
	"550 5.1.1 The email account that you tried to reach does not exist.",
	"got this from outlook: 550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. what do I do",
	"Gửi không được, nó báo: 552 5.2.2 The email account that you tried to reach is over quota",
	"ส่งไม่ออกครับ ขึ้นว่า\n421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints",
	"May  7 12:55:01 mail postfix/smtp[23114]: 4F3A2B5501: to=<ops@example.net>, relay=none, delay=30, dsn=4.4.1, status=deferred (connect to mx.example.net[192.0.2.44]:25: Connection timed out)",
}

func TestPasteInChannel(t *testing.T) {
	rt, _ := newRouter(t)
	for _, text := range channelChatter {
		if rs := rt.Handle(context.Background(), Request{Source: SourceMessage, ChannelID: "C1", TS: "1.1", Text: text}); len(rs) != 0 {
			t.Errorf("chatter %q got a reply: %s", text, rendered(t, rs))
		}
	}
	for _, text := range channelBounces {
		rs := rt.Handle(context.Background(), Request{Source: SourceMessage, UserID: "U1", ChannelID: "C1", TS: "1.1", Text: text})
		if len(rs) != 1 || rs[0].Delivery != DeliverThread || rs[0].ThreadTS != "1.1" {
			t.Errorf("a pasted bounce got %d replies, want one in its thread: %q", len(rs), text)
		}
	}
}

func TestEscapesPings(t *testing.T) {
	rt, _ := newRouter(t)
	text := "<!channel> <!here> <@U123> said: 550 5.1.1 <!everyone> user unknown <@U999>"
	rs := rt.Handle(context.Background(), Request{Source: SourceSlash, UserID: "U1", Text: text})
	got := rendered(t, rs)
	for _, ping := range []string{"<!channel>", "<!here>", "<@U123>", "<!everyone>", "<@U999>"} {
		if strings.Contains(got, ping) {
			t.Errorf("reply carries %q unescaped", ping)
		}
	}
}

func TestManyCodesStayInsideLimits(t *testing.T) {
	rt, _ := newRouter(t)
	var b strings.Builder
	codes := []string{"550 5.1.1", "550 5.1.2", "550 5.2.1", "552 5.2.2", "451 4.4.1", "421 4.7.0", "554 5.7.1", "550 5.7.26", "553 5.1.3", "450 4.2.1"}
	for i := range 30 {
		b.WriteString("host mx" + string(rune('a'+i%26)) + ".example.net[192.0.2.1] said: " + codes[i%len(codes)] + " rejected " + strings.Repeat("x", i) + "\n")
	}
	rs := rt.Handle(context.Background(), Request{Source: SourceSlash, UserID: "U1", Text: b.String()})
	checkLimits(t, rs)
	if !strings.Contains(rendered(t, rs), "more codes") {
		t.Error("a bounce with many codes does not say that more codes follow")
	}
}

func TestLanguageOrder(t *testing.T) {
	rt, prefs := newRouter(t)
	ctx := context.Background()
	lang := func(req Request, explicit string) string { return rt.language(ctx, req, explicit).Tag }
	req := Request{UserID: "U1", Text: "550"}
	if got := lang(req, ""); got != "en" {
		t.Errorf("nothing known: %s, want en", got)
	}
	prefs.locales["U1"] = "vi-VN"
	if got := lang(req, ""); got != "vi" {
		t.Errorf("Slack locale vi-VN: %s", got)
	}
	if got := lang(Request{UserID: "U1", Text: "ส่งอีเมลไม่ได้ 550"}, ""); got != "th" {
		t.Errorf("Thai text beats the Slack locale: %s", got)
	}
	prefs.saved["U1"] = "th"
	if got := lang(Request{UserID: "U1", Text: "Không gửi được email, lỗi 550"}, ""); got != "th" {
		t.Errorf("a saved choice beats the message's script: %s", got)
	}
	if got := lang(req, "en"); got != "en" {
		t.Errorf("lang:en beats everything: %s", got)
	}
	if got := lang(req, "fr"); got != "th" {
		t.Errorf("an unknown lang: falls through to the saved choice: %s", got)
	}
}

func TestLangCommand(t *testing.T) {
	rt, prefs := newRouter(t)
	ctx := context.Background()
	rt.Handle(ctx, Request{Source: SourceSlash, UserID: "U1", Text: "lang vi"})
	if prefs.saved["U1"] != "vi" {
		t.Fatalf("/smtp lang vi saved %q", prefs.saved["U1"])
	}
	rs := rt.Handle(ctx, Request{Source: SourceSlash, UserID: "U1", Text: "550"})
	vi, _ := rt.eng.Languages().Get("vi")
	if !strings.Contains(rendered(t, rs), vi.T("heading.fix")) {
		t.Error("after /smtp lang vi the answer is not in Vietnamese")
	}
	rs = rt.Handle(ctx, Request{Source: SourceSlash, UserID: "U1", Text: "550 lang:en"})
	if !strings.Contains(rendered(t, rs), "How to fix it") {
		t.Error("lang:en did not answer once in English")
	}
	prefs.fail = true
	rs = rt.Handle(ctx, Request{Source: SourceSlash, UserID: "U2", Text: "lang th"})
	if len(rs) != 1 || rs[0].Text == "" {
		t.Error("a failed save got no answer")
	}
}

func TestButtons(t *testing.T) {
	rt, _ := newRouter(t)
	ctx := context.Background()
	rs := rt.Handle(ctx, Request{Source: SourceSlash, UserID: "U1", ChannelID: "C1", Text: "550 5.1.1", ResponseURL: "https://hooks.example/1"})
	buttons := map[string]string{}
	for _, b := range rs[0].Blocks {
		if a, ok := b.(*slack.ActionBlock); ok {
			for _, e := range a.Elements.ElementSet {
				switch e := e.(type) {
				case *slack.ButtonBlockElement:
					buttons[e.ActionID] = e.Value
				case *slack.SelectBlockElement:
					if len(e.Options) == 0 {
						t.Error("compare select has no options")
					} else {
						buttons[e.ActionID] = e.Options[0].Value
					}
				}
			}
		}
	}
	for _, id := range []string{actionLang + ":vi", actionLang + ":th", actionShare, actionCompare} {
		if buttons[id] == "" {
			t.Fatalf("no %s element in %v", id, buttons)
		}
	}
	click := func(id string) []Reply {
		return rt.Handle(ctx, Request{Source: SourceAction, UserID: "U1", ChannelID: "C1", ResponseURL: "https://hooks.example/2",
			Action: &Action{ActionID: id, Value: buttons[id], MessageTS: "2.2", Ephemeral: true}})
	}
	th, _ := rt.eng.Languages().Get("th")
	if rs := click(actionLang + ":th"); len(rs) != 1 || rs[0].Delivery != DeliverReplace || !strings.Contains(rendered(t, rs), th.T("heading.fix")) {
		t.Errorf("language button: %+v", rs)
	}
	if rs := click(actionShare); len(rs) != 1 || rs[0].Delivery != DeliverChannel || strings.Contains(rendered(t, rs), actionShare) {
		t.Errorf("share button: want one in-channel reply without a share button, got %s", rendered(t, rs))
	}
	if rs := click(actionCompare); len(rs) != 1 || !strings.Contains(rs[0].Text, " vs ") {
		t.Errorf("compare select: %+v", rs)
	}
	bad := rt.Handle(ctx, Request{Source: SourceAction, UserID: "U1", Action: &Action{ActionID: actionLang + ":vi", Value: "{not json"}})
	if len(bad) != 0 {
		t.Error("a malformed button value was answered")
	}
}

func TestMentionDMShortcutHome(t *testing.T) {
	rt, _ := newRouter(t)
	ctx := context.Background()
	rs := rt.Handle(ctx, Request{Source: SourceMention, UserID: "U1", ChannelID: "C1", TS: "5.5", Text: "<@UBOT> 421?"})
	if len(rs) != 1 || rs[0].ThreadTS != "5.5" || !strings.Contains(rs[0].Text, "421") {
		t.Errorf("mention 421?: %+v", rs)
	}
	rs = rt.Handle(ctx, Request{Source: SourceMention, UserID: "U1", ChannelID: "C1", TS: "5.6", ThreadTS: "5.0", Text: "<@UBOT> what is this?", ParentText: gmailBounce})
	if len(rs) != 1 || rs[0].ThreadTS != "5.0" || !strings.Contains(rs[0].Text, "5.1.1") {
		t.Errorf("mention under a bounce: %+v", rs)
	}
	rs = rt.Handle(ctx, Request{Source: SourceDM, UserID: "U1", ChannelID: "D1", Text: "compare 550 551"})
	if len(rs) != 1 || rs[0].Delivery != DeliverChannel || !strings.Contains(rs[0].Text, "vs 551") {
		t.Errorf("DM compare: %+v", rs)
	}
	rs = rt.Handle(ctx, Request{Source: SourceShortcut, UserID: "U1", ChannelID: "C1", Text: gmailBounce, ResponseURL: "https://hooks.example/3"})
	if len(rs) != 1 || rs[0].Delivery != DeliverEphemeral || !strings.Contains(rs[0].Text, "5.1.1") {
		t.Errorf("shortcut: %+v", rs)
	}
	rs = rt.Handle(ctx, Request{Source: SourceShortcut, UserID: "U1", Text: "lunch?"})
	if len(rs) != 1 || rs[0].Text == "" {
		t.Errorf("shortcut on a message without codes must still answer: %+v", rs)
	}
	rs = rt.Handle(ctx, Request{Source: SourceHome, UserID: "U1"})
	if len(rs) != 1 || rs[0].Delivery != DeliverHome || len(rs[0].Blocks) == 0 {
		t.Errorf("home: %+v", rs)
	}
	rs = rt.Handle(ctx, Request{Source: SourceAction, UserID: "U1", Action: &Action{ActionID: actionHomeCode + ":550 5.1.1", Value: "550 5.1.1"}})
	if len(rs) != 1 || !strings.Contains(rendered(t, rs), "550 5.1.1") {
		t.Errorf("home code button: %+v", rs)
	}
}

// panicPrefs panics, standing in for any bug below a handler.
type panicPrefs struct{ mapPrefs }

func (*panicPrefs) SavedLanguage(context.Context, string) string { panic("boom") }

func TestPanicIsAnsweredNotLost(t *testing.T) {
	rt := NewRouter(engine(t), &panicPrefs{}, Options{}, slog.New(slog.DiscardHandler))
	rs := rt.Handle(context.Background(), Request{Source: SourceSlash, UserID: "U1", Text: "550"})
	if len(rs) != 1 || rs[0].Text == "" {
		t.Errorf("a panic left the user without an answer: %+v", rs)
	}
}

// TestProviderNamedInQuestion: a provider the person names ("from gmail")
// gives the code that provider's meaning, whether they ask about a code or
// paste a bounce after their words; words inside a bounce do not count.
func TestProviderNamedInQuestion(t *testing.T) {
	rt, _ := newRouter(t)
	ctx := context.Background()
	tests := []struct {
		text, want, not string
	}{
		{"why am I getting 5.7.26 from gmail", "What Gmail means by it", ""},
		{"lỗi 5.7.26 từ gmail là sao", "Gmail", "Multiple Authentication Checks Failed"},
		{"got this from outlook:\n550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\nwhat do I do", "Microsoft", ""},
		{"what does 5.7.26 mean", "", "What Gmail means by it"},
	}
	for _, tt := range tests {
		rs := rt.Handle(ctx, Request{Source: SourceDM, UserID: "U1", ChannelID: "D1", Text: tt.text})
		got := rendered(t, rs)
		if tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("%q: reply lacks %q:\n%.800s", tt.text, tt.want, got)
		}
		if tt.not != "" && strings.Contains(got, tt.not) {
			t.Errorf("%q: reply has %q:\n%.800s", tt.text, tt.not, got)
		}
	}
}

// TestWordedBounce: a bounce that says why in words alone, with no code,
// gets its reason in a DM and from the slash command, in its words; it
// gets nothing in a channel, where only codes start an answer, and
// chatter that names a reason is no bounce anywhere.
func TestWordedBounce(t *testing.T) {
	rt, _ := newRouter(t)
	bounce := "<ops@example.net>: connect to mx.example.net[192.0.2.44]:25: Connection timed out"
	for _, src := range []Source{SourceSlash, SourceDM} {
		got := rendered(t, rt.Handle(context.Background(), Request{Source: src, UserID: "U1", ChannelID: "D1", Text: bounce}))
		if !strings.Contains(got, "Expired in the queue") || !strings.Contains(got, "Connection timed out") {
			t.Errorf("%s: no reason read from the words: %s", src, got)
		}
	}
	if rs := rt.Handle(context.Background(), Request{Source: SourceMessage, ChannelID: "C1", TS: "1.1", Text: bounce}); len(rs) != 0 {
		t.Errorf("a channel message with no code got a reply: %s", rendered(t, rs))
	}
	// Its language buttons render the same verdict in another language,
	// from the state they carry, even with the words cut short.
	rs := rt.Handle(context.Background(), Request{Source: SourceDM, UserID: "U1", ChannelID: "D1", Text: bounce})
	value := buttonValue(rs[0].Blocks, actionLang+":vi")
	if value == "" {
		t.Fatal("no language button under the answer")
	}
	var st state
	if err := json.Unmarshal([]byte(value), &st); err != nil || len(st.Worded) != 1 {
		t.Fatalf("button state %q: %v", value, err)
	}
	st.Worded[0].Text = st.Worded[0].Text[:10]
	cut, _ := json.Marshal(st)
	vi := lang(t, rt, "vi")
	for _, v := range []string{value, string(cut)} {
		got := rendered(t, rt.Handle(context.Background(), Request{Source: SourceAction, UserID: "U1", ChannelID: "D1",
			Action: &Action{ActionID: actionLang + ":vi", Value: v, MessageTS: "1.1"}}))
		if !strings.Contains(got, vi.T("reason.expired.title")) || !strings.Contains(got, vi.T("worded.title")) {
			t.Errorf("the vi button did not render the verdict in vi: %s", got)
		}
	}
	// A code the bounce only mentions does not hide the failure its
	// words report.
	mention := "This is the mail system at host mail.example.org.\n\n<ops@example.net>: The e-mail message could not be " +
		"delivered because the user's mailfolder is full.\n\nFor what codes such as 5.2.2 mean, see our FAQ.\n"
	for _, src := range []Source{SourceSlash, SourceDM, SourceShortcut} {
		got := rendered(t, rt.Handle(context.Background(), Request{Source: src, UserID: "U1", ChannelID: "D1", Text: mention}))
		if !strings.Contains(got, "Mailbox full") || !strings.Contains(got, "A bounce without a code") {
			t.Errorf("%s: the failure in the words is not answered beside a mentioned code: %s", src, got)
		}
	}
	chatter := "standup moved to 12:55, my mailbox is full of tickets"
	got := rendered(t, rt.Handle(context.Background(), Request{Source: SourceDM, UserID: "U1", ChannelID: "D1", Text: chatter}))
	if strings.Contains(got, "A bounce without a code") {
		t.Errorf("chatter read as a bounce: %s", got)
	}
}
