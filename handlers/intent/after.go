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
	for i := 0; i < len(text); {
		for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
			i++
		}
		j := i
		for j < len(text) && text[j] != ' ' && text[j] != '\t' {
			j++
		}
		tok := strings.Trim(text[i:j], ":;,.()[]\"'?!")
		if tok != "" && (tok == reply || tok == enhanced || reply != "" && enhanced != "" && tok == reply+"-"+enhanced) {
			end = j
		}
		i = j
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
	fields := strings.Fields(words)
	for _, q := range l.questionTails {
		n := len(q)
		if n >= len(fields) {
			continue
		}
		tail := fields[len(fields)-n:]
		match := true
		for i, w := range tail {
			if foldPhrase(strings.TrimRight(w, ".!")) != q[i] {
				match = false
				break
			}
		}
		if match {
			// The tail's first word, found from the end: the same word
			// may stand earlier too.
			at := len(words)
			for i := len(fields) - 1; i >= len(fields)-n; i-- {
				at = strings.LastIndex(words[:at], fields[i])
			}
			return words[:at]
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
	fields := strings.Fields(words)
	for i := 1; i < len(fields); i++ {
		for _, j := range l.askerJoins {
			if i+len(j) > len(fields) {
				continue
			}
			match := true
			for k, w := range j {
				if foldPhrase(strings.Trim(fields[i+k], ",.")) != w {
					match = false
					break
				}
			}
			if match {
				// Where the i-th field starts: after the i fields before it.
				at := 0
				for _, f := range fields[:i] {
					at = strings.Index(words[at:], f) + at + len(f)
				}
				return words[:at]
			}
		}
	}
	return words
}
