package main

import (
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"

	"github.com/smtpcodes/smtpbot/handlers"
)

// maxInput bounds what explain reads from stdin: a large NDR with its
// attachments stays far below it, and a pasted disk image costs no more
// than 4 MB of memory and a few milliseconds of extraction.
const maxInput = 4 << 20

// maxDrain bounds how far past maxInput a pipe is read, only to count its
// size for the note on what was cut; `yes | smtpbot explain` must end.
const maxDrain = 1 << 30

// readInput reads at most limit bytes of r into one string, and returns
// what was cut: r's size when it is a regular file, else what a bounded
// drain of the rest counted (a lower bound when even the drain did not
// reach the end).
func readInput(r io.Reader, limit int64) (text string, cut handlers.Cut, err error) {
	var b strings.Builder
	size := int64(-1)
	if st, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
			b.Grow(int(min(size, limit))) // one buffer, no regrowth
		}
	}
	n, err := io.Copy(&b, io.LimitReader(r, limit))
	if err != nil {
		return "", cut, err
	}
	text = b.String()
	cut = handlers.Cut{Read: n, Total: n}
	if n < limit {
		return text, cut, nil
	}
	if size >= 0 {
		cut.Total = max(size, n)
	} else {
		rest, err := io.Copy(io.Discard, io.LimitReader(r, maxDrain))
		if err != nil {
			return "", cut, err
		}
		cut.Total += rest
		cut.AtLeast = rest == maxDrain
	}
	text = cutUTF8(text)
	cut.Read = int64(len(text))
	return text, cut, nil
}

// cutUTF8 drops the start of a UTF-8 sequence that the limit split at the
// end of s.
func cutUTF8(s string) string {
	for i := 0; i < utf8.UTFMax-1 && len(s) > 0; i++ {
		if r, size := utf8.DecodeLastRuneInString(s); r != utf8.RuneError || size != 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}
