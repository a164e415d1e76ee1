package main

import (
	"errors"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"

	"github.com/smtpcodes/smtpbot/catalog/extract"
	"github.com/smtpcodes/smtpbot/handlers"
)

// maxInput bounds what explain reads from stdin: a large NDR with its
// attachments stays far below it, and a pasted disk image costs no more
// than 4 MB of memory and a few milliseconds of extraction.
const maxInput = 4 << 20

// maxDrain bounds how far past maxInput a pipe is read, only to count its
// size for the note on what was cut; `yes | smtpbot explain` must end.
const maxDrain = 1 << 30

// maxRaw bounds what is read of stdin while what is kept stays under the
// limit: the lines a Skimmer leaves out (a returned attachment's base64)
// are read but not kept, and a stream of nothing else must end too.
const maxRaw = 64 << 20

// readInput reads r, keeping at most limit bytes of it in one string, and
// returns what was cut: r's size when it is a regular file, else what a
// bounded drain of the rest counted (a lower bound when even the drain did
// not reach the end). The lines of a returned attachment past its first
// 64 KB are left out as they are read (extract.Skimmer), so the limit is
// spent on the text: a bounce whose attachment comes first is read as far
// as its text part.
func readInput(r io.Reader, limit int64) (text string, cut handlers.Cut, err error) {
	var b strings.Builder
	size := int64(-1)
	if st, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
			b.Grow(int(min(size, limit))) // one buffer, no regrowth
		}
	}
	src := &counted{r: io.LimitReader(r, maxRaw)}
	skim := &extract.Skimmer{W: &keep{b: &b, max: limit}}
	_, err = io.Copy(skim, src)
	if err == nil {
		err = skim.Flush()
	}
	full := errors.Is(err, errKept)
	if err != nil && !full {
		return "", cut, err
	}
	if !full && src.n < maxRaw {
		return b.String(), handlers.Cut{Read: src.n, Total: src.n}, nil
	}
	text = cutUTF8(b.String())
	cut = handlers.Cut{Read: skim.Skipped + int64(len(text)), Total: src.n}
	if size >= 0 {
		cut.Total = max(size, cut.Total)
	} else {
		rest, err := io.Copy(io.Discard, io.LimitReader(r, maxDrain))
		if err != nil {
			return "", cut, err
		}
		cut.Total += rest
		cut.AtLeast = rest == maxDrain
	}
	return text, cut, nil
}

// counted counts what is read of r.
type counted struct {
	r io.Reader
	n int64
}

func (c *counted) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n += int64(k)
	return k, err
}

var errKept = errors.New("the size limit is reached")

// keep keeps up to max bytes in b, then refuses with errKept.
type keep struct {
	b   *strings.Builder
	max int64
}

func (k *keep) Write(p []byte) (int, error) {
	if room := k.max - int64(k.b.Len()); int64(len(p)) > room {
		k.b.Write(p[:room])
		return int(room), errKept
	}
	return k.b.Write(p)
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
