package intent

import "testing"

func TestCommaCodes(t *testing.T) {
	for in, want := range map[string]string{
		"5,1,1":             "5.1.1",
		"lỗi 5,7,1 là gì":   "lỗi 5.7.1 là gì",
		"550 5,7,1 คืออะไร": "550 5.7.1 คืออะไร",
		"4,7,26 from gmail": "4.7.26 from gmail",
		"1,000,000 emails":  "1,000,000 emails",
		"5,10":              "5,10",
		"2,5,1,0":           "2,5,1,0",
		"price 15,1,1":      "price 15,1,1",
		"5,8,1":             "5,8,1",
		"5,1,1234":          "5,1,1234",
		"a,b,c":             "a,b,c",
		"5,1,1 and 4,2,2":   "5.1.1 and 4.2.2",
		"":                  "",
	} {
		if got := commaCodes(in); got != want {
			t.Errorf("commaCodes(%q) = %q, want %q", in, got, want)
		}
	}
	for text, want := range map[string]Kind{"5,1,1": Explain, "lỗi 5,7,1 là gì": Explain} {
		if in := Parse(text); in.Kind != want {
			t.Errorf("Parse(%q) = %v, want %v", text, in.Kind, want)
		}
	}
}

func FuzzCommaCodes(f *testing.F) {
	for _, s := range []string{"5,1,1", "1,000", "5,7,26,", "x5,1,1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := commaCodes(s)
		if len(got) != len(s) {
			t.Fatalf("commaCodes(%q) = %q: lengths differ", s, got)
		}
	})
}
