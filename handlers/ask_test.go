package handlers

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

func lang(t *testing.T, rt *Router, tag string) *locales.Lang {
	t.Helper()
	l, ok := rt.eng.Languages().Get(tag)
	if !ok {
		t.Fatalf("no language %s", tag)
	}
	return l
}

func compareTitle(t *testing.T, rt *Router, tag, a, b string) string {
	t.Helper()
	ca, _ := catalog.Parse(a)
	cb, _ := catalog.Parse(b)
	return rt.eng.Compare(lang(t, rt, tag), ca, cb).Title
}

// TestQuestionsInChat sends questions as people type them, from a user
// whose Slack locale is English, through DMs, mentions, /smtp and the
// message shortcut, and checks the kind of answer and its language.
func TestQuestionsInChat(t *testing.T) {
	rt, prefs := newRouter(t)
	prefs.locales["U1"] = "en-US"
	ctx := context.Background()
	sources := []Source{SourceDM, SourceMention, SourceSlash, SourceShortcut}
	tests := []struct {
		text string
		tag  string
		want func(tag string) string // a text the answer must hold
	}{
		{"hi! what's the difference between 550 and 554?", "en", func(tag string) string { return compareTitle(t, rt, tag, "550", "554") }},
		{"550 vs 554?", "en", func(tag string) string { return compareTitle(t, rt, tag, "550", "554") }},
		{"compare 4.7.0 and 5.7.0", "en", func(tag string) string { return compareTitle(t, rt, tag, "4.7.0", "5.7.0") }},
		{"550 và 554 khác nhau thế nào?", "vi", func(tag string) string { return compareTitle(t, rt, tag, "550", "554") }},
		{"550 กับ 554 ต่างกันยังไง", "th", func(tag string) string { return compareTitle(t, rt, tag, "550", "554") }},
		{"what does 221 mean", "en", func(tag string) string { return lang(t, rt, tag).T("heading.fix") }},
		{"wat is 553", "en", func(string) string { return "553 " }},
		{"mã 550 nghĩa là gì?", "vi", func(tag string) string { return lang(t, rt, tag).T("heading.fix") }},
		{"lỗi 5.3.4 là sao", "vi", func(tag string) string { return lang(t, rt, tag).T("heading.fix") }},
		{"รหัส 550 หมายถึงอะไร", "th", func(tag string) string { return lang(t, rt, tag).T("heading.fix") }},
		{"which code means mailbox full?", "en", func(string) string { return "5.2.2" }},
		{"mã nào báo hộp thư đầy?", "vi", func(string) string { return "5.2.2" }},
		{"รหัสไหนหมายถึงเมลบ็อกซ์เต็ม", "th", func(string) string { return "5.2.2" }},
	}
	for _, tt := range tests {
		for _, src := range sources {
			text := tt.text
			if src == SourceMention {
				text = "<@UBOT> " + text
			}
			rs := rt.Handle(ctx, Request{Source: src, UserID: "U1", ChannelID: "C1", TS: "9.9", Text: text, ResponseURL: "https://hooks.example/9"})
			if len(rs) != 1 {
				t.Errorf("%s %q: %d replies", src, tt.text, len(rs))
				continue
			}
			got := rendered(t, rs)
			if want := tt.want(tt.tag); !strings.Contains(got, want) {
				t.Errorf("%s %q: answer lacks %q:\n%.600s", src, tt.text, want, got)
			}
			if strings.Contains(got, lang(t, rt, tt.tag).T("slack.no_codes")) {
				t.Errorf("%s %q: answered that it found no code", src, tt.text)
			}
			checkLimits(t, rs)
		}
	}
}

// TestComparisonNotTwoExplanations: a comparison asked in words gets the
// comparison, with its differences, and never quotes the question as the
// server's words.
func TestComparisonNotTwoExplanations(t *testing.T) {
	rt, _ := newRouter(t)
	for _, text := range []string{"550 vs 554?", "421 or 450?", "difference between 421 and 450", "compare 4.7.0 and 5.7.0"} {
		rs := rt.Handle(context.Background(), Request{Source: SourceDM, UserID: "U1", ChannelID: "D1", Text: text})
		got := rendered(t, rs)
		if !strings.Contains(got, "Key differences") || strings.Contains(got, "What the server said") {
			t.Errorf("%q: not a comparison:\n%.500s", text, got)
		}
	}
}

// TestChosenLanguageWins: a saved choice and lang:xx beat the language a
// question is written in.
func TestChosenLanguageWins(t *testing.T) {
	rt, prefs := newRouter(t)
	ctx := context.Background()
	prefs.saved["U2"] = "en"
	rs := rt.Handle(ctx, Request{Source: SourceDM, UserID: "U2", ChannelID: "D1", Text: "550 và 554 khác nhau thế nào?"})
	if want := compareTitle(t, rt, "en", "550", "554"); !strings.Contains(rendered(t, rs), want) {
		t.Errorf("saved English: answer is not in English")
	}
	rs = rt.Handle(ctx, Request{Source: SourceDM, UserID: "U3", ChannelID: "D1", Text: "what's the difference between 550 and 554? lang:th"})
	if want := compareTitle(t, rt, "th", "550", "554"); !strings.Contains(rendered(t, rs), want) {
		t.Errorf("lang:th: answer is not in Thai")
	}
}

// TestSmallTalk: messages with nothing to look up get a short answer in
// their language that says what the bot does, with two examples; different
// messages get different answers.
func TestSmallTalk(t *testing.T) {
	rt, _ := newRouter(t)
	ctx := context.Background()
	tests := []struct{ text, tag, key string }{
		{"hi", "en", "intent.chat.greeting"},
		{"hello there", "en", "intent.chat.greeting"},
		{"thanks!", "en", "intent.chat.thanks"},
		{"lunch?", "en", "intent.chat.no_match"},
		{"we sent 550 messages yesterday", "en", "intent.chat.no_match"},
		{"how are you", "en", "intent.chat.other"},
		{"xin chào", "vi", "intent.chat.greeting"},
		{"cảm ơn nhé", "vi", "intent.chat.thanks"},
		{"cho mình hỏi giá vé máy bay", "vi", "intent.chat.no_match"},
		{"สวัสดีครับ", "th", "intent.chat.greeting"},
		{"ขอบคุณครับ", "th", "intent.chat.thanks"},
		{"ส่ง 550 ฉบับ", "th", "intent.chat.other"},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		rs := rt.Handle(ctx, Request{Source: SourceDM, UserID: "U1", ChannelID: "D1", Text: tt.text})
		if len(rs) != 1 {
			t.Fatalf("%q: %d replies", tt.text, len(rs))
		}
		l := lang(t, rt, tt.tag)
		lead, _, _ := strings.Cut(l.T(tt.key), "{")
		if !strings.HasPrefix(rs[0].Text, lead) {
			t.Errorf("%q: answer %q does not start like %s in %s", tt.text, rs[0].Text, tt.key, tt.tag)
		}
		if strings.Count(rs[0].Text, "`") < 4 {
			t.Errorf("%q: answer %q lacks two examples", tt.text, rs[0].Text)
		}
		if other, ok := seen[rs[0].Text]; ok {
			t.Errorf("%q and %q got the same answer %q", tt.text, other, rs[0].Text)
		}
		seen[rs[0].Text] = tt.text
	}
}

// TestMentionInThread: a question about the thread's bounce explains it;
// thanks is not a question.
func TestMentionInThread(t *testing.T) {
	rt, _ := newRouter(t)
	ctx := context.Background()
	for _, text := range []string{"<@UBOT> what does this mean?", "<@UBOT> is this a hard bounce?", "<@UBOT> cái này là sao?", "<@UBOT> อันนี้คืออะไร"} {
		rs := rt.Handle(ctx, Request{Source: SourceMention, UserID: "U1", ChannelID: "C1", TS: "5.6", ThreadTS: "5.0", Text: text, ParentText: gmailBounce})
		if len(rs) != 1 || !strings.Contains(rs[0].Text, "5.1.1") {
			t.Errorf("%q under a bounce: %+v", text, rs)
		}
	}
	rs := rt.Handle(ctx, Request{Source: SourceMention, UserID: "U1", ChannelID: "C1", TS: "5.7", ThreadTS: "5.0", Text: "<@UBOT> thanks!", ParentText: gmailBounce})
	thanks, _, _ := strings.Cut(rt.eng.Languages().Fallback().T("intent.chat.thanks"), "{")
	if len(rs) != 1 || !strings.HasPrefix(rs[0].Text, thanks) {
		t.Errorf("thanks under a bounce did not get thanks back: %+v", rs)
	}
}

// askCases are the questions whose answers TestAskGolden keeps, per
// language: a search by meaning, one that finds nothing, and small talk.
var askCases = map[string][]string{
	"en": {"which code means mailbox full?", "codes for greylisting", "lunch?", "hi", "thanks!", "how are you"},
	"vi": {"mã nào báo hộp thư đầy?", "mã lỗi cho greylisting", "cho mình hỏi giá vé máy bay", "xin chào", "cảm ơn nhé", "ừ ok"},
	"th": {"รหัสไหนหมายถึงเมลบ็อกซ์เต็ม", "รหัสสำหรับ greylisting", "ราคาตั๋วเครื่องบิน", "สวัสดีครับ", "ขอบคุณครับ", "ส่ง 550 ฉบับ"},
}

// TestAskGolden keeps the text of the answers to questions by meaning and
// to small talk, as Slack shows them in a DM, and the command line's
// search output.
func TestAskGolden(t *testing.T) {
	rt, _ := newRouter(t)
	for _, l := range rt.eng.Languages().Languages() {
		var b strings.Builder
		for _, q := range askCases[l.Tag] {
			rs := rt.Handle(context.Background(), Request{Source: SourceDM, UserID: "U1", ChannelID: "D1", Text: q + " lang:" + l.Tag})
			b.WriteString("> " + q + "\n")
			for _, r := range rs {
				for _, blk := range r.Blocks {
					switch blk := blk.(type) {
					case *slack.SectionBlock:
						b.WriteString(blk.Text.Text + "\n")
					case *slack.ContextBlock:
						for _, e := range blk.ContextElements.Elements {
							if t, ok := e.(*slack.TextBlockObject); ok {
								b.WriteString(t.Text + "\n")
							}
						}
					}
				}
			}
			b.WriteString("\n")
		}
		golden(t, filepath.Join(l.Tag, "ask.txt"), []byte(b.String()))
		q := askCases[l.Tag][0]
		var buf bytes.Buffer
		if err := WriteFound(&buf, l, q, rt.eng.Search(l, q)); err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join(l.Tag, "search_mailbox_full.txt"), buf.Bytes())
	}
}

// TestMentionKeepsTheAskersWords: a reply pasted after a question in a
// mention is answered in the question's language, with the provider it
// names, as in a DM (docs/reviews/en-truth-typed-input.md).
func TestMentionKeepsTheAskersWords(t *testing.T) {
	rt, _ := newRouter(t)
	ctx := context.Background()
	for text, want := range map[string]string{
		"<@UBOT> gmail trả về 421-4.7.0 Our system has detected an unusual rate of unsolicited mail":     "vi",
		"<@UBOT> เจอแบบนี้ครับ 552 5.2.2 The email account that you tried to reach is over quota":        "th",
		"<@UBOT> gmail ตีกลับมาว่า 550-5.7.26 This mail is unauthenticated, which poses a security risk": "th",
	} {
		dm := rendered(t, rt.Handle(ctx, Request{Source: SourceDM, UserID: "U1", ChannelID: "D1", Text: strings.TrimPrefix(text, "<@UBOT> ")}))
		got := rendered(t, rt.Handle(ctx, Request{Source: SourceMention, UserID: "U1", ChannelID: "C1", TS: "5.6", Text: text}))
		if got != dm {
			t.Errorf("%q (%s): the mention's answer differs from the DM's:\n%s\nDM:\n%s", text, want, got, dm)
		}
	}
}
