package extract

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzSkimmer checks that a Skimmer, however its input is cut into writes,
// passes on whole lines in order and leaves out only opaque lines of a run
// past what it keeps of the run.
func FuzzSkimmer(f *testing.F) {
	b64 := strings.Repeat(strings.Repeat("QUJD", 19)+"\n", 6)
	f.Add("550 5.1.1 user unknown\n"+b64+"--b\n"+b64, uint8(7), uint8(3))
	f.Add(b64+"550 5.1.1\r\n"+b64+b64, uint8(50), uint8(1))
	f.Add(strings.Repeat("A", 5000)+"\n"+b64+"tail", uint8(100), uint8(2))
	f.Fuzz(func(t *testing.T, in string, chunk, keepLines uint8) {
		var out bytes.Buffer
		s := &Skimmer{W: &out, keep: 77 * int(keepLines)}
		for rest := in; len(rest) > 0; {
			n := min(len(rest), int(chunk)+1)
			if k, err := s.Write([]byte(rest[:n])); k != n || err != nil {
				t.Fatalf("Write took %d of %d: %v", k, n, err)
			}
			rest = rest[n:]
		}
		if err := s.Flush(); err != nil {
			t.Fatal(err)
		}
		if int64(out.Len())+s.Skipped != int64(len(in)) {
			t.Fatalf("passed %d + skipped %d != %d", out.Len(), s.Skipped, len(in))
		}
		// Walk the input's lines: each is passed on whole or left out,
		// and only an opaque line of at most maxSkimLine bytes is.
		got := out.String()
		for _, line := range strings.SplitAfter(in, "\n") {
			if strings.HasPrefix(got, line) {
				got = got[len(line):]
				continue
			}
			if len(line) > maxSkimLine || !opaque(strings.TrimRight(line, "\r\n")) {
				t.Fatalf("line %.40q left out: not an opaque line", line)
			}
		}
		if got != "" {
			t.Fatalf("passed on %.40q that the input does not hold there", got)
		}
	})
}

// full is a writer that keeps max bytes and then refuses, as the size
// limits of stdin and downloads do.
type full struct {
	bytes.Buffer
	max int
}

var errTooLong = errors.New("full")

func (w *full) Write(p []byte) (int, error) {
	if room := w.max - w.Len(); len(p) > room {
		w.Buffer.Write(p[:room])
		return room, errTooLong
	}
	return w.Buffer.Write(p)
}

// TestSkimmerAttachmentFirst: a bounce whose 8 MB returned attachment
// comes before its text part is read to the text within a 1 MB limit on
// what is kept, and the code is found; the attachment's first 64 KB are
// kept, the rest left out.
func TestSkimmerAttachmentFirst(t *testing.T) {
	line := strings.Repeat("AAAA", 19) + "\r\n"
	attachment := strings.Repeat(line, 8<<20/len(line))
	in := "From: MAILER-DAEMON@example.net\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + attachment +
		"--b\r\nContent-Type: text/plain\r\n\r\n<bob@example.com>: host mx.example.com said: 550 5.1.1 user unknown\r\n--b--\r\n"
	w := &full{max: 1 << 20}
	s := &Skimmer{W: w}
	if _, err := s.Write([]byte(in)); err != nil {
		t.Fatalf("the limit was reached: %v (kept %d bytes)", err, w.Len())
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if w.Len() > 100<<10 || s.Skipped < 7<<20 {
		t.Errorf("kept %d bytes, left out %d", w.Len(), s.Skipped)
	}
	ex := Extract(w.String())
	if len(ex.Findings) == 0 || ex.Findings[0].Code.String() != "550 5.1.1" {
		t.Errorf("findings %+v, want 550 5.1.1", ex.Findings)
	}
}
