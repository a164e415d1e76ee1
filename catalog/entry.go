package catalog

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

// Retry is the advice on sending again.
type Retry string

// The retry advices. The names are also keys of their labels in package
// locales.
const (
	RetryNone     Retry = "none"      // nothing failed
	RetryContinue Retry = "continue"  // the server waits for the next step of the dialogue
	RetryLater    Retry = "later"     // soft failure: the sending server retries on its own
	RetryAfterFix Retry = "after_fix" // hard failure: sending the same again fails the same way
)

// Ref is a reference to the document that defines a code.
type Ref struct {
	RFC     int    `json:"rfc"`               // 5321
	Section string `json:"section,omitempty"` // "4.2.3"
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
	Actor Actor  `json:"actor"`
	// Retry overrides the advice the class implies, for the codes whose
	// defining document says otherwise (RFC 5321 asks clients to treat a 552
	// after RCPT TO as temporary, for example). Empty means "by class".
	Retry Retry `json:"retry,omitempty"`
	// Replies lists the reply codes the code is usually sent with (for
	// enhanced codes) and Enhanced the enhanced codes a reply usually carries.
	Replies  []string `json:"replies,omitempty"`
	Enhanced []string `json:"enhanced,omitempty"`
	// Related names codes worth comparing with this one.
	Related []string `json:"related,omitempty"`
	// DeprecatedBy names the code to use instead, for a registered duplicate
	// such as X.6.10.
	DeprecatedBy string `json:"deprecated_by,omitempty"`
}

// RetryFor returns the advice on sending again for a code of class c whose
// entry is e (nil when the code is not registered).
func RetryFor(c Class, e *Entry) Retry {
	if e != nil && e.Retry != "" && c != ClassPositiveCompletion && c != ClassPositiveIntermediate {
		return e.Retry
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
