package main

import (
	"io"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/handlers"
	"github.com/smtpcodes/smtpbot/locales"
)

// BenchmarkColdExplain is the program's own share of a run of
// "smtpbot explain ARGS": the catalog and the languages built from the
// embedded data, as at start-up, then the explanation written out. What the
// process pays before main (the runtime, package initialisers) is not in it;
// BENCHMARKS.md times whole runs for that. State kept in package variables
// on first use (word lists, patterns) is warm after the first iteration,
// but "550" and "5.1.1" use none of it.
func BenchmarkColdExplain(b *testing.B) {
	for _, args := range [][]string{{"550"}, {"5.1.1"}, {"--lang", "vi", "550"}} {
		b.Run(strings.Join(args, "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				cat, err := catalog.Load()
				if err != nil {
					b.Fatal(err)
				}
				langs, err := locales.Load()
				if err != nil {
					b.Fatal(err)
				}
				c := &cli{eng: handlers.NewEngine(cat, langs), getenv: func(string) string { return "" },
					stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
				if err := c.explain(args); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
