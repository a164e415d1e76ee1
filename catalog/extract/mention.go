package extract

import (
	"unicode/utf8"

	"github.com/smtpcodes/smtpbot/catalog"
)

// Mention is a code written somewhere in a text, found by the token rules
// alone: it may stand in a question ("what does 550 mean?") where Extract,
// which looks for codes a server reported, sees only prose.
type Mention struct {
	Code       catalog.Code
	Start, End int // byte offsets of the code in the text
}

// Mentions returns the codes written in text, in order, by the same rules
// that Extract uses to tell a code from a number: its shape, the bytes next
// to it (no "$550", "550MB", "v4.5.1", "10.4.5.1"), units and count nouns
// after it ("550 ms", "550 messages"), "#" before a lone reply ("PR #550"),
// and words that make it a version, a port or a ticket ("version 4.5.1",
// "port 465"). Where a code stands in a line is not judged: a question
// asks about a code anywhere in its sentence.
func Mentions(text string) []Mention {
	var out []Mention
	for pos := 0; pos < len(text) && len(out) < maxSites; {
		line, next := lineAt(text, pos)
		for i := 0; len(out) < maxSites; {
			t, ok := nextToken(line, i)
			if !ok {
				break
			}
			i = t.end
			if notACode(line, 0, t) {
				continue
			}
			end := t.end
			if t.plural {
				end-- // "550s": the code without the plural's s
			}
			out = append(out, Mention{Code: t.code, Start: pos + t.start, End: pos + end})
		}
		pos = next
	}
	return out
}

// countNouns after a number make it a count in any language the bot
// speaks: "550 messages", "550 thư", "550 ข้อความ". Reply texts are
// English, so a reply code is never followed by one of the Vietnamese or
// Thai words.
var countNouns = [...]string{
	"messages", "msgs", "emails", "mails", "requests", "reqs", "hits", "visits", "visitors", "views",
	"clicks", "downloads", "subscribers", "tin", "thư", "người", "lần", "đồng", "cái", "lượt", "bức",
	"ข้อความ", "ฉบับ", "คน", "ครั้ง", "บาท", "รายการ", "อีเมล", "อีเมล์",
}

// countNounAfter reports whether the word at k in line is a count noun.
func countNounAfter(line string, k int) bool {
	rest := line[k:]
	if rest == "" || rest[0] < 0x80 && !isAlpha(rest[0]) {
		return false
	}
	for _, w := range countNouns {
		if len(rest) < len(w) || !hasPrefixFold(rest, w) {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(w); r >= 0x0E00 && r <= 0x0E7F {
			// Thai is written without spaces: the noun may run on.
			return true
		}
		if len(rest) == len(w) || !isWordByte(rest[len(w)]) {
			return true
		}
	}
	return false
}

// isWordByte is true for a byte that continues a word: a letter, a digit,
// or a byte of a multi-byte letter.
func isWordByte(b byte) bool { return isAlnum(b) || b >= 0x80 }
