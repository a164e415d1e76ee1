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
	next    []uint16  // state*columns + column → state
	out     [][]uint8 // state → groups of the phrases that end there, suffixes included
	hasOut  []bool    // state → len(out[state]) > 0, small enough to stay in cache
}

// maxGroups is the number of groups a phraseSet reports, the bits of a
// groupSet.
const maxGroups = 256

// groupSet holds the groups found in a text, one bit each.
type groupSet [maxGroups / 64]uint64

func (g *groupSet) add(i uint8)    { g[i/64] |= 1 << (i % 64) }
func (g *groupSet) has(i int) bool { return i >= 0 && i < maxGroups && g[i/64]&(1<<(i%64)) != 0 }
func (g *groupSet) empty() bool    { return g[0]|g[1]|g[2]|g[3] == 0 }

// maxPhraseStates bounds the automaton, so a data file cannot make it huge;
// it also lets a state fit in 16 bits, which halves the table.
const maxPhraseStates = 1<<16 - 1

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
	// Every white space byte reads as one space, so "Ma\n ximum hop count"
	// and "user  unknown" match (scan also skips runs of it).
	for _, b := range []byte{'\t', '\n', '\r', '\f', '\v'} {
		p.class[b] = p.class[' ']
	}
	p.columns = cols

	if len(groups) != len(phrases) {
		return nil, fmt.Errorf("%d phrases, %d groups", len(phrases), len(groups))
	}
	// The trie, built in place in the final table: a trie edge never leads
	// back to the root, so 0 means "no edge yet". The table is sized once
	// for the most states the phrases can make (one per byte, and the
	// root): growing it state by state copied it over and over, which made
	// building the automaton the costliest step of a command-line run.
	bound := 1
	for _, ph := range phrases {
		bound += len(ph)
	}
	bound = min(bound, maxPhraseStates+1)
	next := make([]uint16, bound*cols)
	p.out = make([][]uint8, 1, bound)
	for id, ph := range phrases {
		s := 0
		for i := 0; i < len(ph); i++ {
			c := int(p.class[ph[i]])
			if next[s*cols+c] == 0 {
				if len(p.out) >= maxPhraseStates {
					return nil, fmt.Errorf("phrases too long: more than %d states", maxPhraseStates)
				}
				p.out = append(p.out, nil)
				next[s*cols+c] = uint16(len(p.out) - 1)
			}
			s = int(next[s*cols+c])
		}
		if !slices.Contains(p.out[s], groups[id]) {
			p.out[s] = append(p.out[s], groups[id])
		}
	}
	states := len(p.out)

	// Failure links, breadth first, folded into the table so that matching
	// follows one edge per byte. A row is completed when its state leaves
	// the queue, after the rows of every shorter state, so a 0 still in it
	// is a missing edge, and the failure state's row is already complete.
	fail := make([]uint16, states)
	queue := make([]uint16, 0, states)
	for c := range cols {
		if t := next[c]; t != 0 {
			queue = append(queue, t) // fail[t] = 0: the root
		}
	}
	for len(queue) > 0 {
		s := int(queue[0])
		queue = queue[1:]
		f := int(fail[s])
		for _, g := range p.out[f] {
			if !slices.Contains(p.out[s], g) {
				p.out[s] = append(p.out[s], g)
			}
		}
		for c := range cols {
			i := s*cols + c
			if t := next[i]; t != 0 {
				fail[t] = next[f*cols+c]
				queue = append(queue, t)
			} else {
				next[i] = next[f*cols+c]
			}
		}
	}
	// Shared prefixes leave part of the table unused: keep only the rows
	// of real states.
	p.next = append([]uint16(nil), next[:states*cols]...)
	p.hasOut = make([]bool, len(p.out))
	for i := range p.out {
		p.hasOut[i] = len(p.out[i]) > 0
	}
	return p, nil
}

// scan adds to found the group of every phrase that occurs in text. Case
// does not matter, and a run of white space reads as one space.
func scan[T string | []byte](p *phraseSet, text T, found *groupSet) {
	if p == nil {
		return // the rules did not load: no phrase is known
	}
	s := 0
	cols := p.columns
	space := false
	for i := 0; i < len(text); i++ {
		b := text[i]
		if isSpace(b) {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		s = int(p.next[s*cols+int(p.class[b])])
		if p.hasOut[s] {
			for _, g := range p.out[s] {
				found.add(g)
			}
		}
	}
}
