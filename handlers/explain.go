package handlers

import (
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
	Title      string
	Meaning    string
	When       string
	Fix        string
	Refs       []catalog.Ref
	// Deprecated says which code replaces a deprecated registry entry.
	Deprecated string
}

// ProviderNote is a provider's own reading of a code.
type ProviderNote struct {
	ID string
	// Key names the provider's meaning ("gmail/X.7.26").
	Key     string
	Name    string
	Title   string
	Meaning string
	Fix     string
}

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
	Actor       catalog.Actor
	ActorText   string
	Meaning     string
	When        string
	Fix         string
	Reply       *Part // nil when the code has no reply part
	Enhanced    *Part // nil when the code has no enhanced part
	Provider    *ProviderNote
	// ServerText is the server's own words when the code came from a text.
	ServerText string
	Role       extract.Role
	// Final says the code is a DSN's final status for a recipient.
	Final bool
	// Outcome is the reason, the next step and why the bounce is hard or
	// soft, for a failure read from a text; nil for a lookup.
	Outcome *Outcome
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
		p := e.replyPart(lang, code.Reply)
		x.Reply = &p
	}
	if !code.Enhanced.IsZero() {
		p := e.enhancedPart(lang, code.Enhanced)
		x.Enhanced = &p
	}
	main := x.mainPart()
	x.Title, x.Meaning, x.When, x.Fix = main.Title, main.Meaning, main.When, main.Fix
	x.ClassText = lang.T(classKey(code))
	if x.Enhanced != nil {
		x.SubjectText = lang.T(subjectKey(code.Enhanced.Subject))
	}
	x.Severity = severityOf(x.Class)
	entry := e.entryOf(main)
	x.Retry = catalog.RetryFor(x.Class, entry)
	x.RetryText = lang.T("retry." + string(x.Retry))
	x.Actor = actorOf(x.Class, entry, e.entryOf(x.other(main)))
	x.ActorText = lang.T("actor." + string(x.Actor))
	x.Provider = e.providerNote(lang, prov, code, serverText)
	return x
}

// mainPart is the part whose texts lead: a registered enhanced code says
// more than its reply code.
func (x *Explanation) mainPart() *Part {
	switch {
	case x.Enhanced == nil:
		return x.Reply
	case x.Reply == nil, x.Enhanced.Registered, !x.Reply.Registered:
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

func (e *Engine) replyPart(lang *locales.Lang, r catalog.Reply) Part {
	p := Part{Code: r.String(), Key: r.String(), Kind: catalog.KindReply}
	entry, ok := e.cat.Reply(r)
	if ok {
		return e.registeredPart(lang, p, entry)
	}
	d := classDigit(r.Class())
	p.Title = lang.T("unregistered.reply.title")
	p.Meaning = lang.T("unregistered.reply.meaning", "code", p.Code,
		"class", lang.T("class."+d), "class_meaning", lang.T("class."+d+".meaning"),
		"category", lang.T("category."+strconv.Itoa(int(r.Category()))))
	p.When = lang.T("unregistered.when")
	p.Fix = lang.T("class." + d + ".fix")
	p.Refs = []catalog.Ref{{RFC: 5321, Section: "4.2.1"}}
	return p
}

func (e *Engine) enhancedPart(lang *locales.Lang, en catalog.Enhanced) Part {
	p := Part{Code: en.String(), Key: en.Key(), Kind: catalog.KindEnhanced}
	entry, ok := e.cat.Enhanced(en)
	if ok {
		return e.registeredPart(lang, p, entry)
	}
	d := classDigit(catalog.Class(en.Class))
	p.Title = lang.T("unregistered.enhanced.title")
	p.Meaning = lang.T("unregistered.enhanced.meaning", "code", p.Code,
		"class", lang.T("class.enhanced."+d), "class_meaning", lang.T("class."+d+".meaning"),
		"subject", lang.T(subjectKey(en.Subject)))
	p.When = lang.T("unregistered.when")
	p.Fix = lang.T("class." + d + ".fix")
	p.Refs = []catalog.Ref{{RFC: 3463, Section: "3.1"}}
	return p
}

func (e *Engine) registeredPart(lang *locales.Lang, p Part, entry *catalog.Entry) Part {
	t, _ := lang.Code(entry.Key)
	p.Registered = true
	p.Title, p.Meaning, p.When, p.Fix = t.Title, t.Meaning, t.When, t.Fix
	p.Refs = entry.Refs
	if entry.DeprecatedBy != "" {
		p.Deprecated = lang.T("deprecated", "code", p.Code,
			"replacement", strings.Replace(entry.DeprecatedBy, "X", p.Code[:1], 1))
	}
	return p
}

func (e *Engine) providerNote(lang *locales.Lang, prov *catalog.Provider, code catalog.Code, serverText string) *ProviderNote {
	if prov == nil {
		return nil
	}
	m, ok := e.cat.ProviderMeaning(prov, code, serverText)
	if !ok {
		return nil
	}
	name, _ := lang.Provider(prov.ID)
	t, _ := lang.Provider(m.Key)
	return &ProviderNote{ID: prov.ID, Key: m.Key, Name: name.Title, Title: t.Title, Meaning: t.Meaning, Fix: t.Fix}
}

// actorOf picks who must act: the leading entry's actor, else the other
// part's. A failure always has someone to act, even when its entry is the
// class-neutral X.0.0, and an unregistered failure falls to the sender's
// mail admin, who can read the server's text and logs.
func actorOf(c catalog.Class, entries ...*catalog.Entry) catalog.Actor {
	if c == catalog.ClassPositiveCompletion || c == catalog.ClassPositiveIntermediate {
		return catalog.ActorNobody
	}
	for _, entry := range entries {
		if entry != nil && entry.Actor != "" && entry.Actor != catalog.ActorNobody {
			return entry.Actor
		}
	}
	return catalog.ActorSenderAdmin
}

func severityOf(c catalog.Class) Severity {
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

// RefText formats a reference in lang: "RFC 5321, section 4.2.3".
func RefText(lang *locales.Lang, r catalog.Ref) string {
	if r.Section == "" {
		return lang.T("ref.rfc", "rfc", strconv.Itoa(r.RFC))
	}
	return lang.T("ref.rfc_section", "rfc", strconv.Itoa(r.RFC), "section", r.Section)
}
