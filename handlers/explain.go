package handlers

import (
	"slices"
	"strconv"
	"strings"

	"github.com/smtpcodes/smtpbot/catalog/extract"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

// Severity is what a code's class says about the delivery, for picking an
// emoji or a colour.
type Severity string

// The severities.
const (
	SeveritySuccess      Severity = "success"      // 2xx
	SeverityIntermediate Severity = "intermediate" // 3xx
	SeveritySoft         Severity = "soft"         // 4xx: transient, retried
	SeverityHard         Severity = "hard"         // 5xx: permanent
)

// Part is what one language says about one half of a code: the reply code
// or the enhanced code.
type Part struct {
	Code       string // "550" or "5.1.1"
	Key        string // "550" or "X.1.1": the catalog and locales key
	Kind       catalog.Kind
	Registered bool
	// Unusual is true for a registered enhanced code shown in a class the
	// registry and practice do not use it in (4.1.5): its texts then come
	// from its class, not from the code.
	Unusual bool
	Title   string
	Meaning string
	When    string
	Fix     string
	// Steps are the fix's steps and Parties the party each addresses.
	Steps   []string
	Parties []catalog.Actor
	// Facts are what holds for the code in its class, or nil when it is not
	// registered or not used in that class.
	Facts *catalog.Facts
	Refs  []catalog.Ref
	// Deprecated says which code replaces a deprecated registry entry.
	Deprecated string
}

// ProviderNote is a provider's own reading of a code.
//
// A provider the text shows but that gives this code no meaning of its own
// still has a note, without Key, Title, Meaning and Fix: the reply names it
// and where it documents its codes.
type ProviderNote struct {
	ID   string
	Name string
	Docs string // the provider's page on its codes
	// Key names the provider's meaning ("gmail/X.7.26"), or is "".
	Key     string
	Title   string
	Meaning string
	Fix     string
}

// HasMeaning reports whether the provider gives the code a meaning of its
// own.
func (p *ProviderNote) HasMeaning() bool { return p != nil && p.Key != "" }

// Explanation is one code explained in one language. The most specific part
// (the enhanced code when it is registered) supplies the headline texts.
type Explanation struct {
	Lang      *locales.Lang
	Code      catalog.Code
	Title     string
	Class     catalog.Class
	ClassText string // "Permanent failure (5xx)"
	// SubjectText names what an enhanced code is about ("Addressing"), or "".
	SubjectText string
	Severity    Severity
	Retry       catalog.Retry
	RetryText   string
	// Actor is who has to act first and Actors everyone the fix's steps
	// address, derived from the steps so that the two never disagree.
	Actor     catalog.Actor
	Actors    []catalog.Actor
	ActorText string
	Meaning   string
	When      string
	Fix       string
	// Steps are the leading part's fix, step by step, each with the party
	// it addresses.
	Steps    []Step
	Reply    *Part // nil when the code has no reply part
	Enhanced *Part // nil when the code has no enhanced part
	Provider *ProviderNote
	// ServerText is the server's own words when the code came from a text.
	ServerText string
	Role       extract.Role
	// Final says the code is a DSN's final status for a recipient.
	Final bool
	// Command is the SMTP command the reply answered, when the text says
	// (extract.CommandDATA, ...).
	Command string
	// Blocklist is the blocklist the bounce names, or nil.
	Blocklist *catalog.Blocklist
	// Outcome is the reason, the next step and why the bounce is hard or
	// soft, for a failure read from a text; nil for a lookup.
	Outcome *Outcome
}

// Step is one step of a fix and the party it addresses.
type Step struct {
	Party catalog.Actor
	Text  string
}

// PartiesDiffer reports whether the steps address more than one party, so
// that a renderer names the party of each.
func (x *Explanation) PartiesDiffer() bool {
	for _, s := range x.Steps {
		if s.Party != x.Steps[0].Party {
			return true
		}
	}
	return false
}

// Explain explains a parsed code in lang. serverText, when not empty, is the
// line that carried the code, used to recognise the provider's own meaning.
func (e *Engine) Explain(lang *locales.Lang, code catalog.Code, serverText string) Explanation {
	var prov *catalog.Provider
	if serverText != "" {
		prov = e.cat.DetectProvider(serverText)
	}
	return e.explain(lang, code, serverText, prov)
}

// explain is Explain with the provider already recognised, from the whole
// bounce rather than one line of it.
func (e *Engine) explain(lang *locales.Lang, code catalog.Code, serverText string, prov *catalog.Provider) Explanation {
	x := Explanation{Lang: lang, Code: code, Class: code.Class(), ServerText: serverText}
	if !code.Reply.IsZero() {
		p := e.replyPart(lang, code.Reply, code.Enhanced)
		x.Reply = &p
	}
	if !code.Enhanced.IsZero() {
		p := e.enhancedPart(lang, code.Enhanced)
		x.Enhanced = &p
	}
	main := x.mainPart()
	x.Title, x.Meaning, x.When, x.Fix = main.Title, main.Meaning, main.When, main.Fix
	n := min(len(main.Steps), len(main.Parties))
	x.Steps = make([]Step, n)
	for i := range n {
		x.Steps[i] = Step{Party: main.Parties[i], Text: main.Steps[i]}
	}
	x.ClassText = lang.T(classKey(code))
	if x.Enhanced != nil {
		x.SubjectText = lang.T(subjectKey(code.Enhanced.Subject))
	}
	facts := main.Facts
	if facts == nil {
		if o := x.other(main); o != nil {
			facts = o.Facts
		}
	}
	x.Severity = severityOf(x.Class, facts)
	x.Retry = catalog.RetryFor(x.Class, facts)
	x.RetryText = lang.T("retry." + string(x.Retry))
	x.Actors = actorsOf(x.Class, facts)
	x.Actor = x.Actors[0]
	x.ActorText = lang.T("actor." + string(x.Actor))
	for _, a := range x.Actors[1:] {
		x.ActorText += " / " + lang.T("actor."+string(a))
	}
	x.Provider = e.providerNote(lang, prov, code, serverText)
	return x
}

// mainPart is the part whose texts lead: a registered enhanced code says
// more than its reply code, unless it is shown in a class it is not used in.
func (x *Explanation) mainPart() *Part {
	switch {
	case x.Enhanced == nil:
		return x.Reply
	case x.Reply == nil, x.Enhanced.Registered && !x.Enhanced.Unusual, !x.Reply.Registered:
		return x.Enhanced
	}
	return x.Reply
}

func (x *Explanation) other(p *Part) *Part {
	if p == x.Reply {
		return x.Enhanced
	}
	return x.Reply
}

// Parts returns the parts present, the leading one first.
func (x *Explanation) Parts() []*Part {
	main := x.mainPart()
	if o := x.other(main); o != nil {
		return []*Part{main, o}
	}
	return []*Part{main}
}

// Heading is "550 5.1.1 Bad Destination Mailbox Address", or the
// provider's own title ("550 5.1.10 Microsoft: recipient not found") when a
// provider gives the code a meaning of its own, since that is what the
// server meant.
func (x *Explanation) Heading() string {
	if x.Provider != nil && x.Provider.Title != "" {
		return x.Code.String() + " " + x.Provider.Title
	}
	return x.Code.String() + " " + x.Title
}

func (e *Engine) entryOf(p *Part) *catalog.Entry {
	if p == nil || !p.Registered {
		return nil
	}
	entry, _ := e.cat.ByKey(p.Key)
	return entry
}

func (e *Engine) replyPart(lang *locales.Lang, r catalog.Reply, with catalog.Enhanced) Part {
	p := Part{Code: r.String(), Key: r.String(), Kind: catalog.KindReply}
	entry, ok := e.cat.Reply(r)
	if ok {
		p = e.registeredPart(lang, p, entry, r.Class())
		// A reply code's extension RFCs hold only for the enhanced codes
		// they define: RFC 6531 is no reference for a 550 5.1.1.
		notHere := func(ref catalog.Ref) bool { return !ref.AppliesTo(with) }
		if slices.ContainsFunc(p.Refs, notHere) {
			p.Refs = slices.DeleteFunc(slices.Clone(p.Refs), notHere)
		}
		return p
	}
	d := classDigit(r.Class())
	p.Title = lang.T("unregistered.reply.title")
	p.Meaning = lang.T("unregistered.reply.meaning", "code", p.Code,
		"class", lang.T("class."+d), "class_meaning", lang.T("class."+d+".meaning"),
		"category", lang.T("category."+strconv.Itoa(int(r.Category()))))
	p.When = lang.T("unregistered.when")
	setClassFix(lang, &p, r.Class())
	p.Refs = []catalog.Ref{{RFC: 5321, Section: "4.2.1"}}
	return p
}

func (e *Engine) enhancedPart(lang *locales.Lang, en catalog.Enhanced) Part {
	p := Part{Code: en.String(), Key: en.Key(), Kind: catalog.KindEnhanced}
	entry, ok := e.cat.Enhanced(en)
	if ok {
		return e.registeredPart(lang, p, entry, catalog.Class(en.Class))
	}
	d := classDigit(catalog.Class(en.Class))
	p.Title = lang.T("unregistered.enhanced.title")
	p.Meaning = lang.T("unregistered.enhanced.meaning", "code", p.Code,
		"class", lang.T("class.enhanced."+d), "class_meaning", lang.T("class."+d+".meaning"),
		"subject", lang.T(subjectKey(en.Subject)))
	p.When = lang.T("unregistered.when")
	setClassFix(lang, &p, catalog.Class(en.Class))
	p.Refs = []catalog.Ref{{RFC: 3463, Section: "3.1"}}
	return p
}

// registeredPart fills p with the texts of entry that hold in class c. An
// enhanced code shown in a class it is not used in gets its title, a
// sentence saying so, and its class's general advice: the code's own
// examples and fix belong to another class.
func (e *Engine) registeredPart(lang *locales.Lang, p Part, entry *catalog.Entry, c catalog.Class) Part {
	all, _ := lang.Code(entry.Key)
	p.Registered = true
	p.Refs = entry.Refs
	if entry.DeprecatedBy != "" {
		p.Deprecated = lang.T("deprecated", "code", p.Code,
			"replacement", strings.Replace(entry.DeprecatedBy, "X", p.Code[:1], 1))
	}
	facts, ok := entry.In(c)
	if !ok {
		p.Unusual = true
		p.Title = all.Title
		var used []string
		for _, u := range entry.UsedIn() {
			used = append(used, lang.T("class.enhanced."+classDigit(u)))
		}
		d := classDigit(c)
		p.Meaning = lang.T("unusual.meaning", "code", p.Code, "key", entry.Key, "title", all.Title,
			"classes", joinOr(lang, used), "class_meaning", lang.T("class."+d+".meaning"))
		p.When = lang.T("unusual.when", "code", p.Code)
		setClassFix(lang, &p, c)
		return p
	}
	t := all.In(classDigit(c))
	p.Title, p.Meaning, p.When = t.Title, t.Meaning, t.When
	p.Steps, p.Fix = t.Fix, t.Fix.String()
	p.Facts, p.Parties = facts, facts.Steps
	return p
}

// setClassFix gives p its class's general fix, which the sending side's
// mail admin carries out for a failure.
func setClassFix(lang *locales.Lang, p *Part, c catalog.Class) {
	p.Fix = lang.T("class." + classDigit(c) + ".fix")
	p.Steps = []string{p.Fix}
	p.Parties = []catalog.Actor{classActor(c)}
}

func joinOr(lang *locales.Lang, items []string) string {
	return strings.Join(items, lang.T("list.or"))
}

func (e *Engine) providerNote(lang *locales.Lang, prov *catalog.Provider, code catalog.Code, serverText string) *ProviderNote {
	if prov == nil {
		return nil
	}
	name, _ := lang.Provider(prov.ID)
	note := &ProviderNote{ID: prov.ID, Name: name.Title, Docs: prov.Docs}
	if m, ok := e.cat.ProviderMeaning(prov, code, serverText); ok {
		t, _ := lang.Provider(m.Key)
		note.Key, note.Title, note.Meaning, note.Fix = m.Key, t.Title, t.Meaning, t.Fix
	}
	return note
}

// actorsOf returns who has to act: the parties the fix's steps address.
// Success and the protocol's normal steps need nobody; a failure always has
// someone to act, and one without code-specific facts falls to the
// sender's mail admin, who can read the server's text and logs.
func actorsOf(c catalog.Class, f *catalog.Facts) []catalog.Actor {
	if c == catalog.ClassPositiveCompletion || c == catalog.ClassPositiveIntermediate {
		return onlyNobody
	}
	if f != nil {
		if a := f.Actors(); a[0] != catalog.ActorNobody {
			return a
		}
	}
	return onlySenderAdmin
}

// The actors of codes without facts of their own, shared: callers do not
// modify Explanation.Actors.
var (
	onlyNobody      = []catalog.Actor{catalog.ActorNobody}
	onlySenderAdmin = []catalog.Actor{catalog.ActorSenderAdmin}
)

// classActor is who acts on a code known only by its class.
func classActor(c catalog.Class) catalog.Actor {
	if c == catalog.ClassPositiveCompletion || c == catalog.ClassPositiveIntermediate {
		return catalog.ActorNobody
	}
	return catalog.ActorSenderAdmin
}

// severityOf is the class's severity, except for the permanent failures
// that bounce processors treat as soft, such as 5.2.2.
func severityOf(c catalog.Class, f *catalog.Facts) Severity {
	if f != nil && f.Soft && c == catalog.ClassPermanentNegative {
		return SeveritySoft
	}
	switch c {
	case catalog.ClassPositiveCompletion:
		return SeveritySuccess
	case catalog.ClassPositiveIntermediate:
		return SeverityIntermediate
	case catalog.ClassTransientNegative:
		return SeveritySoft
	}
	return SeverityHard
}

// classKey names the class label: RFC 3463's names for a lone enhanced
// code, RFC 5321's otherwise.
func classKey(code catalog.Code) string {
	if code.Reply.IsZero() {
		return "class.enhanced." + classDigit(code.Class())
	}
	return "class." + classDigit(code.Class())
}

func classDigit(c catalog.Class) string { return strconv.Itoa(int(c)) }

// subjectKey names the label of an enhanced code's subject; subjects past 7
// are not defined by RFC 3463.
func subjectKey(s uint16) string {
	if s > 7 {
		return "subject.unknown"
	}
	return "subject." + strconv.Itoa(int(s))
}

// RefText formats a reference in lang: "RFC 5321, section 4.2.3", or the
// name of an Internet-Draft.
func RefText(lang *locales.Lang, r catalog.Ref) string {
	if r.Draft != "" {
		return r.Draft
	}
	if r.Section == "" {
		return lang.T("ref.rfc", "rfc", strconv.Itoa(r.RFC))
	}
	return lang.T("ref.rfc_section", "rfc", strconv.Itoa(r.RFC), "section", r.Section)
}
