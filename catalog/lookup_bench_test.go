package catalog

import "testing"

// BenchmarkLookup parses "550 5.1.1" and finds both entries: the work of
// every /smtp lookup. It must not allocate.
func BenchmarkLookup(b *testing.B) {
	cat, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c, _ := Parse("550 5.1.1")
		if _, ok := cat.Reply(c.Reply); !ok {
			b.Fatal("550 not found")
		}
		if _, ok := cat.Enhanced(c.Enhanced); !ok {
			b.Fatal("5.1.1 not found")
		}
	}
}

// BenchmarkLoad builds the catalog from the embedded data and reads both
// files of entries, as the first lookups of a reply and an enhanced code do.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		c, err := Load()
		if err != nil {
			b.Fatal(err)
		}
		if err := c.ensureEntries(); err != nil {
			b.Fatal(err)
		}
	}
}
