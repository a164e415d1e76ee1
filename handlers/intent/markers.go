package intent

import "strings"

// markerIndex is the Vietnamese markers arranged for one pass over a text:
// Latin markers by their first word, so each word of the text is looked up
// once instead of searching the whole text for every marker; Thai ones,
// matched anywhere as spaced.has does, are kept apart.
type markerIndex struct {
	n       int // markers in the list, duplicates included
	byFirst map[string][]marker
	thai    []marker
}

// marker is one entry of the markers list: its position there, so each
// entry counts once, and its weight (two for a phrase of several words).
type marker struct {
	phrase string
	idx    int
	weight int
}

func newMarkerIndex(list []string) markerIndex {
	m := markerIndex{n: len(list), byFirst: map[string][]marker{}}
	for i, p := range list {
		if p == "" {
			continue // spaced.has finds nothing for it
		}
		w := 1
		if strings.Contains(p, " ") {
			w = 2 // "khac nhau", "nghia la gi": no other language writes these
		}
		mk := marker{phrase: p, idx: i, weight: w}
		if hasThai(p) {
			m.thai = append(m.thai, mk)
			continue
		}
		first, _, _ := strings.Cut(p, " ")
		m.byFirst[first] = append(m.byFirst[first], mk)
	}
	return m
}

// hits sums the weights of the markers s has, each entry once: the same
// count as asking s.has for every marker. In s, words are separated by
// single spaces with one at each end, so a Latin marker found as a whole
// phrase starts at the start of a word and begins with that word.
func (m *markerIndex) hits(s spaced) int {
	var small [1]uint64
	seen := small[:]
	if m.n > 64 {
		seen = make([]uint64, (m.n+63)/64)
	}
	hits := 0
	str := string(s)
	for i := 1; i < len(str); {
		j := strings.IndexByte(str[i:], ' ')
		if j < 0 {
			break
		}
		for _, mk := range m.byFirst[str[i:i+j]] {
			end := i + len(mk.phrase)
			if seen[mk.idx/64]&(1<<(mk.idx%64)) == 0 && end < len(str) && str[end] == ' ' && str[i:end] == mk.phrase {
				seen[mk.idx/64] |= 1 << (mk.idx % 64)
				hits += mk.weight
			}
		}
		i += j + 1
	}
	for _, mk := range m.thai {
		if s.has(mk.phrase) {
			hits += mk.weight
		}
	}
	return hits
}
