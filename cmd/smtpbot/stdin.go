package main

import (
	"errors"
	"io"
	"io/fs"

	"github.com/smtpcodes/smtpbot/catalog/extract"
	"github.com/smtpcodes/smtpbot/handlers"
	"github.com/smtpcodes/smtpbot/internal/limit"
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

// readInput reads r, keeping at most maxKept bytes of it in one string, and
// returns what was cut: r's size when it is a regular file, else what a
// bounded drain of the rest counted (a lower bound when even the drain did
// not reach the end). The lines of a returned attachment past its first
// 64 KB are left out as they are read (extract.Skimmer), so the room is
// spent on the text: a bounce whose attachment comes first is read as far
// as its text part.
func readInput(r io.Reader, maxKept int64) (text string, cut handlers.Cut, err error) {
	b := &limit.Buffer{Max: maxKept}
	size := int64(-1)
	if st, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
			b.Grow(size) // one buffer, no regrowth
		}
	}
	src := &counted{r: io.LimitReader(r, maxRaw)}
	skim := &extract.Skimmer{W: b}
	_, err = io.Copy(skim, src)
	if err == nil {
		err = skim.Flush()
	}
	full := errors.Is(err, limit.ErrFull)
	if err != nil && !full {
		return "", cut, err
	}
	if !full && src.n < maxRaw {
		return b.String(), handlers.Cut{Read: src.n, Total: src.n}, nil
	}
	text = limit.TrimCut(b.String())
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
