package extract

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkExtract measures whole extractions: a 3 KB Postfix DSN as raw
// MIME, a Gmail bounce with a quoted-printable part, a plain pasted Exim
// bounce, a one-line paste, chatter, and a 40 KB Office 365 NDR (headers,
// quoted-printable text, base64 HTML, DSN, original headers).
func BenchmarkExtract(b *testing.B) {
	for _, name := range []string{"postfix-dsn", "gmail-qp", "exim-bounce", "bare-line", "chatter-numbers", "postfix-log", "office365-large"} {
		raw, err := os.ReadFile(filepath.Join("testdata", "bounces", name+".txt"))
		if err != nil {
			b.Fatal(err)
		}
		text := string(raw)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				Extract(text)
			}
		})
	}
}

// BenchmarkExtractCorpus runs over the whole shared corpus, when present.
func BenchmarkExtractCorpus(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "emails", "*.eml"))
	if len(files) == 0 {
		b.Skip("no corpus")
	}
	var texts []string
	var n int64
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(raw))
		n += int64(len(raw))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			Extract(t)
		}
	}
}
