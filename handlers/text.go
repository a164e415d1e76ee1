package handlers

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/rivo/uniseg"
	"github.com/smtpcodes/smtpbot/catalog/extract"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

// The terminal face of the engine: plain text that reads well in a shell
// and pastes cleanly into a ticket. Lines are not wrapped, because Thai is
// written without spaces between words; the terminal wraps them.

// textWriter remembers the first write error so rendering code stays flat.
type textWriter struct {
	w   io.Writer
	err error
}

func (t *textWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

func (t *textWriter) section(heading, body string) {
	if body != "" {
		t.printf("\n%s\n  %s\n", heading, body)
	}
}

// WriteReport writes every explanation of r, most important first.
func WriteReport(w io.Writer, r Report) error {
	t := &textWriter{w: w}
	l := r.Lang
	if len(r.Worded) > 0 {
		// The failure is in the words: codes beside it only mention or
		// precede it, and follow.
		writeWorded(t, l, r.Worded)
		if len(r.Explanations) == 0 {
			return t.err
		}
		t.printf("\n")
	} else if len(r.Explanations) == 0 {
		t.printf("%s\n", l.T("explain.none"))
		return t.err
	}
	for _, n := range r.Notes {
		t.printf("%s\n", n)
	}
	// Codes looked up or asked about, not read from a bounce, have no
	// confidence and no roles; a text that reports no failure ("status=sent
	// (250 2.0.0 Ok)") is no bounce, however surely mail software wrote it.
	said := len(r.Notes) > 0 || len(r.Worded) > 0 // something stands above the first explanation
	if !r.Lookup && r.Confidence > 0 && (len(r.Worded) > 0 || hasFailure(r.found.Findings)) {
		key := "heading.confidence"
		if delayWarning(r) {
			key += ".delayed" // its cards each say nothing has bounced yet
		}
		t.printf("%s: %d%%\n", l.T(key), int(r.Confidence*100+0.5))
		said = true
	}
	var lastRole extract.Role = extract.RoleFailure
	beside := r.Beside // written after the last failure
	for i := range r.Explanations {
		x := &r.Explanations[i]
		if x.Role != extract.RoleFailure && len(beside) > 0 {
			writeBeside(t, l, beside)
			beside = nil
		}
		if x.Role != lastRole && x.Role != "" && !r.Lookup {
			key := "heading.role." + string(x.Role)
			if i == 0 && x.Role == extract.RoleContext {
				key += ".first" // no failure above for these to be "other" than
			}
			t.printf("\n== %s ==\n", l.T(key))
			lastRole = x.Role
		}
		if i > 0 || said {
			t.printf("\n")
		}
		writeExplanation(t, x)
	}
	if len(beside) > 0 {
		writeBeside(t, l, beside)
	}
	return t.err
}

// writeOutcome writes a failure's reason, next step, who acts and, when
// known, why it is a hard or soft bounce: the lines a reader acts on.
func writeOutcome(t *textWriter, l *locales.Lang, o *Outcome, actorText string) {
	t.printf("%s: %s · %s\n  %s\n", l.T("heading.reason"), o.ReasonTitle, o.SourceText, o.ReasonText)
	t.printf("%s: %s\n  %s\n", l.T("heading.action"), o.ActionTitle, o.ActionText)
	t.printf("%s: %s\n", l.T("heading.actor"), actorText)
	if o.Why != "" {
		t.printf("%s\n", o.Why)
	}
}

// WriteExplanation writes one explanation.
func WriteExplanation(w io.Writer, x *Explanation) error {
	t := &textWriter{w: w}
	writeExplanation(t, x)
	return t.err
}

func writeExplanation(t *textWriter, x *Explanation) {
	l := x.Lang
	t.printf("%s\n", x.Heading())
	t.printf("%s\n", underline(x.Heading()))
	if len(x.Recipients) > 0 {
		t.printf("%s: %s\n", l.T(x.recipientsKey()), strings.Join(x.Recipients, ", "))
	}
	class := x.ClassText
	if x.SubjectText != "" {
		class += " · " + x.SubjectText
	}
	// A failure's reason and next step lead: they are what a reader acts
	// on, before the code's general explanation.
	if o := x.Outcome; o != nil {
		writeOutcome(t, l, o, x.ActorText)
	}
	t.printf("%s: %s\n", l.T("heading.class"), class)
	if x.Outcome == nil {
		t.printf("%s — %s\n", l.T("severity."+string(x.Severity)), x.RetryText)
		t.printf("%s: %s\n", l.T("heading.actor"), x.ActorText)
	}
	t.section(l.T("heading.server_text"), x.ServerText)
	// A provider's own meaning is what the server meant, so it leads. The
	// registry's meaning follows, marked as general; its examples and fix
	// may not apply to what this server meant, so they are left out.
	if p := x.Provider; p.HasMeaning() {
		t.section(l.T("heading.provider", "provider", p.Name), p.Meaning)
		t.section(l.T("heading.provider_fix", "provider", p.Name), p.Fix)
		t.printf("\n-- %s: %s %s --\n", l.T("heading.registry"), x.Code, x.Title)
		t.section(l.T("heading.meaning"), x.Meaning)
	} else {
		t.section(l.T("heading.meaning"), x.Meaning)
		t.section(l.T("heading.when"), x.When)
		writeFix(t, x)
		if p := x.Provider; p != nil {
			t.printf("\n%s\n", l.T("heading.provider_seen", "provider", p.Name, "url", p.Docs))
		}
	}
	main := x.mainPart()
	for _, p := range x.Parts() {
		if p != main {
			t.section(p.Code+" "+p.Title, p.Meaning)
		}
		if p.Deprecated != "" {
			t.printf("\n%s\n", p.Deprecated)
		}
	}
	t.printf("\n%s: %s\n", l.T("heading.references"), refsText(l, x))
}

// writeFix writes the fix, naming the party of each step when the steps
// address more than one.
func writeFix(t *textWriter, x *Explanation) {
	if !x.PartiesDiffer() {
		t.section(x.Lang.T("heading.fix"), x.Fix)
		return
	}
	t.printf("\n%s\n", x.Lang.T("heading.fix"))
	for _, s := range x.Steps {
		t.printf("  - %s: %s\n", x.Lang.T("actor."+string(s.Party)), s.Text)
	}
}

// WriteComparison writes a comparison in the shape of a reference page.
func WriteComparison(w io.Writer, c *Comparison) error {
	t := &textWriter{w: w}
	l := c.Lang
	t.printf("%s\n%s\n", c.Title, underline(c.Title))
	t.section(l.T("heading.summary"), c.Summary)
	if c.Note != "" {
		t.section(l.T("heading.note"), c.Note)
	}
	sides := []*Explanation{&c.A, &c.B}
	if c.Same {
		sides = sides[:1]
	}
	for _, x := range sides {
		t.printf("\n")
		writeExplanation(t, x)
	}
	if len(c.Differences) > 0 {
		t.printf("\n%s\n", l.T("heading.differences"))
		for i, d := range c.Differences {
			t.printf("  %d. %s\n", i+1, d)
		}
	}
	if len(c.LearnMore) > 0 {
		t.printf("\n%s\n", l.T("heading.learn_more"))
		for _, r := range c.LearnMore {
			t.printf("  - %s (smtpbot compare %s %s)\n", r.Title, r.A, r.B)
		}
	}
	return t.err
}

// WriteCodes lists the catalog: code, title in lang, defining document.
func WriteCodes(w io.Writer, cat *catalog.Catalog, lang *locales.Lang) error {
	t := &textWriter{w: w}
	for _, e := range cat.Entries() {
		title := e.Title
		if text, ok := lang.Code(e.Key); ok {
			title = text.Title
		}
		var refs []string
		for _, r := range e.Refs {
			if s := RefText(lang, r); !slices.Contains(refs, s) {
				refs = append(refs, s)
			}
		}
		t.printf("%-8s %s (%s)\n", e.Key, title, strings.Join(refs, lang.T("list.separator")))
	}
	return t.err
}

// underline is a rule as wide as s looks in a terminal. It counts display
// columns, not runes: Thai vowel and tone marks and a decomposed Vietnamese
// accent combine with the letter before them and take no column, so a rune
// count overshoots a Thai title by a fifth or more.
func underline(s string) string {
	return strings.Repeat("=", min(uniseg.StringWidth(s), 100))
}

// delayWarning reports whether every failure r explains, or reads from
// words, is still being retried (a delay warning): no bounce yet.
func delayWarning(r Report) bool {
	seen := false
	for i := range r.Explanations {
		if x := &r.Explanations[i]; x.Role == extract.RoleFailure {
			if !x.Delayed {
				return false
			}
			seen = true
		}
	}
	for i := range r.Worded {
		if !r.Worded[i].delayed {
			return false
		}
		seen = true
	}
	return seen
}
