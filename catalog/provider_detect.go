package catalog

// Finding the provider and the blocklist a text names, in one pass of the
// automaton over every mark.

import (
	"sync"

	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// markKind says how a mark must stand in the text to count.
type markKind uint8

const (
	// markAnywhere counts wherever the bytes occur: "gsmtp", "[tss",
	// "pphosted".
	markAnywhere markKind = iota
	// markWord counts with no letter, digit, '-', '_', '@' or '.' right
	// before it and nothing of a host name right after it: "cuda_nsu", but
	// not "comcast" in "bob@comcast.net".
	markWord
	// markSubdomain counts as the tail of a longer host name:
	// "mx01.mail.icloud.com" for "icloud.com", but neither
	// "bob@icloud.com" nor a bare "icloud.com" in prose.
	markSubdomain
	// markHost counts as a host name or its tail, not after an '@'. It is
	// used for mail domains, which are weak evidence.
	markHost
)

// markRole says what a mark is evidence of.
type markRole uint8

const (
	roleMarker    markRole = iota // a provider's own server wrote the text
	roleDomain                    // one of the provider's mail domains
	roleBlocklist                 // the text names a blocklist
)

// mark is one pattern of the automaton.
type mark struct {
	needle string
	kind   markKind
	role   markRole
	owner  uint16 // index in Catalog.providers or Catalog.blocklists
}

// markIndex is every mark of the data with the automaton over them. The
// automaton is built on the first detection rather than at load: a run of
// the command line that explains a code never detects, and should not pay
// for it.
type markIndex struct {
	marks []mark

	once  sync.Once
	ac    *automaton
	acErr error
}

// automaton returns the automaton over every mark, building it once.
func (x *markIndex) automaton() (*automaton, error) {
	x.once.Do(func() {
		needles := make([]string, len(x.marks))
		for i, m := range x.marks {
			needles[i] = m.needle
		}
		x.ac, x.acErr = newAutomaton(needles)
	})
	return x.ac, x.acErr
}

// evidence is where a mark was found.
type evidence uint8

const (
	absent      evidence = iota
	elsewhere            // outside trace headers, on a line without a reply code
	onReplyLine          // on a logical line that carries a 4xx or 5xx reply code
)

// Detection is what a text says about who wrote it and which blocklist it
// names. Either may be nil.
type Detection struct {
	Provider  *Provider
	Blocklist *Blocklist
}

// Detect names the provider whose servers wrote text and the blocklist the
// text names, reading text once. See DetectProvider for the rule; a
// blocklist is chosen by the same weighing of its marks, without domains.
// Matching ignores ASCII case and does not allocate.
func (c *Catalog) Detect(text string) Detection {
	if !hasLetter(text) || c.ensureProviders() != nil {
		return Detection{} // every mark has a letter; "550 5.1.1" needs no automaton
	}
	a, err := c.marks.automaton()
	if err != nil { // the data's checks at load make this unreachable
		return Detection{}
	}
	var found [maxMarks]evidence
	c.marks.scan(a, text, &found)
	return Detection{Provider: c.bestProvider(&found), Blocklist: c.bestBlocklist(&found)}
}

// DetectProvider names the provider whose servers wrote text, or nil.
//
// text may be one reply, a log line or a whole bounce. The rule:
//
//   - Only markers identify a provider: host names of its servers, stamps
//     it appends to its replies, links to its postmaster pages. Its plain
//     mail domains never do on their own, so a Gmail recipient in a bounce
//     from another server does not make it a Gmail bounce.
//   - A marker on a line that carries a 4xx or 5xx reply code (with the
//     indented lines that continue it) outweighs any number of markers
//     elsewhere: in a bounce written by one provider about another's
//     rejection, the rejecting server's stamp sits on the reply line.
//   - Trace headers (Received:, X-…:, ARC-…:, DKIM-Signature:,
//     Authentication-Results:, Received-SPF:) are ignored: they name the
//     systems the original message passed through, usually the sender's.
//   - Among providers with equal marker evidence, the one whose domains
//     appear as host names (not after an "@") wins; then the one listed
//     first in the data file.
//
// Matching ignores ASCII case and does not allocate.
func (c *Catalog) DetectProvider(text string) *Provider { return c.Detect(text).Provider }

// DetectBlocklist names the blocklist text cites, or nil.
func (c *Catalog) DetectBlocklist(text string) *Blocklist { return c.Detect(text).Blocklist }

// bestProvider weighs the marks found: distinct markers on reply lines
// first, then distinct markers elsewhere, then domains.
func (c *Catalog) bestProvider(found *[maxMarks]evidence) *Provider {
	var replies, others, domains [maxProviders]int
	any := false
	for i, m := range c.marks.marks {
		e := found[i]
		if e == absent || m.role == roleBlocklist {
			continue
		}
		switch {
		case m.role == roleDomain:
			domains[m.owner]++
		case e == onReplyLine:
			replies[m.owner]++
			any = true
		default:
			others[m.owner]++
			any = true
		}
	}
	if !any {
		return nil
	}
	best, bestScore := -1, 0
	for i := range c.providers {
		if replies[i]+others[i] == 0 {
			continue // domains alone never identify a provider
		}
		if s := replies[i]*1_000_000 + others[i]*1_000 + domains[i]; s > bestScore {
			best, bestScore = i, s
		}
	}
	return c.providers[best]
}

// bestBlocklist weighs blocklist marks like bestProvider weighs markers.
func (c *Catalog) bestBlocklist(found *[maxMarks]evidence) *Blocklist {
	var score [maxBlocklists]int
	best := -1
	for i, m := range c.marks.marks {
		e := found[i]
		if e == absent || m.role != roleBlocklist {
			continue
		}
		if e == onReplyLine {
			score[m.owner] += 1_000
		} else {
			score[m.owner]++
		}
		if best < 0 || score[m.owner] > score[best] || score[m.owner] == score[best] && int(m.owner) < best {
			best = int(m.owner)
		}
	}
	if best < 0 {
		return nil
	}
	return c.blocklists[best]
}

// scan runs the automaton over text once and records, for every mark, the
// strongest place it stands (see evidence). The logical line around a
// match is examined once, when its first match is found.
func (x *markIndex) scan(a *automaton, text string, found *[maxMarks]evidence) {
	nc := a.nclass
	row := 0
	// The logical line being read, and what is known of it.
	lineStart, evalStart, evalEnd := 0, -1, -1
	var lineEvidence evidence
	for i := 0; i < len(text); i++ {
		b := text[i]
		if b == '\n' && (i+1 >= len(text) || text[i+1] != ' ' && text[i+1] != '\t') {
			lineStart = i + 1 // the next byte starts a new logical line
		}
		v := a.delta[row+int(a.class[b])]
		row = int(v >> 1)
		if v&1 == 0 {
			continue
		}
		state := row / nc
		for k := a.outStart[state]; k < a.outStart[state+1]; k++ {
			pi := a.out[k]
			start := i + 1 - int(a.lens[pi])
			m := &x.marks[pi]
			if found[pi] == onReplyLine || !m.standsAt(text, start, i+1) {
				continue
			}
			if start < evalStart || start >= evalEnd {
				ls := lineStart
				if ls > start { // a newline ended the line at this very byte
					ls = logicalStart(text, start)
				}
				line, _ := nextLogicalLine(text[ls:])
				evalStart, evalEnd = ls, ls+len(line)
				switch {
				case isTraceHeader(line):
					lineEvidence = absent
				case hasReplyCode(line):
					lineEvidence = onReplyLine
				default:
					lineEvidence = elsewhere
				}
			}
			if lineEvidence > found[pi] {
				found[pi] = lineEvidence
			}
		}
	}
}

// logicalStart returns the start of the logical line (see nextLogicalLine)
// that holds text[i].
func logicalStart(text string, i int) int {
	start := 0
	for j := i - 1; j >= 0; j-- {
		if text[j] == '\n' && j+1 < len(text) && text[j+1] != ' ' && text[j+1] != '\t' {
			start = j + 1
			break
		}
	}
	return start
}

// standsAt reports whether the mark found at text[start:end] stands as its
// kind requires.
func (m *mark) standsAt(text string, start, end int) bool {
	switch m.kind {
	case markWord:
		if start > 0 {
			if p := text[start-1]; isHostByte(p) || p == '@' || p == '.' {
				return false
			}
		}
		return hostEndsAt(text, end)
	case markSubdomain:
		return start >= 2 && text[start-1] == '.' && isHostByte(text[start-2]) && hostEndsAt(text, end)
	case markHost:
		return isHostAt(text, start, end-start)
	}
	return true
}

// hostEndsAt reports whether a host name can end at text[end]: the text
// ends, or what follows is neither part of a name nor a dot that a name
// continues after.
func hostEndsAt(text string, end int) bool {
	return end == len(text) || !isHostByte(text[end]) &&
		!(text[end] == '.' && end+1 < len(text) && isHostByte(text[end+1]))
}

// hasLetter reports whether s holds an ASCII letter.
func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if ascii.IsAlpha(s[i]) {
			return true
		}
	}
	return false
}
