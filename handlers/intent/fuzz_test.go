package intent

import (
	"testing"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	for _, p := range phrasings {
		f.Add(p.text)
	}
	f.Add("<@U1|x> <http://a|b> :a: *`_~")
	f.Add("รหัส550กับ554")
	f.Fuzz(func(t *testing.T, s string) {
		in := Parse(s)
		switch in.Kind {
		case Compare:
			if len(in.Codes) != 2 || in.Codes[0] == in.Codes[1] {
				t.Fatalf("compare of %v", in.Codes)
			}
		case Explain:
			if len(in.Codes) == 0 {
				t.Fatal("explain without a code")
			}
		case Bounce, Search, Chat:
			if len(in.Codes) != 0 {
				t.Fatalf("%s with codes %v", in.Kind, in.Codes)
			}
		default:
			t.Fatalf("unknown kind %d", in.Kind)
		}
		for _, c := range in.Codes {
			if c.Reply.IsZero() && c.Enhanced.IsZero() {
				t.Fatal("an empty code")
			}
		}
		if in.Lang != "" && in.Lang != "vi" && in.Lang != "th" {
			t.Fatalf("language %q", in.Lang)
		}
		if utf8.ValidString(s) && !utf8.ValidString(Clean(s)) {
			t.Fatalf("Clean broke UTF-8: %q", Clean(s))
		}
	})
}
