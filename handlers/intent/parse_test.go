package intent

import (
	"strings"
	"testing"
)

// phrasings are questions as people type them in DMs and mentions: typos,
// no punctuation, emoji, mixed case, Slack's *bold* and `code`, mentions.
// codes lists what is explained or compared, lang the language the words
// show ("" for English or codes alone).
var phrasings = []struct {
	text  string
	kind  Kind
	codes string // codes joined by "|"
	lang  string
}{
	// English: explain in a sentence.
	{"what does 550 5.7.1 mean?", Explain, "550 5.7.1", ""},
	{"What does 550 5.7.1 mean", Explain, "550 5.7.1", ""},
	{"what does 221 mean", Explain, "221", ""},
	{"wat is 553", Explain, "553", ""},
	{"wats 553??", Explain, "553", ""},
	{"what's a 421", Explain, "421", ""},
	{"whats 5.7.26", Explain, "5.7.26", ""},
	{"is 4.2.2 a hard bounce?", Explain, "4.2.2", ""},
	{"is 4.2.2 a hard bounce or soft", Explain, "4.2.2", ""},
	{"why am I getting 5.7.26 from gmail", Explain, "5.7.26", ""},
	{"why am i getting 5.7.26 from gmail :thinking_face:", Explain, "5.7.26", ""},
	{"550 5.1.1??", Explain, "550 5.1.1", ""},
	{"550?", Explain, "550", ""},
	{"`550 5.1.1` ???", Explain, "550 5.1.1", ""},
	{"*550* means what", Explain, "550", ""},
	{"<@U0BOT> what does 454 mean", Explain, "454", ""},
	{"<@U0BOT|smtp> 4.7.1 pls", Explain, "4.7.1", ""},
	{"hey can u explain 451 4.7.1", Explain, "451 4.7.1", ""},
	{"help me with 550", Explain, "550", ""},
	{"explain 5.2.2 please 🙏", Explain, "5.2.2", ""},
	{"WHAT IS 552", Explain, "552", ""},
	{"meaning of 5.4.7?", Explain, "5.4.7", ""},
	{"we keep getting 421s from yahoo, what gives", Explain, "421", ""},
	{"got a 535 when logging in to smtp.office365.com", Explain, "535", ""},
	{"our app gets 530 5.7.0 on send, why", Explain, "530 5.7.0", ""},
	{"what do 421 and 450 mean", Explain, "421|450", ""},
	{"is 250 ok?", Explain, "250", ""},
	{"should i retry a 451", Explain, "451", ""},
	{"who needs to fix 5.7.23", Explain, "5.7.23", ""},
	{"5.1.10 outlook??", Explain, "5.1.10", ""},
	{"how do i fix 550 5.7.26 unauthenticated email", Explain, "550 5.7.26", ""},
	{"quick q: 554 5.7.1 = spam?", Explain, "554 5.7.1", ""},
	{"Hi there, what's 503 5.5.1", Explain, "503 5.5.1", ""},
	{"after PR #550 merged we see 5.7.1 everywhere", Explain, "5.7.1", ""},
	{"sent 550 messages and 3 got 5.1.1", Explain, "5.1.1", ""},
	{"smtp 252?", Explain, "252", ""},
	{"> 550 5.1.1\nwhat's this", Explain, "550 5.1.1", ""},
	// English: compare in any phrasing.
	{"550 vs 554", Compare, "550|554", ""},
	{"550 vs 554?", Compare, "550|554", ""},
	{"550 VS. 554", Compare, "550|554", ""},
	{"550 versus 554", Compare, "550|554", ""},
	{"hi! what's the difference between 550 and 554?", Compare, "550|554", ""},
	{"difference between 421 and 450", Compare, "421|450", ""},
	{"diff between 421 & 450", Compare, "421|450", ""},
	{"whats the diff 4.2.2 5.2.2", Compare, "4.2.2|5.2.2", ""},
	{"421 or 450?", Compare, "421|450", ""},
	{"is it 421 or 450", Compare, "421|450", ""},
	{"compare 4.7.0 and 5.7.0", Compare, "4.7.0|5.7.0", ""},
	{"Compare 4.7.0 with 5.7.0 pls", Compare, "4.7.0|5.7.0", ""},
	{"how is 550 different from 553", Compare, "550|553", ""},
	{"how does 5.1.1 differ from 5.1.10", Compare, "5.1.1|5.1.10", ""},
	{"550 5.1.1 vs 550 5.1.10 — same thing?", Compare, "550 5.1.1|550 5.1.10", ""},
	{"*421* vs *450* :thinking_face:", Compare, "421|450", ""},
	{"`5.7.23` or `5.7.24`?", Compare, "5.7.23|5.7.24", ""},
	{"<@U0BOT> 550 vs 551", Compare, "550|551", ""},
	{"which is worse, 451 or 452", Compare, "451|452", ""},
	{"can u compare 535 and 454", Compare, "535|454", ""},
	{"550 or 5.1.1 which one should I log", Compare, "550|5.1.1", ""},
	{"whats the diffrence between 550 and 554", Compare, "550|554", ""},
	{"differnce btw 421 and 450??", Compare, "421|450", ""},
	{"421 450?", Chat, "", ""}, // two numbers side by side are a list, as in the extractor,
	{"comapre 5.7.23 and 5.7.24", Compare, "5.7.23|5.7.24", ""},
	{"what does 550 mean and how is it different from 554", Compare, "550|554", ""},
	{"550 vs 554 vs 553", Explain, "550|554|553", ""},
	{"what's the difference between 5.7.1 and a hard bounce", Explain, "5.7.1", ""},
	// English: a bounce with words around it.
	{"550 5.1.1 User unknown", Bounce, "", ""},
	{"421 4.7.0 Service temporarily unavailable", Bounce, "", ""},
	{"554 5.7.1 spam?", Explain, "554 5.7.1", ""},
	{"550 5.1.1 what does it mean", Explain, "550 5.1.1", ""},
	{"got this from outlook: 550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. what do I do", Bounce, "", ""},
	{"gmail says 550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users", Bounce, "", ""},
	{"any idea?\n\n<jane@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command)", Bounce, "", ""},
	{"seeing this in the postfix log: status=deferred (host mx.example.net[192.0.2.9] said: 421 4.7.0 Try again later)", Bounce, "", ""},
	{"```\n554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org\n```\nhelp", Bounce, "", ""},
	{"yahoo: 421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints", Bounce, "", ""},
	// English: search by meaning.
	{"which code means mailbox full?", Search, "", ""},
	{"codes for greylisting", Search, "", ""},
	{"what code is greylisting", Search, "", ""},
	{"what's the code when the mailbox is full", Search, "", ""},
	{"code for message too big", Search, "", ""},
	{"which error means the user does not exist", Search, "", ""},
	{"spf fail code?", Search, "", ""},
	{"relay access denied", Search, "", ""},
	{"too many recipients code", Search, "", ""},
	{"code for wrong password", Search, "", ""},
	{"which codes mean rate limited", Search, "", ""},
	{"lunch?", Search, "", ""},
	// English: small talk.
	{"hi", Chat, "", ""},
	{"hello!", Chat, "", ""},
	{"Hey :wave:", Chat, "", ""},
	{"thanks!", Chat, "", ""},
	{"thx 🙏", Chat, "", ""},
	{"ok", Chat, "", ""},
	{"?", Chat, "", ""},
	{"what can you do?", Chat, "", ""},
	{"how are you", Chat, "", ""},
	{"", Chat, "", ""},
	{"<@U0BOT>", Chat, "", ""},
	// English: numbers that are not codes.
	{"we sent 550 messages yesterday", Search, "", ""},
	{"PR #550", Search, "", ""},
	{"it costs $550", Search, "", ""},
	{"latency 550 ms", Search, "", ""},
	{"upgrade to version 4.5.1", Search, "", ""},
	{"call me at 12:55", Search, "", ""},
	{"server 10.4.5.1 is up", Chat, "", ""},
	{"we sent 550 email today", Chat, "", ""},
	// English: a code after a ticket's id, codes written with a slash.
	{"INC0012345 421 from outlook", Explain, "421", ""},
	{"JIRA-123 550 again", Explain, "550", ""},
	{"550/554 difference", Compare, "550|554", ""},
	{"diff between 5.1.1/5.1.10", Compare, "5.1.1|5.1.10", ""},
	{"550/554?", Explain, "550|554", ""},
	{"port 25/tcp gets 421", Explain, "421", ""},

	// Vietnamese: explain.
	{"mã 550 nghĩa là gì?", Explain, "550", "vi"},
	{"ma 550 nghia la gi", Explain, "550", "vi"},
	{"lỗi 5.3.4 là sao", Explain, "5.3.4", "vi"},
	// The question after the code is the asker's, not a server's words.
	{"4.2.2 là lỗi tạm thời hay vĩnh viễn", Explain, "4.2.2", "vi"},
	{"421 la tam thoi hay vinh vien", Explain, "421", "vi"},
	{"mình gửi 550 email hôm nay", Chat, "", "vi"},
	{"phiên bản 2.0.0", Search, "", "vi"},
	{"loi 5.3.4 la sao vay", Explain, "5.3.4", "vi"},
	{"550 5.1.1 nghĩa là gì?", Explain, "550 5.1.1", "vi"},
	{"cho mình hỏi 421 là lỗi gì", Explain, "421", "vi"},
	{"tại sao gửi gmail bị 5.7.26", Explain, "5.7.26", "vi"},
	{"sao gửi Gmail cứ bị 5.7.26?", Explain, "5.7.26", "vi"},
	{"4.2.2 có phải hard bounce không?", Explain, "4.2.2", "vi"},
	{"bị lỗi 554 5.7.1 thì xử lý thế nào ạ", Explain, "554 5.7.1", "vi"},
	{"Mã lỗi 535 là gì vậy bạn", Explain, "535", "vi"},
	{"giải thích giúp mình 451 4.7.1 với", Explain, "451 4.7.1", "vi"},
	{"`550 5.7.1` là sao 😭", Explain, "550 5.7.1", "vi"},
	{"<@U0BOT> 5.1.10 nghĩa là gì", Explain, "5.1.10", "vi"},
	{"gặp 452 thì có cần gửi lại không", Explain, "452", "vi"},
	{"mình gửi 550 thư mà bị 5.7.1", Explain, "5.7.1", "vi"},
	// Vietnamese: compare.
	{"550 và 554 khác nhau thế nào?", Compare, "550|554", "vi"},
	{"550 va 554 khac nhau the nao", Compare, "550|554", "vi"},
	{"550 với 554 khác gì?", Compare, "550|554", "vi"},
	{"421 và 450 khác nhau thế nào?", Compare, "421|450", "vi"},
	{"so sánh 4.7.0 với 5.7.0", Compare, "4.7.0|5.7.0", "vi"},
	{"so sanh 4.7.0 voi 5.7.0", Compare, "4.7.0|5.7.0", "vi"},
	{"421 hay 450?", Compare, "421|450", ""},
	{"5.1.1 hoặc 5.1.10 cái nào đúng", Compare, "5.1.1|5.1.10", "vi"},
	{"phân biệt giúp mình 550 với 553", Compare, "550|553", "vi"},
	{"*550* vs *554* khác biệt ra sao", Compare, "550|554", "vi"},
	{"<@U0BOT> 535 với 454 khác nhau chỗ nào", Compare, "535|454", "vi"},
	{"550 vs 554 khac nhau k", Compare, "550|554", "vi"},
	{"421 voi 450 cai nao nang hon", Compare, "421|450", "vi"},
	// Vietnamese: bounce with words.
	{"bên outlook trả về cái này: 550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. giờ làm sao?", Bounce, "", "vi"},
	{"gửi mail bị lỗi này: 552 5.2.2 The email account that you tried to reach is over quota", Bounce, "", "vi"},
	// Vietnamese: search by meaning.
	{"mã nào báo hộp thư đầy?", Search, "", "vi"},
	{"hộp thư đầy là mã gì", Search, "", "vi"},
	{"hop thu day la ma nao", Search, "", "vi"},
	{"mã lỗi cho greylisting", Search, "", "vi"},
	{"người nhận không tồn tại thì mã gì", Search, "", "vi"},
	{"sai mật khẩu smtp báo mã nào", Search, "", "vi"},
	{"thư quá lớn thì lỗi gì", Search, "", "vi"},
	// Vietnamese: small talk.
	{"xin chào", Chat, "", "vi"},
	{"chào bot 👋", Chat, "", ""},
	{"cảm ơn nhé", Chat, "", "vi"},
	{"cám ơn bạn", Chat, "", "vi"},
	{"bạn làm được gì?", Chat, "", "vi"},

	// Thai: explain.
	{"รหัส 550 หมายถึงอะไร", Explain, "550", "th"},
	{"550 5.1.1 หมายถึงอะไร", Explain, "550 5.1.1", "th"},
	{"550 คืออะไรครับ", Explain, "550", "th"},
	{"โค้ด 421 แปลว่าอะไร", Explain, "421", "th"},
	{"4.2.2 เป็น hard bounce ไหม", Explain, "4.2.2", "th"},
	{"ทำไมส่งไป Gmail แล้วเจอ 5.7.26", Explain, "5.7.26", "th"},
	{"เจอ 554 5.7.1 ต้องแก้ยังไงคะ", Explain, "554 5.7.1", "th"},
	{"รหัส550หมายถึงอะไร", Explain, "550", "th"},
	{"ช่วยอธิบาย 451 4.7.1 หน่อยครับ", Explain, "451 4.7.1", "th"},
	{"`5.7.1` คือ?", Explain, "5.7.1", "th"},
	{"<@U0BOT> 535 คืออะไร", Explain, "535", "th"},
	{"ส่ง 550 ข้อความแล้วเจอ 5.1.1", Explain, "5.1.1", "th"},
	{"452 ต้องส่งใหม่ไหม", Explain, "452", "th"},
	{"เวอร์ชัน 2.0.0", Search, "", "th"},
	{"๕๕๐ คืออะไร", Explain, "550", "th"},
	{"ส่งไป 550 ฉบับ", Chat, "", "th"},
	{"รหัส ๕.๗.๑ หมายถึงอะไร", Explain, "5.7.1", "th"},
	// Thai: compare.
	{"550 กับ 554 ต่างกันยังไง", Compare, "550|554", "th"},
	{"550กับ554ต่างกันยังไง", Compare, "550|554", "th"},
	{"เทียบ 421 กับ 450", Compare, "421|450", "th"},
	{"เปรียบเทียบ 4.7.0 กับ 5.7.0", Compare, "4.7.0|5.7.0", "th"},
	{"421 หรือ 450 ครับ", Compare, "421|450", "th"},
	{"5.1.1 กับ 5.1.10 แตกต่างกันไหม", Compare, "5.1.1|5.1.10", "th"},
	{"*550* vs *553* ต่างกันตรงไหน", Compare, "550|553", "th"},
	{"<@U0BOT> 535 กับ 454 อันไหนหนักกว่า", Compare, "535|454", "th"},
	{"ความแตกต่างระหว่าง 421 และ 450", Compare, "421|450", "th"},
	{"550 vs 554 ต่างกันมั้ยครับ", Compare, "550|554", "th"},
	{"421กับ450 อันไหนต้องส่งใหม่", Compare, "421|450", "th"},
	// Thai: bounce with words.
	{"outlook ตีกลับมาแบบนี้: 550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. ทำไงดี", Bounce, "", "th"},
	{"เจอแบบนี้ครับ 552 5.2.2 The email account that you tried to reach is over quota", Bounce, "", "th"},
	// Thai: search by meaning.
	{"รหัสไหนหมายถึงเมลบ็อกซ์เต็ม", Search, "", "th"},
	{"รหัสไหนหมายถึงกล่องจดหมายเต็ม", Search, "", "th"},
	{"รหัสสำหรับ greylisting", Search, "", "th"},
	{"ไม่พบผู้รับ รหัสอะไร", Search, "", "th"},
	{"รหัสผ่านผิดได้โค้ดอะไร", Search, "", "th"},
	{"ไฟล์แนบใหญ่เกินเจอรหัสไหน", Search, "", "th"},
	// Thai: small talk.
	{"สวัสดีครับ", Chat, "", "th"},
	{"ขอบคุณครับ 🙏", Chat, "", "th"},
	{"ใช้ยังไง", Chat, "", "th"},
	{"หวัดดีครับ", Chat, "", "th"},
	{"สวัสดีค่ะ", Chat, "", "th"},
	{"ส่ง 550 ฉบับ", Chat, "", "th"},
}

func TestParsePhrasings(t *testing.T) {
	if len(phrasings) < 150 {
		t.Fatalf("%d phrasings; the table keeps at least 150", len(phrasings))
	}
	for _, tt := range phrasings {
		in := Parse(tt.text)
		var codes []string
		for _, c := range in.Codes {
			codes = append(codes, c.String())
		}
		if in.Kind != tt.kind || strings.Join(codes, "|") != tt.codes {
			t.Errorf("Parse(%q) = %s %v, want %s %s", tt.text, in.Kind, codes, tt.kind, tt.codes)
		}
		if in.Lang != tt.lang {
			t.Errorf("Parse(%q).Lang = %q, want %q", tt.text, in.Lang, tt.lang)
		}
	}
}

// TestSmallTalkIsNoSearch: thanks and help with another word in them stay
// small talk (docs/reviews/en-truth-typed-input.md): "many thanks" is no
// search for Too Many Recipients. A word for a problem still searches.
func TestSmallTalkIsNoSearch(t *testing.T) {
	for text, want := range map[string]Tone{
		"many thanks":  ToneThanks,
		"cảm ơn nhiều": ToneThanks,
		"cam on nhieu": ToneThanks,
		"ขอบคุณมากครับ":             ToneThanks,
		"what commands do you have": ToneHelp,
		"hướng dẫn sử dụng":         ToneHelp,
		"how does this bot work":    ToneHelp,
	} {
		if in := Parse(text); in.Kind != Chat || in.Tone != want {
			t.Errorf("Parse(%q) = %v, tone %v; want chat, tone %v", text, in.Kind, in.Tone, want)
		}
	}
	for _, text := range []string{"thanks, which code is mailbox full", "help: code for mailbox full"} {
		if in := Parse(text); in.Kind != Search {
			t.Errorf("Parse(%q) = %v; want a search", text, in.Kind)
		}
	}
}

// TestTypedWords: the words the typed-input audit found missing
// (docs/reviews/en-truth-typed-input.md): "differs from" in Thai, "worse
// than", and Vietnamese typed without its marks.
func TestTypedWords(t *testing.T) {
	for _, text := range []string{"421 ต่างกับ 450 ไหม", "is 550 worse than 554"} {
		if in := Parse(text); in.Kind != Compare {
			t.Errorf("Parse(%q) = %v; want a comparison", text, in.Kind)
		}
	}
	for _, text := range []string{"550 5.7.1 nghia la j", "421 la tam thoi hay vinh vien", "tro giup"} {
		if got := Language(text); got != "vi" {
			t.Errorf("Language(%q) = %q; want vi", text, got)
		}
	}
}
