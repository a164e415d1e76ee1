package handlers

import (
	"slices"
	"strconv"
	"strings"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

// Comparison sets two codes side by side, in the shape of a reference page:
// title, summary, each code's texts, numbered key differences, when each
// applies, and related comparisons to read next.
type Comparison struct {
	Lang *locales.Lang
	A, B Explanation
	// FacetsA and FacetsB are the structured facts the summary and the
	// differences are built from.
	FacetsA, FacetsB catalog.Facets
	// Same is true when both sides are the same code; the comparison then
	// says so and carries one explanation.
	Same    bool
	Title   string
	Summary string
	// Note is the hand-written contrast for a pair people often confuse, or
	// "".
	Note        string
	Differences []string
	// WhenToUse is each side's "when you see it", in one list, for the
	// JSON; the cards show each on its side, so Slack and the text leave
	// it out rather than say it twice.
	WhenToUse []string
	LearnMore []Related
}

// Related is a comparison worth reading next.
type Related struct {
	A, B  string // codes, "550" or "5.1.1"
	Title string
}

// maxLearnMore bounds the related comparisons: a few good ones beat a list.
const maxLearnMore = 4

// Compare sets a beside b in lang.
func (e *Engine) Compare(lang *locales.Lang, a, b catalog.Code) Comparison {
	c := Comparison{Lang: lang,
		A: inWords(lang, e.cat.Explain(catalog.Query{Code: a, Facets: true})),
		B: inWords(lang, e.cat.Explain(catalog.Query{Code: b, Facets: true}))}
	c.FacetsA, c.FacetsB = c.A.Facets, c.B.Facets
	c.Title = lang.T("compare.title", "a", a.String(), "a_title", c.A.Title, "b", b.String(), "b_title", c.B.Title)
	c.Note, _ = lang.Contrast(a.String(), b.String())
	if a == b {
		c.Same = true
		c.Summary = lang.T("compare.same", "a", a.String(), "a_title", c.A.Title)
		c.LearnMore = e.related(lang, c.A, c.B)
		return c
	}
	c.Summary = c.summary()
	c.Differences = c.differences()
	c.WhenToUse = []string{
		lang.T("compare.when_to_use", "code", a.String(), "title", c.A.Title, "when", c.A.When),
		lang.T("compare.when_to_use", "code", b.String(), "title", c.B.Title, "when", c.B.When),
	}
	c.LearnMore = e.related(lang, c.A, c.B)
	return c
}

// pair reports whether one side is the reply code and the other the
// enhanced code that refines it, as servers send them together ("550 5.1.1").
func (c *Comparison) pair() bool {
	a, b := c.A.Code, c.B.Code
	oneEach := (a.Enhanced.IsZero() && b.Reply.IsZero()) || (a.Reply.IsZero() && b.Enhanced.IsZero())
	if !oneEach || a.Class() != b.Class() {
		return false
	}
	reply, enhanced := &c.A, &c.B
	if a.Reply.IsZero() {
		reply, enhanced = enhanced, reply
	}
	return sentTogether(reply.Reply, enhanced.Enhanced)
}

// sentTogether reports whether a reply code and an enhanced code of one
// class may come on one line. They may unless the registry pairs the
// enhanced code with other replies and the reply usually carries other
// enhanced codes: 556 comes with 5.1.10, 5.7.27 with 550 (RFC 7504, 7505).
func sentTogether(reply, enhanced *Part) bool {
	if reply == nil || enhanced == nil || reply.Entry == nil || enhanced.Entry == nil ||
		len(reply.Entry.Enhanced) == 0 || len(enhanced.Entry.Replies) == 0 {
		return true
	}
	if slices.Contains(enhanced.Entry.Replies, reply.Code) {
		return true
	}
	for _, e := range reply.Entry.Enhanced {
		// The lists name "5.1.10"; the part may be shown in a class of
		// its own, so subject and detail decide.
		if _, rest, ok := strings.Cut(e, "."); ok && strings.HasSuffix(enhanced.Code, "."+rest) {
			return true
		}
	}
	return false
}

// twins reports whether the two sides are one enhanced code in its
// transient and its permanent class (4.2.2 and 5.2.2).
func (c *Comparison) twins() bool {
	a, b := c.A.Code, c.B.Code
	// A class with a title of its own (5.4.1, Microsoft's "access
	// denied", is no 4.4.1 "no answer from host") is not the same
	// condition.
	return a.Reply.IsZero() && b.Reply.IsZero() && a.Enhanced.Subject == b.Enhanced.Subject &&
		a.Enhanced.Detail == b.Enhanced.Detail && a.Class() != b.Class() && c.A.Title == c.B.Title
}

// args are the names and values every text of a comparison can use. It
// leaves room for the two pairs of one difference: each text appends its
// own to args, over the last text's, which T has read by then.
func (c *Comparison) args() []string {
	return append(make([]string, 0, 16),
		"a", c.A.Code.String(), "a_title", c.A.Title, "a_class", c.A.ClassText,
		"b", c.B.Code.String(), "b_title", c.B.Title, "b_class", c.B.ClassText,
	)
}

// side says in a phrase what one code does: accepts, defers or refuses what,
// and when in the dialogue. It names every usual phase at which the scope
// holds: 554 comes at the greeting and after DATA, and naming only the
// first would send the reader to the wrong step; 550 refuses a recipient
// at RCPT TO, and its MAIL FROM (where it refuses the sender) is left to
// the "when it is sent" line.
func side(l *locales.Lang, x *Explanation, f catalog.Facets) string {
	return l.T("compare.side."+strconv.Itoa(int(x.Class)), "code", x.Code.String(),
		"scope", scopeText(l, f), "phase", phasesText(l, sidePhases(f)))
}

// scopeText names what a code refuses. A transaction's code whose usual
// phases, as its side names them, include the greeting (554, X.7.1)
// refuses the connection there: no transaction has begun.
func scopeText(l *locales.Lang, f catalog.Facets) string {
	if f.Scope == catalog.ScopeTransaction && slices.Contains(sidePhases(f), catalog.PhaseConnection) {
		return l.T("scope.transaction.greeting")
	}
	return l.T("scope." + string(f.Scope))
}

// sidePhases are the phases a side names: those that fit its scope, the
// usual ones first, as many as phasesText shows.
func sidePhases(f catalog.Facets) []catalog.Phase {
	p := catalog.PhasesOfScope(f.Scope, f.Phases)
	return p[:min(len(p), maxPhases)]
}

// summary states the real difference in one sentence: what each code
// refuses and when, or, when that is the same, the cause; codes of one class
// are never told apart by their class.
func (c *Comparison) summary() string {
	l, fa, fb := c.Lang, c.FacetsA, c.FacetsB
	args := c.args()
	switch {
	case c.pair():
		return l.T("compare.summary.pair", args...)
	case c.twins():
		t, p := &c.A, &c.B
		if t.Class != catalog.ClassTransientNegative {
			t, p = p, t
		}
		if t.Class == catalog.ClassTransientNegative && p.Class == catalog.ClassPermanentNegative {
			return l.T("compare.summary.twins", "t", t.Code.String(), "p", p.Code.String(), "title", p.Title)
		}
	}
	// Two sides that would read the same but for the code say nothing:
	// then the cause tells the codes apart.
	if c.A.Class != c.B.Class || fa.Scope != fb.Scope || !slices.Equal(sidePhases(fa), sidePhases(fb)) {
		return l.T("compare.summary.sides", "a_side", side(l, &c.A, fa), "b_side", side(l, &c.B, fb))
	}
	if fa.Cause != fb.Cause {
		return l.T("compare.summary.cause", append(args, "a_cause", l.T("cause."+string(fa.Cause)),
			"b_cause", l.T("cause."+string(fb.Cause)))...)
	}
	if c.A.Enhanced != nil && c.B.Enhanced != nil && c.A.Reply == nil && c.B.Reply == nil &&
		c.A.Code.Enhanced.Subject == c.B.Code.Enhanced.Subject {
		return l.T("compare.summary.same_subject", append(args, "class", c.A.ClassText, "subject", c.A.SubjectText)...)
	}
	return l.T("compare.summary.same_class", append(args, "class", c.A.ClassText)...)
}

// differences lists only the facets that differ, each contrasted, most
// telling first.
func (c *Comparison) differences() []string {
	l, a, b := c.Lang, &c.A, &c.B
	fa, fb := c.FacetsA, c.FacetsB
	args := c.args()
	var d []string
	if c.pair() {
		d = append(d, l.T("compare.diff.pair", args...))
	}
	if a.Class != b.Class {
		d = append(d, l.T("compare.diff.class", args...))
	}
	if a.Enhanced != nil && b.Enhanced != nil && a.Code.Enhanced.Subject != b.Code.Enhanced.Subject {
		d = append(d, l.T("compare.diff.subject", append(args, "a_subject", a.SubjectText, "b_subject", b.SubjectText)...))
	}
	if !samePhases(usualPhases(fa), usualPhases(fb)) {
		d = append(d, l.T("compare.diff.phase", append(args, "a_phases", phasesText(l, fa.Phases), "b_phases", phasesText(l, fb.Phases))...))
	}
	if fa.Scope != fb.Scope {
		d = append(d, l.T("compare.diff.scope", append(args, "a_scope", scopeText(l, fa), "b_scope", scopeText(l, fb))...))
	}
	if fa.Cause != fb.Cause {
		d = append(d, l.T("compare.diff.cause", append(args, "a_cause", l.T("cause."+string(fa.Cause)), "b_cause", l.T("cause."+string(fb.Cause)))...))
	}
	if a.Retry != b.Retry {
		d = append(d, l.T("compare.diff.retry", append(args, "a_retry", a.RetryText, "b_retry", b.RetryText)...))
	}
	if a.Actor != b.Actor {
		d = append(d, l.T("compare.diff.actor", append(args, "a_actor", a.ActorText, "b_actor", b.ActorText)...))
	}
	if ra, rb := refsText(l, a), refsText(l, b); ra != rb {
		d = append(d, l.T("compare.diff.refs", append(args, "a_refs", ra, "b_refs", rb)...))
	}
	return d
}

// maxPhases bounds the phases a difference names: the usual ones read
// better than every one a code may answer.
const maxPhases = 2

func usualPhases(f catalog.Facets) []catalog.Phase { return f.Phases[:min(len(f.Phases), maxPhases)] }

// samePhases reports whether a and b name the same phases in any order:
// "RCPT TO or MAIL FROM" against "MAIL FROM or RCPT TO" is no difference.
func samePhases(a, b []catalog.Phase) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(p catalog.Phase) bool { return !slices.Contains(b, p) })
}

// phasesText names the usual phases, the most usual first. The words a
// later name shares with the first at its start are said once ("in reply to
// RCPT TO or MAIL FROM", "khi trả lời RCPT TO hoặc MAIL FROM"), as a person
// would say it.
func phasesText(l *locales.Lang, phases []catalog.Phase) string {
	names := make([]string, 0, maxPhases)
	for i, p := range phases[:min(len(phases), maxPhases)] {
		name := l.T("phase." + string(p))
		if i > 0 {
			name = dropSharedLead(names[0], name)
		}
		names = append(names, name)
	}
	return strings.Join(names, l.T("list.or"))
}

// dropSharedLead returns next without the whole words it begins with that
// first begins with too, keeping at least one word of its own.
func dropSharedLead(first, next string) string {
	fw, nw := strings.Fields(first), strings.Fields(next)
	n := 0
	for n < len(fw) && n < len(nw)-1 && fw[n] == nw[n] {
		n++
	}
	return strings.Join(nw[n:], " ")
}

// refsText names the documents of every part, each once, the leading
// part's first.
func refsText(l *locales.Lang, x *Explanation) string {
	var b strings.Builder
	sep := l.T("list.separator")
	x.EachReference(func(r catalog.Ref) {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(RefText(l, r))
	})
	return b.String()
}

// related suggests comparisons of each side with the codes its entry names
// as related, skipping the pair being read.
func (e *Engine) related(lang *locales.Lang, a, b Explanation) []Related {
	var out []Related
	seen := map[string]bool{pairKey(a.Code.String(), b.Code.String()): true}
	for _, x := range []Explanation{a, b} {
		for _, p := range x.Parts() {
			entry := p.Entry
			if entry == nil {
				continue
			}
			for _, key := range entry.Related {
				other := strings.Replace(key, "X", p.Code[:1], 1)
				k := pairKey(p.Code, other)
				if seen[k] || other == p.Code || len(out) == maxLearnMore {
					continue
				}
				oc, err := catalog.Parse(other)
				if err != nil {
					continue
				}
				seen[k] = true
				title := e.title(lang, oc)
				out = append(out, Related{A: p.Code, B: other,
					Title: lang.T("compare.title", "a", p.Code, "a_title", p.Title, "b", other, "b_title", title)})
			}
		}
	}
	return out
}

func pairKey(a, b string) string {
	if a > b {
		a, b = b, a
	}
	return a + "|" + b
}

// title is the headline of code in lang, without building a whole
// explanation: the registered enhanced code's title, else the reply's, else
// the unregistered wording.
func (e *Engine) title(lang *locales.Lang, code catalog.Code) string {
	if !code.Enhanced.IsZero() {
		if entry, ok := e.cat.Enhanced(code.Enhanced); ok {
			t, _ := lang.Code(entry.Key)
			return t.In(classDigit(catalog.Class(code.Enhanced.Class))).Title
		}
	}
	if !code.Reply.IsZero() {
		if entry, ok := e.cat.Reply(code.Reply); ok {
			t, _ := lang.Code(entry.Key)
			return t.Title
		}
		return lang.T("unregistered.reply.title")
	}
	return lang.T("unregistered.enhanced.title")
}
