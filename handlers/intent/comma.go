package intent

import (
	"strings"

	// Named apart from this package's own ascii (normalize.go).
	asciibyte "github.com/smtpcodes/smtpbot/internal/ascii"
)

// commaCodes writes an enhanced code typed with commas ("5,1,1", as the
// decimal comma of Vietnamese keyboards and a quick thumb type it) with
// dots. Only the shape of an enhanced code is rewritten: a class of 2, 4
// or 5, a subject of one digit up to 7, a detail of one to three digits,
// standing alone; "1,000,000" and "5,10" stay as they are.
func commaCodes(s string) string {
	if strings.IndexByte(s, ',') < 0 {
		return s
	}
	var b []byte // the rewritten text so far, once a code was found
	for i := 0; i < len(s); i++ {
		n := enhancedWithCommas(s, i)
		if n == 0 {
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(s))
		}
		b = append(b, s[len(b):i]...)
		for _, c := range []byte(s[i : i+n]) {
			if c == ',' {
				c = '.'
			}
			b = append(b, c)
		}
		i += n - 1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[len(b):]...))
}

// enhancedWithCommas returns the length of "C,S,D" at i, or 0.
func enhancedWithCommas(s string, i int) int {
	if i > 0 && (asciibyte.IsDigit(s[i-1]) || s[i-1] == ',' || s[i-1] == '.') {
		return 0
	}
	if i+4 >= len(s)+1 || !strings.ContainsRune("245", rune(s[i])) || s[i+1] != ',' || s[i+2] < '0' || s[i+2] > '7' || s[i+3] != ',' {
		return 0
	}
	j := i + 4
	for j < len(s) && j < i+7 && asciibyte.IsDigit(s[j]) {
		j++
	}
	if j == i+4 || j < len(s) && (asciibyte.IsDigit(s[j]) || s[j] == ',' && j+1 < len(s) && asciibyte.IsDigit(s[j+1])) {
		return 0
	}
	return j - i
}
