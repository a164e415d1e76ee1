package intent

import "testing"

// hitsByHas is the count markerIndex.hits replaces: every marker searched
// for in the whole text.
func hitsByHas(list []string, s spaced) int {
	hits := 0
	for _, m := range list {
		if s.has(m) {
			hits++
			for i := 0; i < len(m); i++ {
				if m[i] == ' ' {
					hits++
					break
				}
			}
		}
	}
	return hits
}

func TestMarkerHitsMatchHas(t *testing.T) {
	lists := [][]string{
		lex().lang["vi"].Markers,
		{"la gi", "la", "la gi", "", "gi", "nghia la gi", "หมายถึง", "a b c"},
	}
	texts := []string{
		"", " ", "nghia la gi", "550 nghia la gi vay", "la gi la gi", "la", "gila gi",
		"ma loi 550 la sao", "khac nhau giua 421 va 450", "nghia la", "lagi", "a b", "a b c",
		"550 หมายถึงอะไร", "loi khong duoc gui", "What does 550 mean?", "la\tgi\nla",
		"Nguyễn nói lỗi 550 là gì", "cho hoi: 421 *khac* nhau gi?",
	}
	for _, p := range phrasings {
		texts = append(texts, p.text)
	}
	for li, list := range lists {
		idx := newMarkerIndex(list)
		for _, text := range texts {
			s := newSpaced(Clean(text))
			if got, want := idx.hits(s), hitsByHas(list, s); got != want {
				t.Errorf("list %d, %q: hits %d, has %d", li, text, got, want)
			}
		}
	}
}

func FuzzMarkerHits(f *testing.F) {
	f.Add("550 nghia la gi vay")
	f.Add("la gi la gi khac nhau")
	idx := newMarkerIndex(lex().lang["vi"].Markers)
	f.Fuzz(func(t *testing.T, text string) {
		s := newSpaced(Clean(text))
		if got, want := idx.hits(s), hitsByHas(lex().lang["vi"].Markers, s); got != want {
			t.Fatalf("%q: hits %d, has %d", text, got, want)
		}
	})
}

// FuzzSpacedASCII checks that folding and spacing an ASCII text in one pass
// gives what folding it first and then spacing its words gives.
func FuzzSpacedASCII(f *testing.F) {
	f.Add("What's 550  5.1.1\t\n mean?")
	f.Add("")
	f.Add("'''")
	f.Fuzz(func(t *testing.T, text string) {
		if !ascii(text) {
			return
		}
		if got, want := newSpacedASCII(text), spacedFolded(fold(text)); got != want {
			t.Fatalf("%q: %q, want %q", text, got, want)
		}
	})
}

// FuzzMarkerHitsASCII checks that reading an ASCII text in place counts
// the markers that its spaced copy has.
func FuzzMarkerHitsASCII(f *testing.F) {
	f.Add("550 nghia la gi vay")
	f.Add("la gi la gi khac nhau")
	f.Add("Cho hoi: 'ma' loi 421 *the* nao, nhu the nao?? LA  GI")
	f.Add("nghia la")
	f.Add("")
	lists := [][]string{
		lex().lang["vi"].Markers,
		{"la gi", "la", "la gi", "", "gi", "nghia la gi", "a b c", "a b", "b"},
	}
	f.Fuzz(func(t *testing.T, text string) {
		clean := Clean(text)
		if !ascii(clean) {
			return
		}
		for li, list := range lists {
			idx := newMarkerIndex(list)
			if got, want := idx.hitsASCII(clean), idx.hits(newSpacedASCII(clean)); got != want {
				t.Fatalf("list %d, %q: hitsASCII %d, hits %d", li, text, got, want)
			}
		}
	})
}
