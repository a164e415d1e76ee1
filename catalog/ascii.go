package catalog

import "strings"

// Byte-level ASCII helpers for provider matching (catalog/extract keeps its own copy):
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
func isAlpha(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' }
