package handlers

import (
	"strings"
	"unicode/utf8"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/catalog/extract"
	"github.com/smtpcodes/smtpbot/locales"
)

// typedReply answers a line that asks about one code and quotes the
// server's words after it ("เมลเด้งกลับ 550 5.1.1 User unknown", "gửi mail
// bị lỗi: 550 5.1.1 User unknown") as the failure it reports: the reason and
// the next step at the top, read from those words, as for a bounce. The
// chat grammar reads such a line as a question about the code, and a
// lookup would explain the code in general only.
//
// The words count as the server's only when a reason rule recognises them
// and they do not open as a person's words do ("after we changed SPF", "is
// it spam?"): "customer gets 550 5.1.1 on every send to this domain" stays a
// lookup, as nothing in "on every send" is a server's.
func (e *Engine) typedReply(lang *locales.Lang, codes []catalog.Code, text string, named *catalog.Provider) (Report, bool) {
	if len(codes) != 1 || strings.ContainsAny(text, "\r\n") || len(text) > maxQuestion {
		return Report{}, false
	}
	text, _ = cutLangToken(text) // "lang:vi" is no server's word
	words := wordsAfterCode(text, codes[0])
	if words == "" || askerWords(words) {
		return Report{}, false
	}
	if _, ok := e.cat.ClassifyWords(words, e.cat.DetectBlocklist(words), false); !ok {
		return Report{}, false
	}
	det := e.cat.Detect(words)
	prov := det.Provider
	if prov == nil {
		prov = named
	}
	f := extract.Finding{Code: codes[0], ServerText: words, Role: extract.RoleFailure}
	x := e.explain(lang, catalog.Query{Code: codes[0], ServerText: words, Provider: prov, Blocklist: det.Blocklist}, extract.RoleFailure)
	return Report{Lang: lang, Provider: prov, Explanations: []Explanation{x}, text: text,
		found: extract.Extraction{Findings: []extract.Finding{f}}}, true
}

// wordsAfterCode returns what text says after the last token of code
// ("550", "5.1.1", "550-5.1.1", "550:"), up to a question mark, trimmed;
// "" when nothing follows.
func wordsAfterCode(text string, code catalog.Code) string {
	reply, enhanced := "", ""
	if !code.Reply.IsZero() {
		reply = code.Reply.String()
	}
	if !code.Enhanced.IsZero() {
		enhanced = code.Enhanced.String()
	}
	end := -1
	for i := 0; i < len(text); {
		for i < len(text) && isSpace(text[i]) {
			i++
		}
		j := i
		for j < len(text) && !isSpace(text[j]) {
			j++
		}
		tok := strings.Trim(text[i:j], ":;,.()[]\"'")
		if tok != "" && (tok == reply || tok == enhanced || reply != "" && enhanced != "" && tok == reply+"-"+enhanced) {
			end = j
		}
		i = j
	}
	if end < 0 {
		return ""
	}
	words := text[end:]
	if q := strings.IndexByte(words, '?'); q >= 0 {
		words = words[:q]
	}
	return strings.Trim(askersTail(words), " \t:;,.-")
}

// askersTail cuts off the asker's words in Thai or Vietnamese that follow
// the server's English ones: "Mailbox full, xử lý sao", "User unknown
// ทำไงดี". Thai is cut where it starts; Vietnamese, whose letters are
// Latin, at the last comma or stop before its first marked letter. A
// server's own marked letters ("Empfänger unbekannt") have no comma before
// them and stay.
func askersTail(words string) string {
	words = cutQuestionTail(words)
	k := strings.IndexFunc(words, func(r rune) bool { return r >= 0x80 })
	if k < 0 {
		return words
	}
	if r, _ := utf8.DecodeRuneInString(words[k:]); r >= 0x0E00 && r <= 0x0E7F {
		return words[:k]
	}
	if c := strings.LastIndexAny(words[:k], ",;."); c >= 0 {
		return words[:c]
	}
	return words
}

// questionTails end a Vietnamese question typed after the server's words,
// with its marks or without: "User unknown là sao", "Mailbox full phai lam
// sao".
var questionTails = [...]string{
	"là sao", "là gì", "nghĩa là gì", "thì sao", "làm sao", "phải làm sao", "xử lý sao", "xử lý thế nào",
	"la sao", "la gi", "nghia la gi", "thi sao", "lam sao", "phai lam sao", "xu ly sao", "xu ly the nao",
}

// cutQuestionTail cuts the longest of questionTails, as whole words, off
// the end of words ("phai lam sao" rather than its "lam sao").
func cutQuestionTail(words string) string {
	t := strings.TrimRight(words, " \t.!")
	cut := -1
	for _, q := range questionTails {
		if n := len(t) - len(q); n > 0 && strings.EqualFold(t[n:], q) && isSpace(t[n-1]) && (cut < 0 || n < cut) {
			cut = n
		}
	}
	if cut < 0 {
		return words
	}
	return t[:cut]
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// askerStarts are words a person's sentence about a code opens with and
// a server's reply does not: "after we changed SPF", "when sending to
// Gmail", "is it spam". A server's words may open with "This", "Our", "We",
// "The" or "Your" ("This mail is unauthenticated", "Our system has
// detected"), which are not here.
var askerStarts = [...]string{
	"after", "when", "whenever", "since", "for", "from", "to", "on", "only", "is", "are", "was", "were",
	"what", "why", "how", "because", "while", "with", "in", "at", "and", "but", "so", "again", "every",
	"all", "any", "i", "my", "it", "can", "could", "should", "do", "does", "did", "pls", "please", "help",
	"maybe", "probably", "or", "if", "even", "still", "sometimes", "always", "each", "some",
}

// askerWords reports whether words open as a person's sentence does.
func askerWords(words string) bool {
	first := words
	if i := strings.IndexAny(words, " \t,"); i >= 0 {
		first = words[:i]
	}
	for _, w := range askerStarts {
		if strings.EqualFold(first, w) {
			return true
		}
	}
	return false
}
