package catalog

// An Aho–Corasick automaton over every provider and blocklist mark, so that
// detection reads a text once however many marks the data lists.
//
// It is written here rather than taken from a library because detection
// needs all three of: every occurrence, overlapping ones included, with its
// position (host-name and word boundaries, and the line it sits on, are
// checked around it); ASCII case folding; and no allocation per text.
// github.com/cloudflare/ahocorasick reports only which patterns occur, not
// where, and github.com/petar-dambovsky/aho-corasick returns non-overlapping
// matches in a freshly allocated slice. The automaton is small: a trie over
// the marks' bytes, completed into a DFA over byte classes.

import (
	"fmt"
	"slices"
)

// maxMarks bounds the number of patterns, so that a detection can keep its
// per-pattern state in a fixed array on the stack.
const maxMarks = 1024

// automaton is a DFA that recognises every pattern as a suffix of the text
// read so far. It is read-only once built.
type automaton struct {
	class  [256]uint8 // byte → class; 0 for bytes no pattern holds
	nclass int
	// delta maps row + class to the next state's entry, where row is a
	// state's number times nclass (the root's is 0): the entry is that
	// state's row shifted left once, with the low bit set when patterns end
	// in it. Reading a byte is then one lookup and one shift.
	delta    []int32
	outStart []int32  // state → first index in out
	out      []uint16 // pattern indexes, per state, of the patterns that end there
	lens     []int32  // pattern index → its length
}

// newAutomaton builds the automaton over patterns, which must be non-empty
// lowercase ASCII (checkNeedle). Matching folds ASCII upper case to lower.
func newAutomaton(patterns []string) (*automaton, error) {
	if len(patterns) > maxMarks {
		return nil, fmt.Errorf("%d marks: at most %d are supported", len(patterns), maxMarks)
	}
	a := &automaton{lens: make([]int32, len(patterns))}
	// Byte classes: one per distinct byte used, upper case sharing the class
	// of its lower-case letter.
	a.nclass = 1
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			if b := p[i]; a.class[b] == 0 {
				a.class[b] = uint8(a.nclass)
				if 'a' <= b && b <= 'z' {
					a.class[b-'a'+'A'] = uint8(a.nclass)
				}
				a.nclass++
			}
		}
	}
	if a.nclass > 255 {
		return nil, fmt.Errorf("marks use too many distinct bytes")
	}
	// The trie, with -1 for a missing edge.
	nc := a.nclass
	// Sized exactly up front (growing it by appends cost more than the
	// rest of the build): in sorted order, each pattern adds as many states
	// as it has bytes beyond the prefix it shares with the one before.
	sorted := slices.Clone(patterns)
	slices.Sort(sorted)
	maxStates := 1
	for i, p := range sorted {
		shared := 0
		if i > 0 {
			for shared < len(p) && shared < len(sorted[i-1]) && p[shared] == sorted[i-1][shared] {
				shared++
			}
		}
		maxStates += len(p) - shared
	}
	trie := make([]int32, 0, maxStates*nc)
	newState := func() int32 {
		for range nc {
			trie = append(trie, -1)
		}
		return int32(len(trie)/nc - 1)
	}
	newState()
	own := make([][]uint16, 1, maxStates)
	for pi, p := range patterns {
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := int32(a.class[p[i]])
			if trie[s*int32(nc)+c] < 0 {
				n := newState()
				trie[s*int32(nc)+c] = n
				own = append(own, nil)
			}
			s = trie[s*int32(nc)+c]
		}
		own[s] = append(own[s], uint16(pi))
		a.lens[pi] = int32(len(p))
	}
	// Breadth first: failure links, completed transitions and merged outputs.
	states := len(own)
	a.delta = trie
	fail := make([]int32, states)
	outs := make([][]uint16, states)
	queue := make([]int32, 0, states)
	for c := range nc {
		if n := trie[c]; n >= 0 {
			fail[n] = 0
			queue = append(queue, n)
		} else {
			a.delta[c] = 0
		}
	}
	outs[0] = own[0]
	for qi := 0; qi < len(queue); qi++ {
		s := queue[qi]
		outs[s] = append(append([]uint16(nil), own[s]...), outs[fail[s]]...)
		for c := range nc {
			i := s*int32(nc) + int32(c)
			if n := trie[i]; n >= 0 {
				fail[n] = a.delta[fail[s]*int32(nc)+int32(c)]
				queue = append(queue, n)
			} else {
				a.delta[i] = a.delta[fail[s]*int32(nc)+int32(c)]
			}
		}
	}
	a.outStart = make([]int32, states+1)
	for s := range states {
		a.outStart[s] = int32(len(a.out))
		a.out = append(a.out, outs[s]...)
	}
	a.outStart[states] = int32(len(a.out))
	for i, next := range a.delta {
		flag := int32(0)
		if a.outStart[next] != a.outStart[next+1] {
			flag = 1
		}
		a.delta[i] = next*int32(nc)<<1 | flag
	}
	return a, nil
}
