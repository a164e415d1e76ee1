package catalog

import (
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// detectMultiPass is the detection as it was before the automaton: one
// search of the whole text per mark. It is kept as the reference the
// one-pass scan must agree with, and as the "before" of the benchmark.
func (c *Catalog) detectMultiPass(text string) Detection {
	if c.ensureProviders() != nil {
		return Detection{}
	}
	var found [maxMarks]evidence
	for i := range c.marks.marks {
		found[i] = findEvidenceMultiPass(text, &c.marks.marks[i])
	}
	return Detection{Provider: c.bestProvider(&found), Blocklist: c.bestBlocklist(&found)}
}

// findEvidenceMultiPass looks for m in text, ignoring ASCII case and trace
// headers, and reports the strongest place it stands.
func findEvidenceMultiPass(text string, m *mark) evidence {
	found := absent
	for off := 0; off < len(text); {
		i := ascii.IndexFold(text[off:], m.needle)
		if i < 0 {
			break
		}
		i += off
		if !m.standsAt(text, i, i+len(m.needle)) {
			off = i + 1
			continue
		}
		start, end := logicalLineAt(text, i)
		line := text[start:end]
		if !isTraceHeader(line) {
			if hasReplyCode(line) {
				return onReplyLine
			}
			found = elsewhere
		}
		off = i + 1
	}
	return found
}

// logicalLineAt returns the bounds of the logical line (see nextLogicalLine)
// that holds text[i].
func logicalLineAt(text string, i int) (start, end int) {
	start = strings.LastIndexByte(text[:i], '\n') + 1
	for start > 0 && (text[start] == ' ' || text[start] == '\t') {
		start = strings.LastIndexByte(text[:start-1], '\n') + 1
	}
	line, _ := nextLogicalLine(text[start:])
	for start+len(line) <= i {
		start += len(line)
		line, _ = nextLogicalLine(text[start:])
	}
	return start, start + len(line)
}

func TestDetectAgreesWithMultiPass(t *testing.T) {
	c := mustDefault(t)
	texts := []string{
		benchText(), postfixBounceGmailRecipient, gmailBounceOutlookReject, exchangeNDRGmailReject,
		"", "\n", " gsmtp", "x\n gsmtp 550", "550 5.1.1 <a@icloud.com>\n  via mx01.mail.icloud.com",
		"Received: from mx.google.com\n\tby x; 550 gsmtp\nnext 550",
		"550 cuda_nsu 5.1.1 <x@example.com> Recipient address rejected: User unknown",
		"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
	}
	for _, text := range texts {
		if got, want := c.Detect(text), c.detectMultiPass(text); got != want {
			t.Errorf("Detect(%q) = %v, multi-pass %v", text, got, want)
		}
	}
}

func TestMarkStandsAt(t *testing.T) {
	tests := []struct {
		kind markKind
		text string
		want bool
	}{
		{markWord, "550 cuda_nsu 5.1.1", true},
		{markWord, "xcuda_nsu", false},
		{markWord, "cuda_nsux", false},
		{markWord, "bob@cuda_nsu.net", false},
		{markWord, "(cuda_nsu).", true},
		{markWord, "a.cuda_nsu", false},
		{markSubdomain, "mx01.cuda_nsu", true},
		{markSubdomain, "cuda_nsu", false},
		{markSubdomain, "bob@cuda_nsu", false},
		{markSubdomain, "a.cuda_nsu.example", false},
		{markHost, "cuda_nsu", true},
		{markHost, "bob@cuda_nsu", false},
	}
	for _, tt := range tests {
		m := mark{needle: "cuda_nsu", kind: tt.kind}
		i := strings.Index(tt.text, m.needle)
		if got := m.standsAt(tt.text, i, i+len(m.needle)); got != tt.want {
			t.Errorf("kind %d in %q: got %v, want %v", tt.kind, tt.text, got, tt.want)
		}
	}
}

func TestAutomatonFindsEveryOccurrence(t *testing.T) {
	patterns := []string{"he", "she", "his", "hers", "s"}
	a, err := newAutomaton(patterns)
	if err != nil {
		t.Fatal(err)
	}
	text := "uSHErs his"
	var got []string
	row := 0
	for i := 0; i < len(text); i++ {
		row = int(a.delta[row+int(a.class[text[i]])] >> 1)
		s := row / a.nclass
		for k := a.outStart[s]; k < a.outStart[s+1]; k++ {
			p := a.out[k]
			got = append(got, strings.ToLower(text[i+1-int(a.lens[p]):i+1]))
		}
	}
	// In order of their ends; at one end, the longer match first.
	want := "s she he hers s his s"
	if strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
	if _, err := newAutomaton(make([]string, maxMarks+1)); err == nil {
		t.Error("no error for too many marks")
	}
}

// TestProviderDataLoads checks the embedded providers and blocklists, which
// the catalog reads on first use rather than in Load.
func TestProviderDataLoads(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.providers != nil {
		t.Error("Load read the providers; they are meant to be read on first use")
	}
	if err := c.ensureProviders(); err != nil {
		t.Fatal(err)
	}
	if len(c.Providers()) < 14 || len(c.Blocklists()) < 6 {
		t.Errorf("%d providers and %d blocklists loaded", len(c.Providers()), len(c.Blocklists()))
	}
}
