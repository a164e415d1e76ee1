package extract

import "strings"

// Byte-level ASCII helpers shared by the extractor and provider matching:
// bounces are mostly ASCII, and working on bytes keeps both free of
// allocations.

func isAlnum(b byte) bool { return isDigit(b) || isAlpha(b) }

func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// indexFold returns the index of the first instance of needle in s, ignoring
// ASCII case, or -1. needle must be lowercase ASCII.
func indexFold(s, needle string) int {
	n := len(needle)
	if n == 0 {
		return 0
	}
	first, upper := needle[0], needle[0]
	if 'a' <= first && first <= 'z' {
		upper = first - ('a' - 'A')
	}
	last := len(s) - n // the last index where needle can start
	for i := 0; i <= last; {
		// Find the next candidate for the first byte, in either case, with
		// the fast byte search; each stretch of s is searched at most twice.
		window := s[i : last+1]
		j := strings.IndexByte(window, first)
		if upper != first {
			limit := window
			if j >= 0 {
				limit = window[:j]
			}
			if k := strings.IndexByte(limit, upper); k >= 0 {
				j = k
			}
		}
		if j < 0 {
			return -1
		}
		i += j
		k := 1
		for k < n && lowerASCII(s[i+k]) == needle[k] {
			k++
		}
		if k == n {
			return i
		}
		i++
	}
	return -1
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// parseNumber reads one to three digits without allocating.
func parseNumber(s string) (uint16, bool) {
	if len(s) == 0 || len(s) > 3 {
		return 0, false
	}
	var n uint16
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + uint16(s[i]-'0')
	}
	return n, true
}
