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
	// longest is the length of the longest first word in byFirst: a
	// longer word of a text starts no marker.
	longest int
	// lengths has, for each byte a first word in byFirst starts with, a
	// bit for each length such a word has: most words of a text need no
	// lookup in byFirst to know they start no marker.
	lengths [256]uint64
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
		m.longest = max(m.longest, len(first))
		if first != "" && len(first) < 64 {
			m.lengths[first[0]] |= 1 << len(first)
		}
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

// maxFirstWord is the room hitsASCII has for a word; the markers' first
// words are far shorter. It is below 64, so that lengths has a bit for
// every length it reads.
const maxFirstWord = 32

// hitsASCII is hits(newSpacedASCII(clean)) for an ASCII text, read in
// place instead of from a spaced copy: each word is folded into a buffer
// as it is read, and only a word that starts a marker reads on for the
// rest of the phrase. Thai markers cannot be in an ASCII text.
func (m *markerIndex) hitsASCII(clean string) int {
	if m.longest > maxFirstWord {
		return m.hits(newSpacedASCII(clean))
	}
	var small [1]uint64
	seen := small[:]
	if m.n > 64 {
		seen = make([]uint64, (m.n+63)/64)
	}
	hits := 0
	var word [maxFirstWord]byte
	n := 0 // bytes of the word in word; past m.longest, the word is only counted
	r := spacedReader{s: clean, last: ' '}
	for {
		c, ok := r.next()
		if !ok {
			return hits
		}
		if c != ' ' {
			if n < len(word) {
				word[n] = c
			}
			n++
			continue
		}
		if n <= m.longest && n > 0 && m.lengths[word[0]]&(1<<n) != 0 {
			for _, mk := range m.byFirst[string(word[:n])] {
				if seen[mk.idx/64]&(1<<(mk.idx%64)) == 0 && r.follows(mk.phrase[n:]) {
					seen[mk.idx/64] |= 1 << (mk.idx % 64)
					hits += mk.weight
				}
			}
		}
		n = 0
	}
}

// spacedReader yields, one at a time, the bytes newSpacedASCII writes for
// s after its first space.
type spacedReader struct {
	s    string
	i    int  // the next byte of s to read
	last byte // the last byte yielded, or the first space
}

func (r *spacedReader) next() (byte, bool) {
	for r.i < len(r.s) {
		c, keep := foldASCIIByte(r.s[r.i])
		r.i++
		if keep && (c != ' ' || r.last != ' ') {
			r.last = c
			return c, true
		}
	}
	if r.last != ' ' { // the closing space
		r.last = ' '
		return ' ', true
	}
	return 0, false
}

// follows reports whether rest, and then a space, are what r yields after
// the space it just yielded: rest is the phrase after its first word, ""
// or a space and more words.
func (r spacedReader) follows(rest string) bool {
	if rest == "" {
		return true
	}
	for i := 1; i < len(rest); i++ { // rest[0] is the space just read
		if c, ok := r.next(); !ok || c != rest[i] {
			return false
		}
	}
	c, ok := r.next()
	return ok && c == ' '
}
