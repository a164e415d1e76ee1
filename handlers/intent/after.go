package intent

import (
	"strings"
	"unicode/utf8"

	"github.com/smtpcodes/smtpbot/catalog"
)

// AfterCode returns the words a line quotes after code as the server's
// ("เมลเด้งกลับ 550 5.1.1 User unknown" quotes "User unknown"): what stands
// after the code's last token ("550", "5.1.1", "550-5.1.1", "550:"), up to a
// question mark, without the asker's words around them. It returns "" when
// nothing follows, or what follows opens as a person's sentence does
// ("after we changed SPF", "is it spam"). Whether the words give a reason
// is the catalog's to say.
func AfterCode(text string, code catalog.Code) string {
	words := afterToken(text, code)
	if q := strings.IndexByte(words, '?'); q >= 0 {
		words = words[:q]
	}
	words = strings.Trim(cutAskerScript(lex().cutQuestionTail(lex().cutAskerJoin(words))), " \t:;,.-")
	if words == "" || lex().opensAsAsker(words) {
		return ""
	}
	return words
}

// afterToken returns what text says after the last token of code, or "".
func afterToken(text string, code catalog.Code) string {
	reply, enhanced := "", ""
	if !code.Reply.IsZero() {
		reply = code.Reply.String()
	}
	if !code.Enhanced.IsZero() {
		enhanced = code.Enhanced.String()
	}
	end := -1
	fields, starts := fieldsAt(text)
	for i, f := range fields {
		tok := strings.Trim(f, ":;,.()[]\"'?!")
		if tok != "" && (tok == reply || tok == enhanced || reply != "" && enhanced != "" && tok == reply+"-"+enhanced) {
			end = starts[i] + len(f)
		}
	}
	if end < 0 {
		return ""
	}
	return text[end:]
}

// cutAskerScript cuts off the asker's words in Thai or Vietnamese that
// follow the server's English ones: "User unknown ทำไงดี", "Mailbox full,
// xử lý sao". Thai is cut where it starts; Vietnamese, whose letters are
// Latin, at the last comma or stop before its first marked letter. A
// server's own marked letters ("Empfänger unbekannt") have no comma before
// them and stay.
func cutAskerScript(words string) string {
	k := strings.IndexFunc(words, func(r rune) bool { return r >= utf8.RuneSelf })
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

// cutQuestionTail cuts the longest question ending of the data files
// ("phải làm sao" rather than its "làm sao", with or without marks) off
// the end of words, as whole words.
func (l *lexicon) cutQuestionTail(words string) string {
	fields, starts := fieldsAt(words)
	for _, q := range l.questionTails {
		if i := len(fields) - len(q); i > 0 && spells(fields[i:], q) {
			return words[:starts[i]]
		}
	}
	return words
}

// opensAsAsker reports whether words open with a word a person's sentence
// opens with and a server's reply does not.
func (l *lexicon) opensAsAsker(words string) bool {
	first := words
	if i := strings.IndexAny(words, " \t,"); i >= 0 {
		first = words[:i]
	}
	return l.askerStart[foldPhrase(first)]
}

// cutAskerJoin cuts words before the first word of the data files'
// asker_join that stands after the first word ("User unknown but the user
// exists"): a person goes on there.
func (l *lexicon) cutAskerJoin(words string) string {
	fields, starts := fieldsAt(words)
	for i := 1; i < len(fields); i++ {
		for _, j := range l.askerJoins {
			if i+len(j) <= len(fields) && spells(fields[i:i+len(j)], j) {
				return words[:starts[i]]
			}
		}
	}
	return words
}

// fieldsAt returns the blank-separated words of s and where each starts.
func fieldsAt(s string) (fields []string, starts []int) {
	for i := 0; i < len(s); {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		if j > i {
			fields, starts = append(fields, s[i:j]), append(starts, i)
		}
		i = j
	}
	return fields, starts
}

// spells reports whether fields, folded and without the punctuation that
// follows a word, are the folded words of a phrase.
func spells(fields, phrase []string) bool {
	for i, w := range phrase {
		if foldPhrase(strings.TrimRight(fields[i], ",.!")) != w {
			return false
		}
	}
	return true
}
