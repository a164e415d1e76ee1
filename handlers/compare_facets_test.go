package handlers

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/catalog"
)

func mustCode(t *testing.T, s string) catalog.Code {
	t.Helper()
	c, err := catalog.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCompareContrasts checks that a comparison states the real difference
// from the codes' facets and lists only the facets that differ.
func TestCompareContrasts(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	tests := []struct {
		a, b         string
		summaryHas   []string // in the summary
		differs      []string // facet lines present, by their English label
		same         []string // facet lines absent
		wantNote     bool
		summaryLacks string
	}{
		// RFC 5321 4.3.2: 550 answers RCPT TO for one recipient; 554 refuses
		// the whole transaction, at the greeting or after DATA.
		// At the greeting no recipient has been named yet: the connection is
		// refused there, the transaction and its recipients after DATA.
		{a: "550", b: "554", summaryLacks: "connection or transaction, for every recipient", summaryHas: []string{"550 refuses one recipient", "554 refuses the whole connection, or the whole transaction and all its recipients"},
			differs: []string{"When it is usually sent", "What it usually applies to", "Kind of cause", "Who has to act"}, wantNote: true},
		// Both transient; one closes the connection, the other defers a
		// recipient: never "they differ in who has to act" when they do not.
		{a: "421", b: "450", summaryHas: []string{"421 is a temporary failure for the whole connection", "450 is a temporary failure for one recipient"},
			differs: []string{"What it usually applies to"}, same: []string{"Class —", "Retry —"}, wantNote: true,
			summaryLacks: "who has to act"},
		// Never sent together (RFC 7504, 7505): 556 comes with 5.1.10, 5.7.27
		// with 550, so neither refines the other.
		{a: "556", b: "5.7.27", summaryHas: []string{"5.7.27 refuses the whole transaction", "in reply to MAIL FROM"},
			summaryLacks: "work at different levels", wantNote: true},
		// One enhanced code in both classes: the transient and the permanent form.
		{a: "4.2.2", b: "5.2.2", summaryHas: []string{"4.2.2 is reported as a transient failure (class 4)", "5.2.2 as a permanent one (class 5)"},
			differs: []string{"Class —"}, same: []string{"What it usually applies to", "Kind of cause"}, wantNote: true},
		{a: "5.7.26", b: "5.7.1", summaryHas: []string{"5.7.26 refuses the message itself", "5.7.1 refuses one recipient"},
			differs: []string{"Kind of cause"}, wantNote: true},
		// Same step, same scope: the cause tells them apart.
		{a: "550", b: "551", summaryHas: []string{"what differs is the cause"}, same: []string{"What it usually applies to"}, wantNote: true},
		{a: "250", b: "550", summaryHas: []string{"250 is a success reply", "550 refuses one recipient"}, differs: []string{"Class —"}},
	}
	for _, tt := range tests {
		c := e.Compare(en, mustCode(t, tt.a), mustCode(t, tt.b))
		where := tt.a + " vs " + tt.b
		for _, s := range tt.summaryHas {
			if !strings.Contains(c.Summary, s) {
				t.Errorf("%s: summary %q lacks %q", where, c.Summary, s)
			}
		}
		if tt.summaryLacks != "" && strings.Contains(strings.ToLower(c.Summary), tt.summaryLacks) {
			t.Errorf("%s: summary %q says %q", where, c.Summary, tt.summaryLacks)
		}
		all := strings.Join(c.Differences, "\n")
		for _, s := range tt.differs {
			if !strings.Contains(all, s) {
				t.Errorf("%s: differences lack %q:\n%s", where, s, all)
			}
		}
		for _, s := range tt.same {
			if strings.Contains(all, s) {
				t.Errorf("%s: differences list %q, which is the same on both sides:\n%s", where, s, all)
			}
		}
		if (c.Note != "") != tt.wantNote {
			t.Errorf("%s: note = %q", where, c.Note)
		}
		for _, d := range c.Differences {
			if strings.HasPrefix(d, "Meaning —") {
				t.Errorf("%s: two meanings glued together as a difference: %q", where, d)
			}
		}
	}
}

// TestContrastNotesNameCodes checks that every hand-written note is keyed by
// two codes that parse and is found from either side.
func TestContrastNotesNameCodes(t *testing.T) {
	e := engine(t)
	raw, err := os.ReadFile("../locales/data/en/contrasts.json")
	if err != nil {
		t.Fatal(err)
	}
	var notes map[string]string
	if err := json.Unmarshal(raw, &notes); err != nil {
		t.Fatal(err)
	}
	if len(notes) < 40 {
		t.Errorf("%d contrast notes; the pairs people confuse need at least 40", len(notes))
	}
	for _, l := range e.Languages().Languages() {
		for key := range notes {
			a, b, _ := strings.Cut(key, " vs ")
			ca, cb := mustCode(t, a), mustCode(t, b)
			if c := e.Compare(l, cb, ca); c.Note == "" {
				t.Errorf("%s: %s vs %s (reversed) shows no note", l.Tag, b, a)
			}
		}
	}
}

// TestCompareSummaryNamesUsualPhases checks, for every registered reply code
// in every language, that a summary telling the two codes apart by when they
// are sent names each usual phase of a code, not only the first: 554 comes
// at the greeting and after DATA, and a summary naming one of them sends the
// reader to the wrong step of the dialogue.
func TestCompareSummaryNamesUsualPhases(t *testing.T) {
	e := engine(t)
	for _, l := range e.Languages().Languages() {
		for _, entry := range e.cat.Entries() {
			if entry.Kind != catalog.KindReply {
				continue
			}
			code := mustCode(t, entry.Key)
			// A partner of another class, so the summary sets out each side.
			other := mustCode(t, "250")
			if code.Class() == catalog.ClassPositiveCompletion {
				other = mustCode(t, "550")
			}
			c := e.Compare(l, code, other)
			if want := phasesText(l, catalog.PhasesOfScope(c.FacetsA.Scope, c.FacetsA.Phases)); !strings.Contains(c.Summary, want) {
				t.Errorf("%s: %s vs %s: summary %q does not name the usual phases %q", l.Tag, code, other, c.Summary, want)
			}
		}
	}
}

// TestPhasesText checks how the usual phases are named together: the words
// both names start with are said once, never cut inside a word.
func TestPhasesText(t *testing.T) {
	e := engine(t)
	tests := []struct {
		lang   string
		phases []catalog.Phase
		want   string
	}{
		{"en", []catalog.Phase{catalog.PhaseRcpt}, "in reply to RCPT TO"},
		{"en", []catalog.Phase{catalog.PhaseRcpt, catalog.PhaseMail, catalog.PhaseEndOfData}, "in reply to RCPT TO or MAIL FROM"},
		{"en", []catalog.Phase{catalog.PhaseConnection, catalog.PhaseEndOfData, catalog.PhaseRcpt},
			"at the greeting (before any command) or after the message data (end of DATA)"},
		{"vi", []catalog.Phase{catalog.PhaseRcpt, catalog.PhaseMail}, "khi trả lời RCPT TO hoặc MAIL FROM"},
		{"vi", []catalog.Phase{catalog.PhaseConnection, catalog.PhaseEndOfData}, "ngay ở greeting (trước mọi lệnh) hoặc sau khi gửi xong email (cuối DATA)"},
		{"th", []catalog.Phase{catalog.PhaseAuth, catalog.PhaseSTARTTLS}, "ตอนตอบ AUTH (การล็อกอินเข้า server) หรือ STARTTLS"},
		// "ตอนตอบคำสั่ง DATA" and "ตอนตอบ RCPT TO" share no whole word.
		{"th", []catalog.Phase{catalog.PhaseData, catalog.PhaseRcpt}, "ตอนตอบคำสั่ง DATA หรือ ตอนตอบ RCPT TO"},
	}
	for _, tt := range tests {
		l := e.Languages().Match(tt.lang)
		if got := phasesText(l, tt.phases); got != tt.want {
			t.Errorf("%s %v: %q, want %q", tt.lang, tt.phases, got, tt.want)
		}
	}
}

// TestCompareSummarySaysADifference checks, for every pair of registered
// reply codes in every language, that a summary setting out each side does
// not say the same of both: "550 refuses one recipient, usually in reply to
// RCPT TO; 553 refuses one recipient, usually in reply to RCPT TO" told the
// reader nothing, where the cause (mailbox against address) differs.
func TestCompareSummarySaysADifference(t *testing.T) {
	e := engine(t)
	var replies []catalog.Code
	for _, entry := range e.cat.Entries() {
		if entry.Kind == catalog.KindReply {
			replies = append(replies, mustCode(t, entry.Key))
		}
	}
	for _, l := range e.Languages().Languages() {
		for i, a := range replies {
			for _, b := range replies[i+1:] {
				c := e.Compare(l, a, b)
				sa := strings.Replace(side(l, &c.A, c.FacetsA), a.String(), "X", 1)
				sb := strings.Replace(side(l, &c.B, c.FacetsB), b.String(), "X", 1)
				if sa == sb && strings.Contains(c.Summary, side(l, &c.A, c.FacetsA)) {
					t.Errorf("%s: %s vs %s: the summary says the same of both: %q", l.Tag, a, b, c.Summary)
				}
			}
		}
	}
}

func TestSamePhases(t *testing.T) {
	rcpt, mail, data := catalog.PhaseRcpt, catalog.PhaseMail, catalog.PhaseData
	tests := []struct {
		a, b []catalog.Phase
		want bool
	}{
		{[]catalog.Phase{rcpt, mail}, []catalog.Phase{mail, rcpt}, true},
		{[]catalog.Phase{rcpt}, []catalog.Phase{rcpt}, true},
		{[]catalog.Phase{rcpt, mail}, []catalog.Phase{rcpt, data}, false},
		{[]catalog.Phase{rcpt}, []catalog.Phase{rcpt, mail}, false},
	}
	for _, tt := range tests {
		if got := samePhases(tt.a, tt.b); got != tt.want {
			t.Errorf("samePhases(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
