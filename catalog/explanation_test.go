package catalog

import (
	"slices"
	"strings"
	"testing"
)

// TestExplainDecisions pins what Explain decides for a code, with no
// language involved: which part leads, whether it is registered or shown in
// a class it is not used in, hard or soft, the retry advice, who acts, and
// which references hold.
func TestExplainDecisions(t *testing.T) {
	c := loadCatalog(t)
	tests := []struct {
		code       string
		lead       string // the leading part's code
		second     string // "" when the code has one part
		registered bool   // of the leading part
		unusual    bool   // of the leading part or the other
		severity   Severity
		retry      Retry
		actors     []Actor
		noRef      int // an RFC the references must not name, or 0
	}{
		// A registered enhanced code says more than its reply code; RFC
		// 6531 holds for 550 only with 5.6.7.
		{"550 5.1.1", "5.1.1", "550", true, false, SeverityHard, RetryAfterFix, []Actor{ActorSender}, 6531},
		{"550", "550", "", true, false, SeverityHard, RetryAfterFix, []Actor{ActorSender, ActorSenderAdmin}, 0},
		// X.1.5 is used only for successes: shown as 4.1.5 it is unusual,
		// and the reply code leads; the class's fix is the sender's admin's.
		{"451 4.1.5", "451", "4.1.5", true, true, SeveritySoft, RetryLater, nil, 0},
		{"4.1.5", "4.1.5", "", true, true, SeveritySoft, RetryLater, []Actor{ActorSenderAdmin}, 0},
		// An enhanced code no document registers leaves the lead to a
		// registered reply code.
		{"550 5.9.99", "550", "5.9.99", true, false, SeverityHard, RetryAfterFix, nil, 0},
		{"5.9.99", "5.9.99", "", false, false, SeverityHard, RetryAfterFix, []Actor{ActorSenderAdmin}, 0},
		{"259", "259", "", false, false, SeveritySuccess, RetryNone, []Actor{ActorNobody}, 0},
		// RFC 3463 3.3: X.2.2 is a persistent transient failure, soft even
		// as 5.2.2.
		{"552 5.2.2", "5.2.2", "552", true, false, SeveritySoft, RetryByHand, []Actor{ActorRecipientSide, ActorSender}, 0},
		{"552 5.3.4", "5.3.4", "552", true, false, SeverityHard, RetryAfterFix, []Actor{ActorSender}, 0},
		{"421", "421", "", true, false, SeveritySoft, RetryLater, []Actor{ActorSenderAdmin}, 0},
		{"250 2.1.5", "2.1.5", "250", true, false, SeveritySuccess, RetryNone, []Actor{ActorNobody}, 0},
		// The reply code names the command: AUTH's or STARTTLS's 454 is
		// requeued by a mail server only, and ETRN's 458 and 459 refuse a
		// command without bouncing a message, whatever the enhanced code.
		{"454 4.7.0", "4.7.0", "454", true, false, SeveritySoft, RetryClientLater, nil, 0},
		{"458 4.5.0", "458", "4.5.0", true, false, SeverityCommand, RetryCommandLater, []Actor{ActorRecipientSide}, 0},
		{"459", "459", "", true, false, SeverityCommand, RetryAfterFix, []Actor{ActorSenderAdmin}, 0},
	}
	for _, tt := range tests {
		code, err := Parse(tt.code)
		if err != nil {
			t.Fatal(err)
		}
		x := c.Explain(Query{Code: code, Facets: true})
		if x.Code != code || x.Class != code.Class() {
			t.Errorf("%s: code %s class %d", tt.code, x.Code, x.Class)
		}
		if x.Lead.Code != tt.lead || x.Second.Code != tt.second || x.Second.Present() != (tt.second != "") {
			t.Errorf("%s: lead %q, second %q; want %q, %q", tt.code, x.Lead.Code, x.Second.Code, tt.lead, tt.second)
		}
		if x.Lead.Registered != tt.registered || (x.Lead.Entry != nil) != tt.registered {
			t.Errorf("%s: lead registered %v (entry %v), want %v", tt.code, x.Lead.Registered, x.Lead.Entry != nil, tt.registered)
		}
		if u := x.Lead.Unusual || x.Second.Unusual; u != tt.unusual {
			t.Errorf("%s: unusual %v, want %v", tt.code, u, tt.unusual)
		}
		if x.Severity != tt.severity || x.Retry != tt.retry {
			t.Errorf("%s: %s, retry %s; want %s, retry %s", tt.code, x.Severity, x.Retry, tt.severity, tt.retry)
		}
		if tt.actors != nil && !slices.Equal(x.Actors, tt.actors) {
			t.Errorf("%s: actors %q, want %q", tt.code, x.Actors, tt.actors)
		}
		if len(x.Actors) == 0 || x.Actor != x.Actors[0] {
			t.Errorf("%s: actor %q is not the first of %q", tt.code, x.Actor, x.Actors)
		}
		if x.Judged() {
			t.Errorf("%s: a lookup got a verdict: %+v", tt.code, x.Verdict)
		}
		if f := c.Facets(code); !slices.Equal(x.Facets.Phases, f.Phases) || x.Facets.Scope != f.Scope || x.Facets.Cause != f.Cause {
			t.Errorf("%s: facets %+v, want %+v", tt.code, x.Facets, f)
		}
		if x := c.Explain(Query{Code: code}); x.Facets.Phases != nil {
			t.Errorf("%s: facets not asked for, yet given: %+v", tt.code, x.Facets)
		}
		refs := x.References()
		if len(refs) == 0 {
			t.Errorf("%s: no references", tt.code)
		}
		for i, r := range refs {
			if tt.noRef != 0 && r.RFC == tt.noRef {
				t.Errorf("%s: references name RFC %d: %+v", tt.code, tt.noRef, refs)
			}
			if slices.ContainsFunc(refs[:i], r.sameDocument) {
				t.Errorf("%s: %+v is listed twice: %+v", tt.code, r, refs)
			}
		}
	}
}

// TestExplainLeavesFacetsUnread checks that explaining a code does not
// read data/facets.json: only comparisons need the facets, and the command
// line's start-up time counts every file decoded.
func TestExplainLeavesFacetsUnread(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	c.Explain(Query{Code: mustParse(t, "550 5.1.1"), ServerText: "550 5.1.1 user unknown", Bounced: true})
	if len(c.replyFacets) != 0 {
		t.Errorf("explaining a code read the facets (%d reply codes)", len(c.replyFacets))
	}
	if x := c.Explain(Query{Code: mustParse(t, "550"), Facets: true}); len(c.replyFacets) == 0 || x.Facets.Scope == "" {
		t.Errorf("facets asked for, yet not read: %+v", x.Facets)
	}
}

// TestExplainParts checks the parts' own decisions: unusual codes name the
// classes they are used in, a deprecated entry its replacement in the
// shown class, and codes known only by their class one step for the
// sending side's admin.
func TestExplainParts(t *testing.T) {
	c := loadCatalog(t)
	explain := func(s string) Explanation {
		code, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return c.Explain(Query{Code: code})
	}
	if x := explain("4.1.5"); !slices.Equal(x.Lead.UsedIn, []Class{ClassPositiveCompletion}) || x.Lead.Facts != nil ||
		!slices.Equal(x.Lead.Parties, []Actor{ActorSenderAdmin}) || x.Lead.Key != "X.1.5" {
		t.Errorf("4.1.5: %+v", x.Lead)
	}
	if x := explain("5.6.10"); x.Lead.Replacement != "5.6.8" {
		t.Errorf("5.6.10: replacement %q, want 5.6.8", x.Lead.Replacement)
	}
	if x := explain("4.6.10"); x.Lead.Replacement != "4.6.8" {
		t.Errorf("4.6.10: replacement %q, want 4.6.8", x.Lead.Replacement)
	}
	if x := explain("5.1.1"); x.Lead.Replacement != "" || x.Lead.Kind != KindEnhanced || x.Lead.Class != ClassPermanentNegative {
		t.Errorf("5.1.1: %+v", x.Lead)
	}
	x := explain("5.9.99")
	if !slices.Equal(x.Lead.Parties, []Actor{ActorSenderAdmin}) || len(x.Lead.Refs) != 1 || x.Lead.Refs[0].RFC != 3463 {
		t.Errorf("5.9.99: %+v", x.Lead)
	}
}

// TestExplainEveryCode explains every registered code in every class and
// checks that who acts follows from the steps of the fix, so the two can
// never disagree.
func TestExplainEveryCode(t *testing.T) {
	c := loadCatalog(t)
	for _, entry := range c.Entries() {
		for _, class := range []Class{ClassPositiveCompletion, ClassTransientNegative, ClassPermanentNegative} {
			code := Code{Enhanced: Enhanced{Class: uint8(class)}}
			if entry.Kind == KindReply {
				r, _ := ParseReply(entry.Key)
				if r.Class() != class {
					continue
				}
				code = Code{Reply: r}
			} else {
				en, _ := ParseEnhanced("2" + entry.Key[1:])
				en.Class = uint8(class)
				code.Enhanced = en
			}
			x := c.Explain(Query{Code: code})
			_, usual := entry.In(class)
			if x.Lead.Entry != entry || x.Lead.Unusual == usual {
				t.Errorf("%s: lead %+v, usual %v", code, x.Lead, usual)
				continue
			}
			if len(x.Lead.Parties) == 0 {
				t.Errorf("%s: a fix with no party", code)
			}
			if class == ClassPositiveCompletion {
				if !slices.Equal(x.Actors, []Actor{ActorNobody}) {
					t.Errorf("%s: a success needs %q to act", code, x.Actors)
				}
				continue
			}
			for _, a := range x.Actors {
				if a != ActorSenderAdmin && !slices.Contains(x.Lead.Parties, a) {
					t.Errorf("%s: %s acts, but no step of the fix addresses them (%q)", code, a, x.Lead.Parties)
				}
			}
		}
	}
}

// TestExplainVerdict checks that a bounced failure carries the verdict and
// that the verdict decides hard or soft, retry and who acts; a lookup, an
// earlier reply and a success carry none.
func TestExplainVerdict(t *testing.T) {
	c := loadCatalog(t)
	spamhaus, ok := c.Blocklist("spamhaus")
	if !ok {
		t.Fatal("no spamhaus blocklist")
	}
	tests := []struct {
		name      string
		q         Query
		reason    Reason // "" for no verdict
		action    Action
		severity  Severity
		retry     Retry
		actor     Actor
		blocklist bool
	}{
		{"user unknown", Query{Code: mustParse(t, "550 5.1.1"), ServerText: "550 5.1.1 <a@example.com>: user unknown", Bounced: true},
			ReasonUserUnknown, ActionRemoveAddress, SeverityHard, RetryAfterFix, ActorSender, false},
		{"not bounced", Query{Code: mustParse(t, "550 5.1.1"), ServerText: "550 5.1.1 user unknown"},
			"", "", SeverityHard, RetryAfterFix, ActorSender, false},
		{"success", Query{Code: mustParse(t, "250 2.1.5"), ServerText: "250 2.1.5 ok", Bounced: true},
			"", "", SeveritySuccess, RetryNone, ActorNobody, false},
		// A 5xx mailbox full is soft, and nobody retries on their own.
		{"mailbox full", Query{Code: mustParse(t, "552 5.2.2"), ServerText: "552 5.2.2 mailbox full", Bounced: true},
			ReasonMailboxFull, ActionRetryLater, SeveritySoft, RetryByHand, ActorRecipientSide, false},
		{"blocklist", Query{Code: mustParse(t, "554 5.7.1"), ServerText: "554 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org",
			Blocklist: spamhaus, Bounced: true},
			ReasonBlocked, ActionRequestDelisting, SeverityHard, RetryAfterFix, ActorSenderAdmin, true},
		// A refused ETRN in a pasted transcript bounced nothing: no verdict.
		{"etrn", Query{Code: mustParse(t, "458"), ServerText: "458 Unable to queue messages for node example.com", Bounced: true},
			"", "", SeverityCommand, RetryCommandLater, ActorRecipientSide, false},
	}
	for _, tt := range tests {
		x := c.Explain(tt.q)
		if x.Judged() != (tt.reason != "") || x.Verdict.Reason != tt.reason || x.Verdict.Action != tt.action {
			t.Errorf("%s: verdict %+v, want %s / %s", tt.name, x.Verdict, tt.reason, tt.action)
		}
		if x.Severity != tt.severity || x.Retry != tt.retry || x.Actor != tt.actor {
			t.Errorf("%s: %s, retry %s, %s acts; want %s, %s, %s", tt.name, x.Severity, x.Retry, x.Actor, tt.severity, tt.retry, tt.actor)
		}
		if tt.reason != "" && !slices.Equal(x.Actors, []Actor{x.Verdict.Actor}) {
			t.Errorf("%s: actors %q, the verdict names %s", tt.name, x.Actors, x.Verdict.Actor)
		}
		if (x.Verdict.Blocklist != nil) != tt.blocklist || x.Blocklist != tt.q.Blocklist {
			t.Errorf("%s: blocklist %v / %v", tt.name, x.Verdict.Blocklist, x.Blocklist)
		}
		if x.ServerText != tt.q.ServerText {
			t.Errorf("%s: server text %q", tt.name, x.ServerText)
		}
	}
}

// TestExplainProvider checks that a provider's own meaning is found in the
// server's words, and that a provider giving the code none is still named,
// without a meaning.
func TestExplainProvider(t *testing.T) {
	c := loadCatalog(t)
	gmail, ok := c.Provider("gmail")
	if !ok {
		t.Fatal("no gmail provider")
	}
	text := "550 5.7.26 https://support.google.com/mail/answer/81126#authentication d75a77b69052e-4530d7e8b9esi1234567cf.301 - gsmtp"
	x := c.Explain(Query{Code: mustParse(t, "550 5.7.26"), ServerText: text, Provider: gmail})
	if x.ProviderMeaning.Provider != gmail || x.ProviderMeaning.Key != "gmail/X.7.26" {
		t.Errorf("meaning %+v, want gmail/X.7.26", x.ProviderMeaning)
	}
	if x.Judged() {
		t.Errorf("a lookup got a verdict: %+v", x.Verdict)
	}
	if x := c.Explain(Query{Code: mustParse(t, "550 5.7.26"), Provider: nil, ServerText: text}); x.ProviderMeaning.Provider != nil {
		t.Errorf("no provider, yet a meaning: %+v", x.ProviderMeaning)
	}
	// A provider that gives the code no meaning of its own is still named.
	if x := c.Explain(Query{Code: mustParse(t, "250 2.0.0"), ServerText: "250 2.0.0 OK - gsmtp", Provider: gmail}); x.ProviderMeaning.Provider != gmail || x.ProviderMeaning.Key != "" {
		t.Errorf("250 2.0.0: %+v, want gmail without a meaning", x.ProviderMeaning)
	}
}

// BenchmarkExplain decides everything about a looked-up 550 5.1.1 and about
// a bounced Gmail 550 5.1.1 with its server's words, without words of any
// language: the catalog's share of every answer.
func BenchmarkExplain(b *testing.B) {
	c, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	gmail, _ := c.Provider("gmail")
	lookup := Query{Code: mustParse(b, "550 5.1.1")}
	bounced := Query{Code: mustParse(b, "550 5.1.1"), Provider: gmail, Bounced: true,
		ServerText: "550-5.1.1 The email account that you tried to reach does not exist. https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp"}
	b.ReportAllocs()
	for b.Loop() {
		if x := c.Explain(lookup); x.Judged() {
			b.Fatal("a lookup got a verdict")
		}
		if x := c.Explain(bounced); x.Verdict.Reason != ReasonUserUnknown {
			b.Fatalf("reason %s", x.Verdict.Reason)
		}
	}
}

// TestEachReference: the references listed one at a time are those the
// list built with a search of the ones kept gave, for every pair of a
// reply code and an enhanced code of the catalog, and for made-up lists
// that repeat documents.
func TestEachReference(t *testing.T) {
	kept := func(x *Explanation) []Ref { // References as it was
		out := make([]Ref, 0, len(x.Lead.Refs)+len(x.Second.Refs))
		for _, refs := range [2][]Ref{x.Lead.Refs, x.Second.Refs} {
			for _, r := range refs {
				if !slices.ContainsFunc(out, r.sameDocument) {
					out = append(out, r)
				}
			}
		}
		return out
	}
	each := func(x *Explanation) []Ref {
		var out []Ref
		x.EachReference(func(r Ref) { out = append(out, r) })
		return out
	}
	same := func(a, b []Ref) bool {
		return slices.EqualFunc(a, b, func(r, o Ref) bool {
			return r.RFC == o.RFC && r.Draft == o.Draft && r.Section == o.Section && slices.Equal(r.With, o.With)
		})
	}
	c := loadCatalog(t)
	var replies, enhanced []Code
	for _, e := range c.Entries() {
		if e.Kind == KindReply {
			r, _ := ParseReply(e.Key)
			replies = append(replies, Code{Reply: r})
		} else {
			en, _ := ParseEnhanced(strings.Replace(e.Key, "X", "5", 1))
			enhanced = append(enhanced, Code{Enhanced: en})
		}
	}
	n := 0
	for _, r := range replies {
		for _, e := range enhanced {
			code := Code{Reply: r.Reply, Enhanced: e.Enhanced}
			if r.Reply.Class() != Class(e.Enhanced.Class) {
				continue
			}
			x := c.Explain(Query{Code: code})
			if got, want := each(&x), kept(&x); !same(got, want) {
				t.Errorf("%s: %+v, want %+v", code, got, want)
			}
			n++
		}
	}
	if n < 100 {
		t.Fatalf("only %d codes", n)
	}
	a, b, d := Ref{RFC: 5321, Section: "4.2.1"}, Ref{RFC: 3463, Section: "3.1"}, Ref{Draft: "draft-x"}
	for _, lists := range [][2][]Ref{
		{{a, a, b}, {b, a, d, d}},
		{{}, {d, a, d, b, a}},
		{{d, {RFC: 5321, Section: "4.2.1", With: []string{"5.6.7"}}}, {a, b}},
	} {
		x := Explanation{Lead: Part{Refs: lists[0]}, Second: Part{Refs: lists[1]}}
		if got, want := each(&x), kept(&x); !same(got, want) {
			t.Errorf("%+v: %+v, want %+v", lists, got, want)
		}
	}
}
