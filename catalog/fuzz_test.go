package catalog

import "testing"

// FuzzParse checks that Parse never panics and that what it accepts
// round-trips through String.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"550", "5.1.1", "550 5.1.1", "550-5.1.1", " 421 4.7.0 ", "5.7.26", "2.0.0", "999", "5.1", "550 4.1.1", "5.01.001", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			return
		}
		back, err := Parse(c.String())
		if err != nil || back != c {
			t.Fatalf("%q parses to %#v, whose String %q parses to %#v, %v", s, c, c.String(), back, err)
		}
	})
}
