package catalog

import (
	"slices"
	"strings"
)

// Query is what is known of one code to explain: the code, and, when it was
// read from a text, the server's words and what the whole text says about
// who wrote it.
type Query struct {
	Code Code
	// ServerText is the server's words on the code, or "" for a code looked
	// up on its own.
	ServerText string
	// Provider is the provider whose servers wrote the text (Detect), or
	// nil. Its own meaning of the code is looked up in ServerText.
	Provider *Provider
	// Blocklist is the blocklist the text names (Detect), or nil.
	Blocklist *Blocklist
	// Bounced says the code is the failure a bounce reports, rather than a
	// code looked up or a reply earlier in the conversation: only then does
	// the explanation carry a verdict.
	Bounced bool
	// Final says the code is a recipient's final status in a delivery
	// status notification (see Failure).
	Final bool
	// Delayed says the report is a delay warning (a DSN's "Action:
	// delayed"): the sending server still retries, nothing has bounced.
	Delayed bool
	// Command is the SMTP command the reply answered, when the text says
	// (see Failure).
	Command string
	// Facets asks for the code's facets too. Only comparisons use them, and
	// data/facets.json is read the first time they are asked for, so a
	// plain explanation does not pay for it.
	Facets bool
}

// Severity is what a code says about the delivery, for picking an emoji or
// a colour: the class, except where the reason or the registry makes a
// failure soft or hard. The names are also the keys of their labels in
// package locales ("severity.<name>").
type Severity string

// The severities.
const (
	SeveritySuccess      Severity = "success"      // 2xx
	SeverityIntermediate Severity = "intermediate" // 3xx
	SeveritySoft         Severity = "soft"         // a soft bounce: 4xx, or 5xx that resending may cure
	SeverityHard         Severity = "hard"         // a hard bounce: 5xx, or 4xx that resending will not cure
	SeverityCommand      Severity = "command"      // 4xx to a command that carries no message (ETRN): nothing bounced
	SeverityDelayed      Severity = "delayed"      // a delay warning: the sending server still retries, nothing bounced yet
)

// Part is one half of a code, the reply code or the enhanced code, as the
// registry knows it in the class it is shown in. Its texts live in package
// locales: under Key when it is registered and usual in its class, under
// its class's general texts otherwise.
type Part struct {
	Code  string // "550" or "5.1.1"
	Key   string // "550" or "X.1.1": the key of its entry and of its texts
	Kind  Kind   // "" for the missing half of a code that has one part
	Class Class  // the class it is shown in
	// Entry is the registry's entry, or nil when the code is not registered.
	Entry      *Entry
	Registered bool
	// Unusual is true for a registered enhanced code shown in a class the
	// registry and practice do not use it in (4.1.5): its texts then come
	// from its class, not from the code, and UsedIn lists the classes it is
	// used in.
	Unusual bool
	UsedIn  []Class
	// Facts are what holds for the code in its class, or nil when it is not
	// registered or not used in that class.
	Facts *Facts
	// Parties are the parties the steps of its fix address, one per step:
	// the code's own in its class, or its class's general fix, which the
	// sending side's mail admin carries out for a failure.
	Parties []Actor
	// Refs are the documents that define it; a reply code's extension RFCs
	// only where they hold for the enhanced code it came with.
	Refs []Ref
	// Replacement is the code that replaces a deprecated entry ("5.6.8"),
	// or "".
	Replacement string
}

// Present reports whether the part is there: a code may have one half only.
func (p *Part) Present() bool { return p.Kind != "" }

// Explanation is one code explained without words: every decision an
// answer about it makes, from which part's texts lead to who has to act and
// why the bounce is hard or soft. Package locales holds the words, keyed by
// the values here; a renderer only looks them up, so the Block Kit card,
// the terminal and the JSON can never disagree on a decision.
type Explanation struct {
	Code  Code
	Class Class
	// Lead is the part whose texts lead: a registered enhanced code says
	// more than its reply code, unless it is shown in a class it is not
	// used in. Second is the code's other part, or not Present.
	Lead, Second Part
	// Facets are the structured facts a comparison is built from, when
	// the query asked for them; zero otherwise.
	Facets Facets
	// Severity, Retry and Actors are decided by the verdict for a bounced
	// failure, and otherwise by the facts of the code in its class. Actor
	// is who has to act first, Actors everyone the fix's steps address, so
	// that the two never disagree with the steps.
	Severity Severity
	Retry    Retry
	Actor    Actor
	Actors   []Actor
	// ServerText is the server's own words, "" for a lookup.
	ServerText string
	// ProviderMeaning names the provider the text shows (Provider, nil for
	// none) and its own meaning of the code in the server's words (Key, ""
	// when it gives the code none: the answer still names the provider and
	// where it documents its codes).
	ProviderMeaning ProviderMeaning
	// Blocklist is the blocklist the text names, or nil.
	Blocklist *Blocklist
	// Final says the code is a recipient's final status in a DSN.
	Final bool
	// Delayed says the DSN is a delay warning: the sending server still
	// retries, so the verdict says why delivery is slow, not that it
	// bounced.
	Delayed bool
	// Command is the SMTP command the reply answered, or "".
	Command string
	// Verdict is the reason, the next step and hard or soft, for a bounced
	// failure; its Reason is "" otherwise (see Judged).
	Verdict Verdict
	// StaleFix says the code's fix is written for a case this failure is
	// not: a live deferral ("let the queue retry") while the sending
	// server has given up, or any case of a code when the message expired
	// (a delay warning's deferral is live: its code's fix holds).
	// The verdict's next step replaces it. An expiry code's own fix (find
	// the deferral behind it) is written for a server that gave up, and
	// holds.
	StaleFix bool
}

// Judged reports whether the explanation carries a verdict: the code is a
// failure a bounce reports.
func (x *Explanation) Judged() bool { return x.Verdict.Reason != "" }

// References lists the documents of every part, the leading part's first,
// each document and section once.
func (x *Explanation) References() []Ref {
	out := make([]Ref, 0, len(x.Lead.Refs)+len(x.Second.Refs))
	x.EachReference(func(r Ref) { out = append(out, r) })
	return out
}

// EachReference calls f with each reference References lists, in its
// order, without building the list: every answer names its references.
// A reference is left out when one before it names the same document;
// sameDocument is an equivalence, so that is when one listed does.
func (x *Explanation) EachReference(f func(Ref)) {
	lead, second := x.Lead.Refs, x.Second.Refs
	for i, r := range lead {
		if !slices.ContainsFunc(lead[:i], r.sameDocument) {
			f(r)
		}
	}
	for i, r := range second {
		if !slices.ContainsFunc(lead, r.sameDocument) && !slices.ContainsFunc(second[:i], r.sameDocument) {
			f(r)
		}
	}
}

// sameDocument reports whether r and o name the same document and section,
// whatever codes they are limited to.
func (r Ref) sameDocument(o Ref) bool {
	if r.Draft != "" || o.Draft != "" {
		return r.Draft == o.Draft
	}
	return r.RFC == o.RFC && r.Section == o.Section
}

// Explain decides everything an answer about q says, in no language.
func (c *Catalog) Explain(q Query) Explanation {
	code := q.Code
	x := Explanation{Code: code, Class: code.Class(), ServerText: q.ServerText, Blocklist: q.Blocklist,
		Final: q.Final, Delayed: q.Delayed && q.Final, Command: q.Command}
	if q.Facets {
		x.Facets = c.Facets(code)
	}
	var reply, enhanced Part
	if !code.Reply.IsZero() {
		reply = c.replyPart(code.Reply, code.Enhanced)
	}
	if !code.Enhanced.IsZero() {
		enhanced = c.enhancedPart(code.Enhanced)
	}
	switch {
	case !enhanced.Present():
		x.Lead = reply
	case reply.Facts.noMessage():
		// ETRN's 458 says what failed; its usual 4.5.0 says only "protocol".
		x.Lead, x.Second = reply, enhanced
	case !reply.Present(), enhanced.Registered && !enhanced.Unusual, !reply.Registered:
		x.Lead, x.Second = enhanced, reply
	default:
		x.Lead, x.Second = reply, enhanced
	}
	facts := x.Lead.Facts
	if facts == nil {
		facts = x.Second.Facts
	}
	x.Actors = actorsOf(x.Class, facts)
	x.Actor = x.Actors[0]
	if rf := reply.Facts; rf != nil && (rf.Retry != "" || rf.NoMessage) {
		// The reply code names the command it answers (AUTH, ETRN),
		// which an enhanced code such as 4.7.0 does not: its retry
		// advice, and whether a message bounced at all, decide.
		facts = rf
	}
	x.Severity = severityOf(x.Class, facts)
	x.Retry = RetryFor(x.Class, facts)
	if q.Provider != nil {
		x.ProviderMeaning, _ = c.ProviderMeaning(q.Provider, code, q.ServerText)
		x.ProviderMeaning.Provider = q.Provider
	}
	if q.Bounced && !facts.noMessage() {
		c.judge(&x)
	}
	return x
}

// judge adds the verdict to a bounced failure, and lets it decide hard or
// soft, the retry advice and who has to act, so the answer never
// contradicts its own next step. Codes that are not failures get none.
func (c *Catalog) judge(x *Explanation) {
	v, ok := c.Classify(Failure{Code: x.Code, ServerText: x.ServerText, ProviderKey: x.ProviderMeaning.Key,
		Final: x.Final, Delayed: x.Delayed, Command: x.Command, Blocklist: x.Blocklist})
	if !ok {
		return
	}
	x.Verdict = v
	x.Severity = SeverityHard
	x.Retry = RetryAfterFix
	if v.Bounce == BounceSoft {
		x.Severity = SeveritySoft
		x.Retry = RetryLater
		if x.Class == ClassPermanentNegative || v.GaveUp {
			x.Retry = RetryByHand
		}
	}
	x.Actor, x.Actors = v.Actor, oneActor(v.Actor)
	// A message that expired failed for its last deferral's cause, not
	// for the case the code's fix is written for ("#550 4.4.7
	// QUEUE.Expired": not a 5.1.1 to remove), whether the server wrote a
	// transient code or a permanent one.
	x.StaleFix = (v.GaveUp || v.Reason == ReasonExpired && !x.Delayed) && c.reasonRules().byCode(x.Code) != ReasonExpired
	if x.Delayed && x.Class == ClassTransientNegative {
		// The message is still queued: nothing to resend yet.
		x.Severity, x.Retry = SeverityDelayed, RetryLater
		if x.Verdict.Reason == ReasonExpired && x.Verdict.Variant == "" {
			// Not expired yet: still in the queue.
			x.Verdict.Variant = VariantDelayed
		}
	}
}

func (c *Catalog) replyPart(r Reply, with Enhanced) Part {
	s := r.String()
	p := Part{Code: s, Key: s, Kind: KindReply, Class: r.Class()}
	entry, ok := c.Reply(r)
	if !ok {
		p.Parties = classParties(p.Class)
		p.Refs = replyClassRefs
		return p
	}
	registered(&p, entry)
	// A reply code's extension RFCs hold only for the enhanced codes they
	// define: RFC 6531 is no reference for a 550 5.1.1.
	notHere := func(ref Ref) bool { return !ref.AppliesTo(with) }
	if slices.ContainsFunc(p.Refs, notHere) {
		p.Refs = slices.DeleteFunc(slices.Clone(p.Refs), notHere)
	}
	return p
}

func (c *Catalog) enhancedPart(en Enhanced) Part {
	p := Part{Code: en.String(), Key: en.Key(), Kind: KindEnhanced, Class: Class(en.Class)}
	entry, ok := c.Enhanced(en)
	if !ok {
		p.Parties = classParties(p.Class)
		p.Refs = enhancedClassRefs
		return p
	}
	registered(&p, entry)
	return p
}

// The references of codes no document registers: the sections that define
// what their digits mean. Shared; callers do not modify them.
var (
	replyClassRefs    = []Ref{{RFC: 5321, Section: "4.2.1"}}
	enhancedClassRefs = []Ref{{RFC: 3463, Section: "3.1"}}
)

// registered fills p from entry, in p's class. An enhanced code shown in a
// class it is not used in gets its class's general fix: the code's own
// belongs to another class.
func registered(p *Part, entry *Entry) {
	p.Entry, p.Registered, p.Refs = entry, true, entry.Refs
	if entry.DeprecatedBy != "" {
		p.Replacement = strings.Replace(entry.DeprecatedBy, "X", p.Code[:1], 1)
	}
	facts, ok := entry.In(p.Class)
	if !ok {
		p.Unusual, p.UsedIn = true, entry.UsedIn()
		p.Parties = classParties(p.Class)
		return
	}
	p.Facts, p.Parties = facts, facts.Steps
}

// actorsOf returns who has to act: the parties the fix's steps address.
// Success and the protocol's normal steps need nobody; a failure always has
// someone to act, and one without code-specific facts falls to the
// sender's mail admin, who can read the server's text and logs.
func actorsOf(c Class, f *Facts) []Actor {
	if c == ClassPositiveCompletion || c == ClassPositiveIntermediate {
		return onlyNobody
	}
	if f != nil {
		if a := f.Actors(); a[0] != ActorNobody {
			return a
		}
	}
	return onlySenderAdmin
}

// One-party lists, shared: callers do not modify Explanation.Actors or
// Part.Parties.
var (
	onlyNobody        = []Actor{ActorNobody}
	onlySender        = []Actor{ActorSender}
	onlySenderAdmin   = []Actor{ActorSenderAdmin}
	onlyRecipientSide = []Actor{ActorRecipientSide}
)

// oneActor is the one-party list of a, shared for the known actors.
func oneActor(a Actor) []Actor {
	switch a {
	case ActorNobody:
		return onlyNobody
	case ActorSender:
		return onlySender
	case ActorSenderAdmin:
		return onlySenderAdmin
	case ActorRecipientSide:
		return onlyRecipientSide
	}
	return []Actor{a}
}

// classParties is the one party of a class's general fix: nobody for a
// success, the sender's mail admin for a failure.
func classParties(c Class) []Actor {
	if c == ClassPositiveCompletion || c == ClassPositiveIntermediate {
		return onlyNobody
	}
	return onlySenderAdmin
}

// noMessage reports whether f is a reply to a command that carries no
// message; nil facts (an unregistered code) are not.
func (f *Facts) noMessage() bool { return f != nil && f.NoMessage }

// severityOf is the class's severity, except for the permanent failures
// that bounce processors treat as soft, such as 5.2.2.
func severityOf(c Class, f *Facts) Severity {
	if f.noMessage() && c == ClassTransientNegative {
		return SeverityCommand
	}
	if f != nil && f.Soft && c == ClassPermanentNegative {
		return SeveritySoft
	}
	switch c {
	case ClassPositiveCompletion:
		return SeveritySuccess
	case ClassPositiveIntermediate:
		return SeverityIntermediate
	case ClassTransientNegative:
		return SeveritySoft
	}
	return SeverityHard
}
