package locales

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DoubledWord returns a word written twice in a row with only spaces
// between, ignoring case, or "": the "when when" of careless templates.
// Tests of every package that renders text use it. Words a language
// legitimately doubles, such as Vietnamese "song song" (parallel), pass. Words are runs of letters and marks, so
// Vietnamese "đáng ngờ" is two different words (Go's regexp \b knows only
// ASCII and would see "ng ng").
func DoubledWord(tag, s string) string {
	var prev string
	prevEnd := -1
	inWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) }
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !inWord(r) {
			i += n
			continue
		}
		j := i
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !inWord(r) {
				break
			}
			j += n
		}
		word := s[i:j]
		if prevEnd >= 0 && strings.TrimSpace(s[prevEnd:i]) == "" && s[prevEnd:i] != "" && strings.EqualFold(prev, word) &&
			!slices.Contains(reduplicated[tag], strings.ToLower(word)) {
			return word
		}
		prev, prevEnd, i = word, j, j
	}
	return ""
}

// reduplicated lists, per language, words written twice on purpose.
var reduplicated = map[string][]string{
	"vi": {"song", "chung", "từ"},
}
