package handlers

import (
	"strconv"

	"github.com/smtpcodes/smtpbot/catalog/extract"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

// Part is one half of a code, the reply code or the enhanced code, in one
// language: the catalog's decisions about it and their words.
type Part struct {
	catalog.Part
	Title   string
	Meaning string
	When    string
	Fix     string
	// Steps are the fix's steps; Parties names the party each addresses.
	Steps []string
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

// Explanation is one code explained in one language: the catalog's
// language-free decisions (catalog.Explanation) and the words for them,
// looked up in one place (inWords). The leading part (the enhanced code
// when it is registered) supplies the headline texts.
type Explanation struct {
	catalog.Explanation
	Lang      *locales.Lang
	Title     string
	ClassText string // "Permanent failure (5xx)"
	// SubjectText names what an enhanced code is about ("Addressing"), or "".
	SubjectText string
	RetryText   string
	// ActorText names Actors, the first first.
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
	Role     extract.Role
	// Outcome is the reason, the next step and why the bounce is hard or
	// soft, for a failure read from a text; nil for a lookup.
	Outcome *Outcome
	// Recipients are the addresses the failure is about, when the text
	// says (extract.Finding.Recipients): a bounce about several
	// recipients explains each one's reply.
	Recipients []string
}

// recipientsKey is the key of the label before x's recipients: one, or
// several a server refused alike.
func (x *Explanation) recipientsKey() string {
	if len(x.Recipients) > 1 {
		return "heading.recipients"
	}
	return "heading.recipient"
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
	return inWords(lang, e.cat.Explain(catalog.Query{Code: code, ServerText: serverText, Provider: prov}))
}

// explain is Explain of a code read from a bounce, with the provider and
// blocklist already recognised in the whole of it: a failure gets the
// catalog's verdict.
func (e *Engine) explain(lang *locales.Lang, q catalog.Query, role extract.Role) Explanation {
	q.Bounced = role == extract.RoleFailure
	x := inWords(lang, e.cat.Explain(q))
	x.Role = role
	return x
}

// mainPart is the part whose texts lead, as the catalog decided.
func (x *Explanation) mainPart() *Part {
	if x.Lead.Kind == catalog.KindEnhanced {
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

// classKey names the class label: RFC 3463's names for a lone enhanced
// code, RFC 5321's otherwise.
func classKey(code catalog.Code) string {
	c := code.Class()
	if int(c) < len(classKeys) {
		if code.Reply.IsZero() {
			return enhancedClassKeys[c]
		}
		return classKeys[c]
	}
	if code.Reply.IsZero() {
		return "class.enhanced." + classDigit(c)
	}
	return "class." + classDigit(c)
}

// classKeys and enhancedClassKeys are classKey's keys of each digit, built
// once: every explanation names its class.
var classKeys, enhancedClassKeys = func() (reply, enhanced [10]string) {
	for d := range reply {
		reply[d] = "class." + strconv.Itoa(d)
		enhanced[d] = "class.enhanced." + strconv.Itoa(d)
	}
	return reply, enhanced
}()

func classDigit(c catalog.Class) string { return strconv.Itoa(int(c)) }

// subjectKey names the label of an enhanced code's subject; subjects past 7
// are not defined by RFC 3463.
func subjectKey(s uint16) string {
	if s > 7 {
		return "subject.unknown"
	}
	return subjectKeys[s]
}

// subjectKeys are the keys of subjects 0 to 7, built once.
var subjectKeys = func() (keys [8]string) {
	for s := range keys {
		keys[s] = "subject." + strconv.Itoa(s)
	}
	return keys
}()

// RefText formats a reference in lang: "RFC 5321, section 4.2.3", or the
// name of an Internet-Draft.
func RefText(lang *locales.Lang, r catalog.Ref) string {
	if r.Draft != "" {
		return r.Draft
	}
	// T keeps none of its values, so the number's text can stay on the
	// stack.
	var digits [20]byte
	rfc := string(strconv.AppendInt(digits[:0], int64(r.RFC), 10))
	if r.Section == "" {
		return lang.T("ref.rfc", "rfc", rfc)
	}
	return lang.T("ref.rfc_section", "rfc", rfc, "section", r.Section)
}
