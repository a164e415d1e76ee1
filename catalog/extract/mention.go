package extract

import (
	"slices"
	"strings"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/internal/ascii"
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
// speaks: "550 messages", "550 thư". Reply texts are English, so a reply
// code is never followed by one of the Vietnamese words. thaiCountNouns are
// matched at the start of a run of Thai, which has no spaces between words:
// "550 ฉบับผ่าน".
var (
	countNouns = [...]string{
		"messages", "msgs", "emails", "mails", "requests", "reqs", "hits", "visits", "visitors", "views",
		"clicks", "downloads", "subscribers", "tin", "thư", "người", "lần", "đồng", "cái", "lượt", "bức",
	}
	thaiCountNouns = [...]string{"ข้อความ", "ฉบับ", "คน", "ครั้ง", "บาท", "รายการ", "อีเมล"}
)

// countNounAfter reports whether the word at k in line is a count noun. It
// is called for every reply-shaped number followed by a word, so it
// compares bytes only, and only words of the right length.
func countNounAfter(line string, k int) bool {
	if k >= len(line) {
		return false
	}
	if line[k] == 0xE0 { // the first byte of every Thai letter
		for _, w := range thaiCountNouns {
			if len(line)-k >= len(w) && line[k:k+len(w)] == w {
				return true
			}
		}
		return false
	}
	e := k
	for e < len(line) && (ascii.IsAlpha(line[e]) || line[e] >= 0x80) {
		e++
	}
	w := line[k:e]
	if equalFold(w, "of") && partOf(line[e:]) {
		// "550 of them bounced", "sent 550 of 600": a part of a count.
		return true
	}
	for _, n := range countNouns {
		if len(n) == len(w) && equalFold(w, n) {
			// "cái nào" is "which one" ("550 và 554 cái nào nặng
			// hơn"), no count of things.
			return !(n == "cái" && whichFollows(line[e:]))
		}
	}
	return false
}

// sendWords before a number and itemNouns after it make it a count of what
// was sent, the noun singular as Vietnamese always writes it ("gửi 550
// email") and English sometimes does ("we sent 550 email today"). Without
// the send word, "550 Email rejected" is a server's reply.
var (
	sendWords = [...]string{"sent", "send", "sends", "sending", "gửi", "gui"}
	itemNouns = [...]string{"email", "mail", "message", "msg", "e-mail"}
)

// sentItemAfter reports whether the reply-shaped number at i, followed by
// the word at k, counts items sent.
func sentItemAfter(line string, i, k int) bool {
	e := k
	for e < len(line) && (ascii.IsAlpha(line[e]) || line[e] == '-') {
		e++
	}
	if !slices.ContainsFunc(itemNouns[:], func(n string) bool { return equalFold(line[k:e], n) }) {
		return false
	}
	b := i
	for b > 0 && isBlank(line[b-1]) {
		b--
	}
	a := b
	for a > 0 && (ascii.IsAlpha(line[a-1]) || line[a-1] >= 0x80) {
		a--
	}
	return a < b && slices.ContainsFunc(sendWords[:], func(w string) bool { return equalFold(line[a:b], w) })
}

// partOf reports whether rest opens with " them", " those" or a number.
func partOf(rest string) bool {
	rest = strings.TrimLeft(rest, " ")
	if rest != "" && rest[0] >= '0' && rest[0] <= '9' {
		return true
	}
	for _, w := range [...]string{"them", "those"} {
		if len(rest) >= len(w) && equalFold(rest[:len(w)], w) && (len(rest) == len(w) || !ascii.IsAlpha(rest[len(w)])) {
			return true
		}
	}
	return false
}

// whichFollows reports whether rest opens with " nào" or " nao".
func whichFollows(rest string) bool {
	rest = strings.TrimLeft(rest, " ")
	return strings.HasPrefix(rest, "nào") || strings.HasPrefix(rest, "nao") && (len(rest) == 3 || !ascii.IsAlpha(rest[3]))
}
