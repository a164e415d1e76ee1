package catalog

import (
	"slices"
	"strconv"
)

// Kind tells a reply-code entry from an enhanced-code entry.
type Kind string

// The kinds of entry.
const (
	KindReply    Kind = "reply"
	KindEnhanced Kind = "enhanced"
)

// Actor is who has to do something about a code.
type Actor string

// The actors. The names are also the keys of their labels in package locales.
const (
	ActorNobody        Actor = "nobody"         // success or a normal step of the protocol
	ActorSender        Actor = "sender"         // the person who wrote the message: fix the address, shrink the file
	ActorSenderAdmin   Actor = "sender_admin"   // whoever runs the sending system: DNS, SPF, DKIM, TLS, IP reputation
	ActorRecipientSide Actor = "recipient_side" // the recipient or their mail admin: full mailbox, broken server
)

// Actors lists every actor, for checks of the data.
var Actors = []Actor{ActorNobody, ActorSender, ActorSenderAdmin, ActorRecipientSide}

// Retry is the advice on sending again.
type Retry string

// The retry advices. The names are also keys of their labels in package
// locales.
const (
	RetryNone     Retry = "none"      // nothing failed
	RetryContinue Retry = "continue"  // the server waits for the next step of the dialogue
	RetryLater    Retry = "later"     // soft failure: the sending server retries on its own
	RetryByHand   Retry = "by_hand"   // soft, but the sending server gave up: resend later by hand
	RetryAfterFix Retry = "after_fix" // hard failure: sending the same again fails the same way
	// RetryClientLater: soft, in reply to a command that a mail server and
	// a mail app both send (AUTH, STARTTLS): a server requeues, an app does not.
	RetryClientLater Retry = "client_later"
	// RetryCommandLater: soft, in reply to a command that carries no
	// message (ETRN): nothing bounced, the command may be sent again later.
	RetryCommandLater Retry = "command_later"
)

// Retries lists every retry advice, for checks of the data.
var Retries = []Retry{RetryNone, RetryContinue, RetryLater, RetryByHand, RetryAfterFix, RetryClientLater, RetryCommandLater}

// Ref is a reference to the document that defines a code.
type Ref struct {
	RFC int `json:"rfc,omitempty"` // 5321
	// Draft names an Internet-Draft for the few codes registered from one
	// ("draft-levine-mailbomb-header"); RFC is then 0.
	Draft   string `json:"draft,omitempty"`
	Section string `json:"section,omitempty"` // "4.2.3"
	// With limits the reference to the uses of a reply code that carry one
	// of these enhanced codes ("5.6.7"): RFC 6531 defines 550 only for its
	// SMTPUTF8 failures, so it is no reference for a 550 5.1.1. Empty means
	// every use.
	With []string `json:"with,omitempty"`
}

// AppliesTo reports whether r is a reference for a reply sent with the
// enhanced code en (zero when there is none): a reference limited to some
// enhanced codes holds for those and for the bare reply code.
func (r Ref) AppliesTo(en Enhanced) bool {
	return len(r.With) == 0 || en.IsZero() || slices.Contains(r.With, en.String())
}

// Facts is what holds for a code in one class: the steps of its fix, each
// with the party it addresses, and the advice on sending again. Who has to
// act is derived from the steps, so the two cannot disagree.
type Facts struct {
	// Steps names, for each step of the fix text in package locales, the
	// party the step addresses. The locale's fix has exactly as many steps.
	Steps []Actor `json:"steps"`
	// Retry overrides the advice the class implies, for the cases whose
	// defining document or common practice says otherwise.
	Retry Retry `json:"retry,omitempty"`
	// Soft marks a permanent failure that bounce processors treat as soft,
	// such as 5.2.2 (RFC 3463 section 3.3 asks for X.2.2 to be sent as a
	// persistent transient failure).
	Soft bool `json:"soft,omitempty"`
	// NoMessage marks a reply to a command that carries no message, such
	// as ETRN's 458 and 459: a refusal, but nothing bounced.
	NoMessage bool `json:"no_message,omitempty"`

	actors []Actor // Actors, worked out once when the catalog loads
}

// Actors returns who has to act: the parties of the steps, each once, in
// the order of the steps, without "nobody" unless nobody else is named.
// The slice must not be modified.
func (f *Facts) Actors() []Actor {
	if f.actors != nil {
		return f.actors
	}
	return actorsOfSteps(f.Steps)
}

func actorsOfSteps(steps []Actor) []Actor {
	var out []Actor
	for _, a := range steps {
		if a != ActorNobody && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return []Actor{ActorNobody}
	}
	return out
}

// Entry holds the language-neutral facts about one registered code. Its texts
// (title, meaning, when you see it, how to fix) live in package locales under
// Key.
type Entry struct {
	// Key is "550" for a reply code and "X.1.1" for an enhanced code, which
	// the registry lists once for all classes.
	Key  string `json:"code"`
	Kind Kind   `json:"-"`
	// Title is the name of the code in its defining document (for enhanced
	// codes, the IANA registry's own "sample text"), kept verbatim in English.
	Title string `json:"title"`
	Refs  []Ref  `json:"refs"`
	// Actor is who has to act on the code in its most severe class, derived
	// from the steps of its fix when the catalog is loaded.
	Actor Actor `json:"-"`
	// Steps, Retry and NoMessage are the reply code's facts (see Facts); a reply code
	// has one class, its first digit.
	Steps     []Actor `json:"steps,omitempty"`
	Retry     Retry   `json:"retry,omitempty"`
	NoMessage bool    `json:"no_message,omitempty"`
	// Classes holds an enhanced code's facts for each class ("2", "4", "5")
	// in which the registry or common practice uses it. An enhanced code
	// shown in a class it is not used in gets no code-specific advice.
	Classes map[string]*Facts `json:"classes,omitempty"`
	// Replies lists the reply codes the registry associates with an
	// enhanced code, and Enhanced the enhanced codes a reply usually
	// carries.
	Replies  []string `json:"replies,omitempty"`
	Enhanced []string `json:"enhanced,omitempty"`
	// Related names codes worth comparing with this one.
	Related []string `json:"related,omitempty"`
	// DeprecatedBy names the code to use instead, for a registered duplicate
	// such as X.6.10.
	DeprecatedBy string `json:"deprecated_by,omitempty"`

	replyFacts *Facts // a reply code's Steps, Retry and NoMessage, built once when loaded
}

// newReplyFacts gathers a reply code's facts, kept in the entry itself.
func (e *Entry) newReplyFacts() *Facts {
	return &Facts{Steps: e.Steps, Retry: e.Retry, NoMessage: e.NoMessage}
}

// In returns the facts of the code in class c, and false when the code is
// not used in that class: an enhanced code the registry and practice use
// only as a permanent failure, shown as 4.x.y, or a reply code asked about
// in another class than its own.
func (e *Entry) In(c Class) (*Facts, bool) {
	if e.Kind == KindReply {
		if len(e.Key) == 0 || Class(e.Key[0]-'0') != c {
			return nil, false
		}
		if e.replyFacts == nil {
			return e.newReplyFacts(), true
		}
		return e.replyFacts, true
	}
	f, ok := e.Classes[strconv.Itoa(int(c))]
	return f, ok
}

// UsedIn lists the classes an enhanced code is used in, or the reply code's
// own class, in ascending order.
func (e *Entry) UsedIn() []Class {
	if e.Kind == KindReply {
		return []Class{Class(e.Key[0] - '0')}
	}
	var out []Class
	for _, c := range []Class{ClassPositiveCompletion, ClassTransientNegative, ClassPermanentNegative} {
		if _, ok := e.Classes[strconv.Itoa(int(c))]; ok {
			out = append(out, c)
		}
	}
	return out
}

// RetryFor returns the advice on sending again for a code of class c whose
// facts in that class are f (nil when the code is not registered or not
// used in c).
func RetryFor(c Class, f *Facts) Retry {
	if f != nil && f.Retry != "" && c != ClassPositiveCompletion && c != ClassPositiveIntermediate {
		return f.Retry
	}
	switch c {
	case ClassPositiveCompletion:
		return RetryNone
	case ClassPositiveIntermediate:
		return RetryContinue
	case ClassTransientNegative:
		return RetryLater
	default:
		return RetryAfterFix
	}
}
