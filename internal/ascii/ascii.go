// Package ascii holds the byte-level ASCII helpers of the extractor and the
// provider matcher: bounces are mostly ASCII, and working on bytes keeps both
// free of allocations.
package ascii

import "strings"

// IsAlnum reports whether b is an ASCII letter or digit.
func IsAlnum(b byte) bool { return IsDigit(b) || IsAlpha(b) }

// IsDigit reports whether b is an ASCII digit.
func IsDigit(b byte) bool { return '0' <= b && b <= '9' }

// Lower returns b lowercased when it is an ASCII capital letter.
func Lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// AppendLower appends s to b with its ASCII capital letters lowercased and
// every other byte as it is, so that positions in s and in the result
// match: a text lowered once can then be searched many times with
// bytes.Index, as IndexFold would search s.
func AppendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		b = append(b, Lower(s[i]))
	}
	return b
}

// IndexFold returns the index of the first instance of needle in s, ignoring
// ASCII case, or -1. needle must be lowercase ASCII.
//
// It searches s for one byte of needle, the anchor, and compares the whole
// needle around each place it is found. The anchor is the byte likely to
// be rarest in text: a punctuation mark or digit (one case, one byte
// search), else the least common letter (" after " is anchored on 'f', not
// on the spaces every line is full of), else a blank.
//
// For a letter it remembers where the next lower-case and the next
// upper-case anchor are and searches again only for the one it has passed,
// so each byte of s is searched at most once per case: linear in len(s)
// times len(needle) at worst. (An earlier version searched the rest of s
// for the missing case at every candidate, which made "AAAA…" against a
// needle starting with "a" quadratic.)
func IndexFold(s, needle string) int {
	if len(needle) == 0 {
		return 0
	}
	if len(needle) > len(s) {
		return -1
	}
	return indexFold(s, needle, anchor(needle))
}

// A Needle is a lowercase ASCII string to search for ignoring case, with
// its anchor (see IndexFold) chosen once: choosing it again for each line
// a fixed phrase is looked for in cost more than most searches.
type Needle struct {
	s string
	a int
}

// NewNeedle returns needle, which must be lowercase ASCII, ready to
// search for.
func NewNeedle(needle string) Needle {
	return Needle{s: needle, a: anchor(needle)}
}

// String returns the needle's text.
func (nd Needle) String() string { return nd.s }

// In returns IndexFold(s, nd.String()).
func (nd Needle) In(s string) int {
	if len(nd.s) == 0 {
		return 0
	}
	if len(nd.s) > len(s) {
		return -1
	}
	if c := nd.s[nd.a]; c < 'a' || c > 'z' {
		return indexAt(s, nd.s, nd.a) // one case to search for
	}
	return indexFold(s, nd.s, nd.a)
}

// indexFold is IndexFold with the needle's anchor at a, for a needle no
// longer than s.
func indexFold(s, needle string, a int) int {
	n := len(needle)
	if c := needle[a]; c < 'a' || c > 'z' {
		return indexAt(s, needle, a)
	}
	lower := needle[a]
	upper := lower - ('a' - 'A')
	last := len(s) - n // the last index where needle can start
	// window[i] is the byte a match starting at i has under the anchor.
	window := s[a : last+a+1]
	nextLower, nextUpper := -1, -1 // next candidates at or after i; -2: none left
	for i := 0; i <= last; {
		if nextLower != -2 && nextLower < i {
			if j := strings.IndexByte(window[i:], lower); j >= 0 {
				nextLower = i + j
			} else {
				nextLower = -2
			}
		}
		if nextUpper != -2 && nextUpper < i {
			if j := strings.IndexByte(window[i:], upper); j >= 0 {
				nextUpper = i + j
			} else {
				nextUpper = -2
			}
		}
		switch {
		case nextLower == -2 && nextUpper == -2:
			return -1
		case nextLower == -2:
			i = nextUpper
		case nextUpper == -2:
			i = nextLower
		default:
			i = min(nextLower, nextUpper)
		}
		k := 0
		for k < n && Lower(s[i+k]) == needle[k] {
			k++
		}
		if k == n {
			return i
		}
		i++
	}
	return -1
}

// letterRarity ranks the lowercase letters from the most common in English
// text (e, 1) to the least (z, 26).
var letterRarity = func() (r [256]uint8) {
	for i, c := range "etaoinshrdlcumwfgypbvkjxqz" {
		r[c] = uint8(i + 1)
	}
	return r
}()

// anchor picks the byte of needle IndexFold searches for: the first that is
// neither a letter nor a blank, else the rarest letter, else the first byte.
func anchor(needle string) int {
	best, rank := 0, uint8(0)
	for a := 0; a < len(needle); a++ {
		c := needle[a]
		switch {
		case c == ' ' || c == '\t':
		case c < 'a' || c > 'z':
			return a
		case letterRarity[c] > rank:
			best, rank = a, letterRarity[c]
		}
	}
	return best
}

// IsAlpha reports whether b is an ASCII letter.
func IsAlpha(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' }

// indexAt is IndexFold for a needle whose byte at a is not a letter: the
// candidates are where that byte is.
func indexAt(s, needle string, a int) int {
	n := len(needle)
	for i := a; i <= len(s)-n+a; {
		j := strings.IndexByte(s[i:len(s)-n+a+1], needle[a])
		if j < 0 {
			return -1
		}
		start := i + j - a
		k := 0
		for k < n && Lower(s[start+k]) == needle[k] {
			k++
		}
		if k == n {
			return start
		}
		i += j + 1
	}
	return -1
}

// Spaces returns a mask of the spaces (' ') among the eight bytes of s
// from i on: bit 8k+7 is set when s[i+k] is a space. s must hold them.
// It lets a scan that stops at every space of a line test eight bytes at
// a time: a call of strings.IndexByte per space costs more than the few
// bytes between spaces in prose.
func Spaces(s string, i int) uint64 {
	const low7, spaces = 0x7f7f7f7f7f7f7f7f, 0x2020202020202020
	// One bounds check for the eight bytes, which then load as one word.
	b := s[i : i+8]
	w := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
	x := w ^ spaces // zero where w has a space
	// A byte's high bit ends up set exactly when the byte is zero: adding
	// 0x7f to its low seven bits carries into the high bit unless they
	// are all zero, and no carry crosses into the next byte.
	return ^((x&low7 + low7) | x | low7)
}
