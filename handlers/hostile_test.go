package handlers

import (
	"fmt"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/internal/hostile"
)

// TestExplainTextHostileInput explains 10 MB of each shape issue 11 found
// quadratic (a run of "A", "AB" or "AAAB" on a reply line; a bounce that
// returns a base64 attachment of zero bytes) inside a generous bound, even
// under -race: the whole path a paste takes, provider detection included,
// where the scan that restarted at every "A" was. Linear, each takes well
// under a second; the quadratic scan took minutes. The bound only tells a
// stall from slowness: it failed at 5 s under -race on two busy cores, so
// it is 30 s (the speed itself is BenchmarkExplainTextHostile's).
func TestExplainTextHostileInput(t *testing.T) {
	e := engine(t)
	lang := e.Languages().Fallback()
	for _, s := range hostile.Shapes() {
		switch s.Name {
		case "line-A", "line-AB", "line-AAAB", "dsn-zero-attachment", "base64-paste":
		default:
			continue
		}
		text := s.Make(10 << 20)
		start := time.Now()
		r := e.ExplainText(lang, text)
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("%s: %d bytes took %v", s.Name, len(text), d)
		}
		if len(r.Explanations) == 0 || r.Explanations[0].Code.String() != "550 5.1.1" {
			t.Errorf("%s: the reply before the filler was not found first", s.Name)
		}
	}
}

// BenchmarkExplainTextHostile explains the shapes issue 11 found quadratic,
// and ordinary bounce text, at sizes that double from 100 KB to 1.6 MB:
// linear time doubles with them.
func BenchmarkExplainTextHostile(b *testing.B) {
	e := engine(b)
	lang := e.Languages().Fallback()
	makers := map[string]func(int) string{}
	for _, s := range hostile.Shapes() {
		makers[s.Name] = s.Make
	}
	makers["ordinary"] = hostile.Ordinary
	for _, name := range []string{"line-A", "line-AB", "line-AAAB", "dsn-zero-attachment", "ordinary"} {
		for _, n := range []int{100 << 10, 200 << 10, 400 << 10, 800 << 10, 1600 << 10} {
			text := makers[name](n)
			b.Run(fmt.Sprintf("%s/%dKB", name, n>>10), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					e.ExplainText(lang, text)
				}
			})
		}
	}
}
