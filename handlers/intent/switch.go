package intent

import (
	"strings"
	"unicode"
)

// LanguageSwitch reports whether text only asks for a language, and which:
// "switch to thai", "lang english", "tiếng việt", "trả lời bằng tiếng Việt
// nhé", "เปลี่ยนเป็นภาษาไทย". A text asks for one when it names exactly one
// language (data/<tag>.json "languages") and everything else in it is a
// switch word ("switch"). A code, a question or a bounce beside the name is
// no switch: "550 in english" asks about 550.
func LanguageSwitch(text string) (tag string, ok bool) {
	if len(text) > 120 {
		return "", false
	}
	l := lex()
	rest := " " + strings.Join(strings.Fields(fold(text)), " ") + " "
	for _, n := range l.languages {
		if i := indexPhrase(rest, n.name); i >= 0 {
			if tag != "" && tag != n.tag {
				return "", false // two languages named
			}
			tag = n.tag
			rest = rest[:i] + " " + rest[i+len(n.name):]
		}
	}
	if tag == "" {
		return "", false
	}
	for _, w := range l.switchWords {
		for {
			i := indexPhrase(rest, w)
			if i < 0 {
				break
			}
			rest = rest[:i] + " " + rest[i+len(w):]
		}
	}
	return tag, strings.TrimFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) == ""
}

// indexPhrase finds p in s (folded, padded with spaces) where it stands as
// whole words: Thai, written without spaces, is found anywhere.
func indexPhrase(s, p string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], p)
		if i < 0 {
			return -1
		}
		i += off
		if hasThai(p) || (s[i-1] == ' ' || unicode.IsPunct(rune(s[i-1]))) && i+len(p) < len(s) && (s[i+len(p)] == ' ' || unicode.IsPunct(rune(s[i+len(p)]))) {
			return i
		}
		off = i + 1
	}
	return -1
}
