// Package limit keeps a text read whole up to a size: a bounce on standard
// input, a file downloaded from Slack. What does not fit is refused with
// ErrFull, which stops the copy, and a cut that split a UTF-8 sequence is
// mended.
package limit

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// ErrFull is what Buffer.Write returns once Max bytes are kept.
var ErrFull = errors.New("the size limit is reached")

// Buffer keeps up to Max bytes of what is written to it, then refuses the
// rest with ErrFull. The zero Buffer keeps nothing.
type Buffer struct {
	b   strings.Builder
	Max int64
}

// Write keeps as much of p as there is room for.
func (k *Buffer) Write(p []byte) (int, error) {
	if room := k.Max - int64(k.b.Len()); int64(len(p)) > room {
		k.b.Write(p[:max(room, 0)])
		return int(max(room, 0)), ErrFull
	}
	return k.b.Write(p)
}

// Grow makes room for n more bytes, up to Max, so that a text whose size
// is known is kept in one buffer.
func (k *Buffer) Grow(n int64) { k.b.Grow(int(max(min(n, k.Max-int64(k.b.Len())), 0))) }

// Len is how many bytes are kept.
func (k *Buffer) Len() int { return k.b.Len() }

// String returns what is kept, without a copy.
func (k *Buffer) String() string { return k.b.String() }

// TrimCut drops from the end of s the start of a UTF-8 sequence that a cut
// split: at most utf8.UTFMax-1 bytes that do not decode.
func TrimCut(s string) string {
	for i := 0; i < utf8.UTFMax-1 && len(s) > 0; i++ {
		if r, size := utf8.DecodeLastRuneInString(s); r != utf8.RuneError || size != 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}

// Cut returns s cut to at most n bytes, not inside a UTF-8 sequence.
func Cut(s string, n int64) string {
	if int64(len(s)) <= n {
		return s
	}
	return TrimCut(s[:max(n, 0)])
}
