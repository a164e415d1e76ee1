package catalog

import (
	"fmt"
	"slices"
)

// phraseSet finds which of a fixed set of lowercase ASCII phrases occur in a
// text, in one pass over it (an Aho-Corasick automaton). The reason rules
// have a few hundred phrases; trying each with a substring search would
// read a server's text hundreds of times.
//
// Bytes are folded to lowercase and every byte that no phrase contains maps
// to one "other" class, so the transition table stays small: states ×
// (distinct bytes + 1).
type phraseSet struct {
	class   [256]uint8 // byte → column; 0 is "a byte no phrase has"
	columns int
	next    []int32   // state*columns + column → state
	out     [][]uint8 // state → groups of the phrases that end there, suffixes included
}

// maxGroups is the number of groups a phraseSet reports, the bits of a
// groupSet.
const maxGroups = 256

// groupSet holds the groups found in a text, one bit each.
type groupSet [maxGroups / 64]uint64

func (g *groupSet) add(i uint8)    { g[i/64] |= 1 << (i % 64) }
func (g *groupSet) has(i int) bool { return i >= 0 && i < maxGroups && g[i/64]&(1<<(i%64)) != 0 }
func (g *groupSet) empty() bool    { return g[0]|g[1]|g[2]|g[3] == 0 }

// maxPhraseStates bounds the automaton, so a data file cannot make it huge.
const maxPhraseStates = 1 << 15

// newPhraseSet builds the automaton; phrase i is reported as group
// groups[i], so that the phrases of one rule report the rule.
func newPhraseSet(phrases []string, groups []uint8) (*phraseSet, error) {
	p := &phraseSet{}
	cols := 1
	for _, ph := range phrases {
		if ph == "" {
			return nil, fmt.Errorf("empty phrase")
		}
		for i := 0; i < len(ph); i++ {
			b := ph[i]
			if b >= 'A' && b <= 'Z' || b >= 0x80 || b == '\t' || b == '\n' || b == '\r' {
				return nil, fmt.Errorf("phrase %q: use lowercase ASCII and single spaces", ph)
			}
			if p.class[b] == 0 {
				if cols == 255 {
					return nil, fmt.Errorf("too many distinct bytes in the phrases")
				}
				p.class[b] = uint8(cols)
				cols++
			}
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		p.class[b] = p.class[b+'a'-'A']
	}
	p.columns = cols

	// The trie, with -1 for "no edge yet".
	newState := func() int32 {
		for range cols {
			p.next = append(p.next, -1)
		}
		p.out = append(p.out, nil)
		return int32(len(p.out) - 1)
	}
	newState()
	if len(groups) != len(phrases) {
		return nil, fmt.Errorf("%d phrases, %d groups", len(phrases), len(groups))
	}
	for id, ph := range phrases {
		s := int32(0)
		for i := 0; i < len(ph); i++ {
			c := int(p.class[ph[i]])
			if p.next[int(s)*cols+c] < 0 {
				if len(p.out) >= maxPhraseStates {
					return nil, fmt.Errorf("phrases too long: more than %d states", maxPhraseStates)
				}
				ns := newState()
				p.next[int(s)*cols+c] = ns
			}
			s = p.next[int(s)*cols+c]
		}
		if !slices.Contains(p.out[s], groups[id]) {
			p.out[s] = append(p.out[s], groups[id])
		}
	}

	// Failure links, breadth first, folded into the table so that matching
	// follows one edge per byte.
	fail := make([]int32, len(p.out))
	queue := make([]int32, 0, len(p.out))
	for c := range cols {
		if t := p.next[c]; t > 0 {
			fail[t] = 0
			queue = append(queue, t)
		} else {
			p.next[c] = 0
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, g := range p.out[fail[s]] {
			if !slices.Contains(p.out[s], g) {
				p.out[s] = append(p.out[s], g)
			}
		}
		for c := range cols {
			i := int(s)*cols + c
			if t := p.next[i]; t >= 0 {
				fail[t] = p.next[int(fail[s])*cols+c]
				queue = append(queue, t)
			} else {
				p.next[i] = p.next[int(fail[s])*cols+c]
			}
		}
	}
	return p, nil
}

// scan adds to found the group of every phrase that occurs in text. Case
// does not matter; white space must already be single spaces (see
// normalizeServerText).
func (p *phraseSet) scan(text []byte, found *groupSet) {
	s := int32(0)
	cols := p.columns
	for _, b := range text {
		s = p.next[int(s)*cols+int(p.class[b])]
		for _, g := range p.out[s] {
			found.add(g)
		}
	}
}
