package intent

import (
	"strings"

	asciibyte "github.com/smtpcodes/smtpbot/internal/ascii"
)

// slashCodes writes a space on each side of a slash between two codes:
// "550/554 difference" asks about both, and the extractor, which refuses a
// code glued to a slash ("550/tcp" is a port), then sees two. Only a slash
// with a code's shape on both sides is spaced: "25/tcp" and "1/2" stay.
func slashCodes(s string) string {
	if strings.IndexByte(s, '/') < 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 1; i < len(s)-1; i++ {
		if s[i] != '/' || codeShapeBefore(s, i) == 0 || codeShapeAt(s, i+1) == 0 {
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s) + 8)
		}
		b.WriteString(s[last:i])
		b.WriteString(" / ")
		last = i + 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// codeShapeAt returns the length of a reply code ("550") or an enhanced
// code ("5.1.10") standing alone at i, or 0.
func codeShapeAt(s string, i int) int {
	n := codeShape(s[i:])
	if n == 0 || i+n < len(s) && (asciibyte.IsAlnum(s[i+n]) || s[i+n] == '.' && i+n+1 < len(s) && asciibyte.IsDigit(s[i+n+1])) {
		return 0
	}
	return n
}

// codeShapeBefore returns the length of a code that ends just before i and
// stands alone, or 0.
func codeShapeBefore(s string, i int) int {
	start := i
	for start > 0 && (asciibyte.IsDigit(s[start-1]) || s[start-1] == '.') && i-start < 9 {
		start--
	}
	for start < i && s[start] == '.' {
		start++
	}
	if start > 0 && (asciibyte.IsAlnum(s[start-1]) || s[start-1] == '.') {
		return 0
	}
	if codeShape(s[start:i]) != i-start {
		return 0
	}
	return i - start
}

// codeShape returns the length of the code that opens s, or 0: three
// digits from 200 to 559, or a class of 2, 4 or 5, a subject of one digit
// and a detail of one to three.
func codeShape(s string) int {
	if len(s) < 3 || !strings.ContainsRune("2345", rune(s[0])) {
		return 0
	}
	if len(s) >= 3 && asciibyte.IsDigit(s[1]) && asciibyte.IsDigit(s[2]) && s[1] <= '5' {
		if len(s) == 3 || !asciibyte.IsDigit(s[3]) && s[3] != '.' {
			return 3
		}
	}
	if s[0] == '3' || s[1] != '.' || !asciibyte.IsDigit(s[2]) || len(s) < 5 || s[3] != '.' || !asciibyte.IsDigit(s[4]) {
		return 0
	}
	j := 5
	for j < len(s) && j < 7 && asciibyte.IsDigit(s[j]) {
		j++
	}
	return j
}
