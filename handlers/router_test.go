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

func TestPasteInChannel(t *testing.T) {
	rt, _ := newRouter(t)
	chatter := []string{
		"we had 550 people at the meetup",
		"standup at 12:55, then the 4.5.1 release",
		"server 10.4.5.1 is back, port 587 open",
		"PR #550 merged, thanks! INC-4211 closed",
		"",
	}
	for _, text := range chatter {
		if rs := rt.Handle(context.Background(), Request{Source: SourceMessage, ChannelID: "C1", TS: "1.1", Text: text}); len(rs) != 0 {
			t.Errorf("chatter %q got a reply: %s", text, rendered(t, rs))
		}
	}
	rs := rt.Handle(context.Background(), Request{Source: SourceMessage, UserID: "U1", ChannelID: "C1", TS: "1.1", Text: gmailBounce})
	if len(rs) != 1 || rs[0].Delivery != DeliverThread || rs[0].ThreadTS != "1.1" {
		t.Fatalf("a pasted bounce got %+v, want one reply in its thread", rs)
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
