package extract

import (
	"bytes"
	"io"
)

// keepOpaque is how much of one run of opaque lines a Skimmer passes on: a
// base64 text part that carries a diagnostic is far shorter and stays whole,
// and the start of an attachment is kept as the reader would see it.
const keepOpaque = 64 << 10

// maxSkimLine bounds the line a Skimmer holds to judge it. MIME wraps
// base64 at 76 bytes; a longer line is passed on as it comes, unjudged.
const maxSkimLine = 4 << 10

// A Skimmer is written a text as it is read (stdin, a downloaded file) and
// passes it on to W line by line, leaving out what cannot hold a code: the
// lines of a run of opaque lines (base64 or hex, as a returned attachment's
// body is) past the first 64 KB of the run. A size limit on what W keeps
// then counts the text, not the attachment, so a bounce whose attachment
// comes before its text part is read as far as its text. Extraction would
// skip those lines anyway (opaque); here they are not even kept.
//
// Call Flush at the end of the input, for a last line without a newline.
type Skimmer struct {
	W io.Writer

	// Skipped counts the bytes left out.
	Skipped int64

	keep int    // how much of a run to keep; 0 for keepOpaque (tests set less)
	line []byte // the line being read, up to maxSkimLine bytes
	long bool   // the line being read outgrew maxSkimLine: passed on as it comes
	run  int    // bytes of the current run of opaque lines passed on
}

// Write takes the next piece of the text. It returns the error of W, such
// as a size limit reached; the count is of p's bytes taken, left out or
// passed on, before it.
func (s *Skimmer) Write(p []byte) (int, error) {
	taken := 0
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		piece := p
		if i >= 0 {
			piece = p[:i+1]
		}
		if s.long || len(s.line)+len(piece) > maxSkimLine {
			if err := s.passLong(piece); err != nil {
				return taken, err
			}
		} else {
			s.line = append(s.line, piece...)
		}
		if i >= 0 {
			if err := s.endLine(); err != nil {
				return taken, err
			}
		}
		taken += len(piece)
		p = p[len(piece):]
	}
	return taken, nil
}

// Flush passes on a last line that has no newline.
func (s *Skimmer) Flush() error {
	return s.endLine()
}

// passLong passes on a line too long to hold: what is held of it, then the
// piece, and the rest of the line as it comes.
func (s *Skimmer) passLong(piece []byte) error {
	s.long, s.run = true, 0
	if len(s.line) > 0 {
		if _, err := s.W.Write(s.line); err != nil {
			return err
		}
		s.line = s.line[:0]
	}
	_, err := s.W.Write(piece)
	return err
}

// endLine judges the line held and passes it on or leaves it out.
func (s *Skimmer) endLine() error {
	if s.long {
		s.long = false
		return nil
	}
	line := s.line
	s.line = s.line[:0]
	if len(line) == 0 {
		return nil
	}
	if opaque(bytes.TrimRight(line, "\r\n")) {
		keep := s.keep
		if keep == 0 {
			keep = keepOpaque
		}
		if s.run+len(line) > keep {
			s.Skipped += int64(len(line))
			return nil
		}
		s.run += len(line)
	} else {
		s.run = 0
	}
	_, err := s.W.Write(line)
	return err
}
