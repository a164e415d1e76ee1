package handlers

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/catalog"
)

// The checks below hold the texts of every code true for the class they are
// shown in (issue 7): the examples they quote, the party of each fix step,
// and who has to act.

var (
	quoted   = regexp.MustCompile(`"[^"]*"`)
	enhanced = regexp.MustCompile(`\b([245])\.(\d{1,3})\.(\d{1,3})\b`)
	pair     = regexp.MustCompile(`\b([2-5])\d\d[ -]([245])\.\d{1,3}\.\d{1,3}\b`)
)

// exampleProblem says what in text, shown for the enhanced code key
// ("X.1.1") in class, is an example of another class: an example quoting
// the code itself with another class digit ("550 5.1.1" on the 4.1.1
// card), or a reply code quoted with an enhanced code of another class.
func exampleProblem(key string, class catalog.Class, text string) string {
	own := strings.TrimPrefix(key, "X.")
	for _, m := range pair.FindAllStringSubmatch(text, -1) {
		if m[1] != m[2] {
			return "reply and enhanced code of different classes: " + m[0]
		}
	}
	for _, q := range quoted.FindAllString(text, -1) {
		for _, m := range enhanced.FindAllStringSubmatch(q, -1) {
			if m[2]+"."+m[3] == own && m[1] != strconv.Itoa(int(class)) {
				return "example of class " + m[1] + ": " + q
			}
		}
	}
	return ""
}

func TestExampleProblem(t *testing.T) {
	tests := []struct {
		key   string
		class catalog.Class
		text  string
		bad   bool
	}{
		{"X.1.1", 5, `such as "550 5.1.1 User unknown".`, false},
		{"X.1.1", 4, `such as "550 5.1.1 User unknown".`, true},                                   // the old 4.1.1 card
		{"X.4.1", 5, `Postfix's "connect to mx: Connection timed out" reported as 4.4.1.`, false}, // not quoted
		{"X.4.1", 5, `as in "451 4.4.1 timed out".`, true},
		{"X.7.0", 4, `"235 2.7.0 Authentication successful"`, true}, // the old 4.7.0 card
		{"X.2.2", 5, `as in "452 4.2.2 Mailbox full"`, true},        // the old 5.2.2 card
		{"X.2.2", 5, `RFC 3463 asks for 4.2.2 instead.`, false},     // a cross-reference, not an example
		{"X.5.0", 5, `"458 5.5.0 x"`, true},                         // a pair that mixes classes
		{"X.7.1", 5, `"554 5.7.1 Relay access denied"`, false},
	}
	for _, tt := range tests {
		if got := exampleProblem(tt.key, tt.class, tt.text) != ""; got != tt.bad {
			t.Errorf("exampleProblem(%s, %d, %q) = %q, want a problem: %v", tt.key, tt.class, tt.text, exampleProblem(tt.key, tt.class, tt.text), tt.bad)
		}
	}
}

// TestTextsTrueForTheirClass renders every registered code in every class it
// is used in, in every language, and checks that each text is there, that
// the fix has a step for each party the data names, and that no example
// belongs to another class.
func TestTextsTrueForTheirClass(t *testing.T) {
	e := engine(t)
	for _, l := range e.Languages().Languages() {
		for _, entry := range e.Catalog().Entries() {
			for _, c := range entry.UsedIn() {
				code := codeIn(t, entry, c)
				x := e.Explain(l, code, "")
				p := x.mainPart()
				where := l.Tag + " " + code.String()
				if p.Unusual || !p.Registered {
					t.Errorf("%s: shown as unusual in a class the data lists", where)
					continue
				}
				if p.Meaning == "" || p.When == "" || len(p.Steps) == 0 {
					t.Errorf("%s: a text is missing: meaning %q, when %q, fix %q", where, p.Meaning, p.When, p.Steps)
				}
				if len(p.Steps) != len(p.Parties) {
					t.Errorf("%s: the fix has %d steps, the data names %d parties", where, len(p.Steps), len(p.Parties))
				}
				if entry.Kind != catalog.KindEnhanced {
					continue
				}
				for _, s := range append([]string{p.Meaning, p.When}, p.Steps...) {
					if msg := exampleProblem(entry.Key, c, s); msg != "" {
						t.Errorf("%s: %s", where, msg)
					}
				}
			}
		}
	}
}

// codeIn returns the code of entry in class c: "550", or "4.1.1" for X.1.1.
func codeIn(t *testing.T, entry *catalog.Entry, c catalog.Class) catalog.Code {
	t.Helper()
	s := entry.Key
	if entry.Kind == catalog.KindEnhanced {
		s = strconv.Itoa(int(c)) + s[1:]
	}
	code, err := catalog.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// Cues that tie an English fix step to a party. A step the data gives to
// the recipient's side must not ask for what only the sending side can do,
// and a step given to the sending side must not be something only the
// receiving side can do.
var (
	sendingCues = []string{"your sending", "outbound port", "your ip", "sending ip", "sending rate",
		"helo", "let the queue", "your queue", "your server", "the sending host", "your own relay",
		"your lists", "smaller message", "sent smaller", "typos"}
	receivingCues = regexp.MustCompile(`(?i)\b(only (the recipient|they)|the recipient'?s? (mail )?administrator (has to|must|can)|its (owner|administrator) (has to|must)|the (domain|receiving|list) (owner|administrator|side) (has to|must)|the recipient has to|they must allow|its administrator has to fix it|whoever runs the looping)\b`)
)

// partyProblem says why step, given to party, contradicts it.
func partyProblem(class catalog.Class, party catalog.Actor, step string) string {
	lower := strings.ToLower(step)
	switch {
	case class == catalog.ClassPositiveCompletion && party != catalog.ActorNobody:
		return "a success needs nobody to act"
	case class != catalog.ClassPositiveCompletion && class != catalog.ClassPositiveIntermediate && party == catalog.ActorNobody:
		return "a failure's step must name who acts"
	case party == catalog.ActorRecipientSide:
		for _, cue := range sendingCues {
			if strings.Contains(lower, cue) {
				return "given to the recipient's side, but asks the sending side: " + cue
			}
		}
	case party == catalog.ActorSender || party == catalog.ActorSenderAdmin:
		if m := receivingCues.FindString(step); m != "" {
			return "given to the sending side, but only the receiving side can: " + m
		}
	}
	return ""
}

func TestPartyProblem(t *testing.T) {
	tests := []struct {
		party catalog.Actor
		step  string
		bad   bool
	}{
		// The old 4.4.1 fix, all of it given to the recipient's side.
		{catalog.ActorRecipientSide, "Check from the sending host that outbound port 25 is open.", true},
		{catalog.ActorSenderAdmin, "Check from the sending host that outbound port 25 is open.", false},
		// The old 421 and 450 fixes.
		{catalog.ActorRecipientSide, "Check your sending rate and number of parallel connections.", true},
		{catalog.ActorRecipientSide, "Check the PTR record and HELO name of the sending IP.", true},
		{catalog.ActorSender, "If the domain is genuine, its owner has to publish working MX records.", true},
		{catalog.ActorRecipientSide, "If the domain is genuine, its owner has to publish working MX records.", false},
		{catalog.ActorSender, "Only the recipient can make room, by deleting mail.", true},
	}
	for _, tt := range tests {
		if got := partyProblem(catalog.ClassTransientNegative, tt.party, tt.step) != ""; got != tt.bad {
			t.Errorf("partyProblem(%s, %q) = %q, want a problem: %v", tt.party, tt.step, partyProblem(4, tt.party, tt.step), tt.bad)
		}
	}
}

// TestFixStepsMatchTheirParty checks the party of every English fix step,
// so who has to act, derived from the steps, cannot contradict the fix.
func TestFixStepsMatchTheirParty(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	for _, entry := range e.Catalog().Entries() {
		for _, c := range entry.UsedIn() {
			x := e.Explain(en, codeIn(t, entry, c), "")
			for _, s := range x.Steps {
				if msg := partyProblem(c, s.Party, s.Text); msg != "" {
					t.Errorf("%s fix step %q: %s", x.Code, s.Text, msg)
				}
			}
		}
	}
}

// TestWhoActs pins who has to act, hard or soft, and the retry advice for
// the cases issue 7 names.
func TestWhoActs(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	tests := []struct {
		code     string
		actors   []catalog.Actor
		severity catalog.Severity
		retry    catalog.Retry
	}{
		// Every step of 421, 450 and 4.4.1 is the sending side's first.
		{"421", []catalog.Actor{catalog.ActorSenderAdmin}, catalog.SeveritySoft, catalog.RetryLater},
		{"450", []catalog.Actor{catalog.ActorSenderAdmin}, catalog.SeveritySoft, catalog.RetryLater},
		{"4.4.1", []catalog.Actor{catalog.ActorSenderAdmin, catalog.ActorRecipientSide}, catalog.SeveritySoft, catalog.RetryLater},
		// A message too big is the sender's to shrink.
		{"552 5.3.4", []catalog.Actor{catalog.ActorSender}, catalog.SeverityHard, catalog.RetryAfterFix},
		// 550's policy cases need the sender's mail admin.
		{"550", []catalog.Actor{catalog.ActorSender, catalog.ActorSenderAdmin}, catalog.SeverityHard, catalog.RetryAfterFix},
		{"550 5.7.26", []catalog.Actor{catalog.ActorSenderAdmin}, catalog.SeverityHard, catalog.RetryAfterFix},
		// RFC 3463 section 3.3: X.2.2 is a persistent transient failure;
		// bounce processors treat 5.2.2 as soft.
		{"552 5.2.2", []catalog.Actor{catalog.ActorRecipientSide, catalog.ActorSender}, catalog.SeveritySoft, catalog.RetryByHand},
		{"4.2.2", []catalog.Actor{catalog.ActorRecipientSide, catalog.ActorSenderAdmin}, catalog.SeveritySoft, catalog.RetryLater},
		{"250 2.1.5", []catalog.Actor{catalog.ActorNobody}, catalog.SeveritySuccess, catalog.RetryNone},
	}
	for _, tt := range tests {
		code, err := catalog.Parse(tt.code)
		if err != nil {
			t.Fatal(err)
		}
		x := e.Explain(en, code, "")
		if !slices.Equal(x.Actors, tt.actors) || x.Actor != tt.actors[0] {
			t.Errorf("%s: who acts %q (%q), want %q", tt.code, x.Actors, x.Actor, tt.actors)
		}
		if x.Severity != tt.severity || x.Retry != tt.retry {
			t.Errorf("%s: %s, retry %s; want %s, retry %s", tt.code, x.Severity, x.Retry, tt.severity, tt.retry)
		}
	}
}

// TestClassSpecificTexts pins the texts issue 7 found untrue for a class.
func TestClassSpecificTexts(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	tests := []struct {
		code        string
		has, hasNot []string
	}{
		{"5.4.1", []string{"Microsoft 365", "Access denied"}, []string{"reported as 4.4.1", "outbound port 25"}},
		{"4.7.0", []string{"454 4.7.0"}, []string{"235 2.7.0", "530 5.7.0", "2xx"}},
		{"2.7.0", []string{"235 2.7.0"}, []string{"454 4.7.0", "530 5.7.0"}},
		{"5.2.2", []string{"soft bounce", "552 5.2.2"}, []string{"452 4.2.2"}},
		{"4.1.1", []string{"permanent failures only"}, []string{"550 5.1.1", "probably deleted"}},
		// DMARC needs one aligned pass, and publishing it fixes nothing alone.
		{"5.7.26", []string{"not both", "alone fixes nothing"}, []string{"then publish a DMARC record"}},
		// A code shown in a class it is not used in gets no code advice.
		{"4.1.5", []string{"unusual", "only as Success (2.x.x)"}, []string{"250 2.1.5"}},
		// A success is not titled a problem.
		{"2.1.0", []string{"250 2.1.0"}, []string{"Problem", "550 5.1.0"}},
		{"2.7.0", []string{"Succeeded"}, []string{"Problem"}},
		// No doubled "subject" for an undefined subject.
		{"5.9.1", []string{"Undefined (not in RFC 3463)"}, []string{"Undefined subject"}},
	}
	for _, tt := range tests {
		code, err := catalog.Parse(tt.code)
		if err != nil {
			t.Fatal(err)
		}
		x := e.Explain(en, code, "")
		var buf bytes.Buffer
		if err := WriteExplanation(&buf, &x); err != nil {
			t.Fatal(err)
		}
		got := buf.String()
		for _, s := range tt.has {
			if !strings.Contains(got, s) {
				t.Errorf("%s lacks %q:\n%s", tt.code, s, got)
			}
		}
		for _, s := range tt.hasNot {
			if strings.Contains(got, s) {
				t.Errorf("%s says %q:\n%s", tt.code, s, got)
			}
		}
	}
}

// TestLookupIsNotABounce checks that a code asked about gets no bounce
// confidence and no roles, and that mixed classes are called a mistake.
func TestLookupIsNotABounce(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	for _, in := range []string{"421", "334", "2.0.0", "550 5.1.1", " 450 5.1.1 "} {
		r := e.ExplainText(en, in)
		var buf bytes.Buffer
		if err := WriteReport(&buf, r); err != nil {
			t.Fatal(err)
		}
		got := buf.String()
		if !r.Lookup || strings.Contains(got, en.T("heading.confidence")) || strings.Contains(got, en.T("heading.role.context")) {
			t.Errorf("explain %q reads as a bounce:\n%s", in, got)
		}
		if j := r.JSON(); !j.Lookup || j.BounceConfidence != 0 || j.Findings[0].Role != "lookup" {
			t.Errorf("explain --json %q: lookup %v, confidence %v, role %q", in, j.Lookup, j.BounceConfidence, j.Findings[0].Role)
		}
	}
	r := e.ExplainText(en, "450 5.1.1")
	if len(r.Explanations) != 2 || len(r.Notes) == 0 || !strings.Contains(r.Notes[0], "mistake") {
		t.Errorf("450 5.1.1: %d explanations, notes %q; want both codes and a note that the server erred", len(r.Explanations), r.Notes)
	}
	// The same in Slack, where a click on a language button renders the
	// note again from the button's state.
	rt, _ := newRouter(t)
	rs := rt.Handle(context.Background(), Request{Source: SourceSlash, UserID: "U1", ChannelID: "C1", Text: "450 5.1.1", ResponseURL: "https://hooks.example/1"})
	if got := rendered(t, rs); !strings.Contains(got, "mixes classes") || !strings.Contains(got, "5.1.1 Bad Destination") {
		t.Errorf("/smtp 450 5.1.1 does not call the mix a mistake and explain both:\n%s", got)
	}
	// A bounce is still a bounce.
	if r := e.ExplainText(en, gmailBounce); r.Lookup {
		t.Error("a pasted bounce was taken for a lookup")
	}
}

// TestReferences checks that references name sections, never repeat, never
// come out empty, and hold for the code at hand.
func TestReferences(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	refs := func(s string) string {
		code, _ := catalog.Parse(s)
		x := e.Explain(en, code, "")
		return refsText(en, &x)
	}
	if got := refs("550 5.7.26"); strings.Contains(got, "6531") || strings.Contains(got, "8689") {
		t.Errorf("550 5.7.26 cites the SMTPUTF8 or REQUIRETLS RFC: %s", got)
	}
	if got := refs("550 5.6.7"); !strings.Contains(got, "RFC 6531, section 3.5") {
		t.Errorf("550 5.6.7 does not cite RFC 6531: %s", got)
	}
	if got := refs("550"); !strings.Contains(got, "6531") {
		t.Errorf("a bare 550 lost its extension references: %s", got)
	}
	var buf bytes.Buffer
	if err := WriteCodes(&buf, e.Catalog(), en); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.Contains(line, "()") || strings.Contains(line, "RFC 5321, RFC 5321") {
			t.Errorf("codes: %q", line)
		}
	}
	if !strings.Contains(buf.String(), "draft-levine-mailbomb-header") {
		t.Error("codes: X.7.28 does not name its Internet-Draft")
	}
}

// TestProviderMeaningHidesRegistryFix checks that when a provider gives a
// code its own meaning, the registry's fix for the code does not follow as
// if it applied (Microsoft 365's 550 5.1.10 is not a null MX).
func TestProviderMeaningHidesRegistryFix(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	b, err := os.ReadFile(filepath.Join("testdata", "paste", "office365_ndr.txt"))
	if err != nil {
		t.Fatal(err)
	}
	r := e.ExplainText(en, string(b))
	var buf bytes.Buffer
	if err := WriteReport(&buf, r); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	if !strings.Contains(got, "not necessarily what this server meant") || strings.Contains(got, "dig MX") {
		t.Errorf("the registry's null MX fix follows Microsoft's meaning:\n%s", got)
	}
	rt, _ := newRouter(t)
	rs := rt.Handle(context.Background(), Request{Source: SourceSlash, UserID: "U1", ChannelID: "C1", Text: string(b), ResponseURL: "https://hooks.example/1"})
	if got := rendered(t, rs); strings.Contains(got, "dig MX") {
		t.Errorf("Slack: the registry's null MX fix follows Microsoft's meaning:\n%s", got)
	}
}

// TestSeverityIsNotTheClass checks that the hard/soft label does not repeat
// the class label, as "Lỗi vĩnh viễn (5xx)" then "Lỗi vĩnh viễn" did.
func TestSeverityIsNotTheClass(t *testing.T) {
	e := engine(t)
	for _, l := range e.Languages().Languages() {
		for sev, classes := range map[string][]string{"soft": {"4"}, "hard": {"5"}} {
			label := l.T("severity." + sev)
			for _, c := range classes {
				for _, key := range []string{"class." + c, "class.enhanced." + c} {
					name, _, _ := strings.Cut(l.T(key), " (")
					if strings.Contains(label, name) || strings.Contains(name, label) {
						t.Errorf("%s: severity %q repeats class %q", l.Tag, label, l.T(key))
					}
				}
			}
		}
		if en := l.T("class.enhanced.4"); !strings.Contains(en, "4.x.x") {
			t.Errorf("%s: class.enhanced.4 = %q", l.Tag, en)
		}
	}
}

// FuzzLookup reads any short text as a possible lookup: it never panics, a
// lookup explains at least one code, and only a mismatch carries notes.
func FuzzLookup(f *testing.F) {
	for _, s := range []string{"421", "450 5.1.1", "550-4.1.1", " 2.0.0 ", "6.1.1", "550 5.1.1 user unknown", "4.1.5", "999 9.9.9"} {
		f.Add(s)
	}
	e := engine(f)
	en := e.Languages().Fallback()
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := e.lookup(en, s, nil)
		if !ok {
			return
		}
		if len(r.Explanations) == 0 || !r.Lookup {
			t.Fatalf("lookup %q: %d explanations, lookup %v", s, len(r.Explanations), r.Lookup)
		}
		if (r.Mismatch != "") != (len(r.Notes) > 0) || (r.Mismatch != "") != (len(r.Explanations) == 2) {
			t.Fatalf("lookup %q: mismatch %q, notes %q, %d explanations", s, r.Mismatch, r.Notes, len(r.Explanations))
		}
	})
}

// TestContextHeadingFirst: replies of a conversation with no failure above
// them are not headed as "other" replies.
func TestContextHeadingFirst(t *testing.T) {
	e := engine(t)
	for _, l := range e.Languages().Languages() {
		var buf bytes.Buffer
		if err := WriteReport(&buf, e.ExplainText(l, "220 mx.example.com ESMTP\n250 2.0.0 Ok: queued as 12345\n")); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if first, other := l.T("heading.role.context.first"), l.T("heading.role.context"); !strings.Contains(out, "== "+first+" ==") || strings.Contains(out, "== "+other+" ==") {
			t.Errorf("%s: want the heading %q, not %q:\n%s", l.Tag, first, other, out)
		}
	}
}

// TestSuccessIsNotABounce: a log line or reply that reports a delivery
// is mail software's output, but no bounce: no "bounce confidence" line;
// a failure keeps it.
func TestSuccessIsNotABounce(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	for in, want := range map[string]bool{
		"postfix/smtp[123]: 4F1A2B3C: to=<a@example.com>, relay=mx.example.com[192.0.2.1]:25, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ABC)": false,
		"250 2.0.0 Ok: queued as 4F1A2B3C": false,
		"postfix/smtp[123]: 4F1A2B3C: to=<a@example.com>, relay=mx.example.com[192.0.2.1]:25, dsn=5.1.1, status=bounced (host said: 550 5.1.1 User unknown)": true,
	} {
		var buf bytes.Buffer
		if err := WriteReport(&buf, e.ExplainText(en, in)); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(buf.String(), en.T("heading.confidence")); got != want {
			t.Errorf("explain %q: bounce confidence shown %v, want %v:\n%s", in, got, want, buf.String())
		}
	}
}
