package catalog

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Phase is a step of the SMTP dialogue that a code answers, or "relay" for a
// status that a server reports later, in a DSN, about a message it had
// already accepted.
type Phase string

// The phases. The names are also the keys of their labels in package
// locales ("phase.<name>").
const (
	PhaseConnection Phase = "connection"  // the greeting, before any command
	PhaseEHLO       Phase = "ehlo"        // EHLO or HELO
	PhaseSTARTTLS   Phase = "starttls"    // STARTTLS
	PhaseAuth       Phase = "auth"        // AUTH (SMTP AUTH, RFC 4954)
	PhaseMail       Phase = "mail"        // MAIL FROM
	PhaseRcpt       Phase = "rcpt"        // RCPT TO
	PhaseData       Phase = "data"        // the DATA command itself
	PhaseEndOfData  Phase = "end_of_data" // after the message, at the final "."
	PhaseAnyCommand Phase = "any_command" // any command
	PhaseRelay      Phase = "relay"       // later, in a DSN, from a server that had accepted the message
	PhaseHelp       Phase = "help"        // HELP
	PhaseQuit       Phase = "quit"        // QUIT
	PhaseVRFY       Phase = "vrfy"        // VRFY or EXPN
	PhaseETRN       Phase = "etrn"        // ETRN (RFC 1985)
)

// Scope is what a code refuses, delays or concerns.
type Scope string

// The scopes, also label keys ("scope.<name>").
const (
	ScopeConnection  Scope = "connection"  // the whole connection: nothing is sent over it
	ScopeSession     Scope = "session"     // the session's state, such as its login
	ScopeTransaction Scope = "transaction" // the whole transaction, every recipient of the message
	ScopeRecipient   Scope = "recipient"   // one recipient; the others may still get the message
	ScopeMessage     Scope = "message"     // the message itself: its size, content or signatures
	ScopeCommand     Scope = "command"     // only the command that got the reply
	ScopeNone        Scope = "none"        // nothing is refused
)

// PhasesOfScope returns the phases among phases at which a code refuses
// what scope names. A code's usual phases are listed apart from its scope,
// and one scope does not hold at all of them: 550 refuses one recipient at
// RCPT TO but the sender at MAIL FROM. A sentence that says "refuses one
// recipient" names only the phases where that is true; when none is, the
// phases are returned unchanged.
func PhasesOfScope(scope Scope, phases []Phase) []Phase {
	if scope != ScopeRecipient {
		return phases
	}
	var fit []Phase
	for _, p := range phases {
		switch p {
		case PhaseRcpt, PhaseRelay, PhaseVRFY:
			fit = append(fit, p)
		}
	}
	if len(fit) == 0 {
		return phases
	}
	return fit
}

// Cause is the family of cause behind a code.
type Cause string

// The cause families, also label keys ("cause.<name>").
const (
	CauseInformational  Cause = "informational"   // nothing went wrong
	CauseProtocol       Cause = "protocol"        // the client's commands: syntax, sequence, unsupported
	CauseAddress        Cause = "address"         // the address itself is wrong, unknown or not allowed
	CauseMailbox        Cause = "mailbox"         // the mailbox cannot take mail
	CauseCapacity       Cause = "capacity"        // storage, load or limits
	CauseSystem         Cause = "system"          // the receiving system's own fault or state
	CauseNetwork        Cause = "network"         // connections, routing, DNS, time in the queue
	CauseNoMailService  Cause = "no_mail_service" // the domain or host takes no mail at all
	CauseContent        Cause = "content"         // the message's size, format or encoding
	CausePolicy         Cause = "policy"          // the receiver's policy: reputation, relaying, spam
	CauseAuthentication Cause = "authentication"  // email authentication: SPF, DKIM, DMARC, reverse DNS
	CauseSMTPAuth       Cause = "smtp_auth"       // logging in to the server (SMTP AUTH)
	CauseSecurity       Cause = "security"        // TLS and encryption
	CauseOther          Cause = "other"           // not said
)

// Facets are the structured facts a comparison is built from.
type Facets struct {
	Phases []Phase `json:"phases"` // most usual first
	Scope  Scope   `json:"scope"`
	Cause  Cause   `json:"cause"`
}

// facetData is data/facets.json.
type facetData struct {
	Replies  map[string]Facets `json:"replies"`
	Subjects map[string]Facets `json:"subjects"` // by subject digit: the defaults of enhanced codes
	Codes    map[string]Facets `json:"codes"`    // enhanced codes that differ from their subject
}

var (
	knownPhases = []Phase{PhaseConnection, PhaseEHLO, PhaseSTARTTLS, PhaseAuth, PhaseMail, PhaseRcpt, PhaseData,
		PhaseEndOfData, PhaseAnyCommand, PhaseRelay, PhaseHelp, PhaseQuit, PhaseVRFY, PhaseETRN}
	knownScopes = []Scope{ScopeConnection, ScopeSession, ScopeTransaction, ScopeRecipient, ScopeMessage,
		ScopeCommand, ScopeNone}
	knownCauses = []Cause{CauseInformational, CauseProtocol, CauseAddress, CauseMailbox, CauseCapacity,
		CauseSystem, CauseNetwork, CauseNoMailService, CauseContent, CausePolicy, CauseAuthentication,
		CauseSMTPAuth, CauseSecurity, CauseOther}
)

// Phases, Scopes and Causes list every value, for the tests of the texts
// that name them.
func Phases() []Phase { return slices.Clone(knownPhases) }

// Scopes lists every scope.
func Scopes() []Scope { return slices.Clone(knownScopes) }

// Causes lists every cause family.
func Causes() []Cause { return slices.Clone(knownCauses) }

func (f Facets) check() error {
	if len(f.Phases) == 0 {
		return fmt.Errorf("no phases")
	}
	for _, p := range f.Phases {
		if !slices.Contains(knownPhases, p) {
			return fmt.Errorf("unknown phase %q", p)
		}
	}
	if !slices.Contains(knownScopes, f.Scope) {
		return fmt.Errorf("unknown scope %q", f.Scope)
	}
	if !slices.Contains(knownCauses, f.Cause) {
		return fmt.Errorf("unknown cause %q", f.Cause)
	}
	return nil
}

// loadFacets reads data/facets.json and checks that every registered reply
// code, every subject and every listed enhanced code has valid facets.
func (c *Catalog) loadFacets() error {
	var d facetData
	if err := readJSON("data/facets.json", &d); err != nil {
		return err
	}
	for key, f := range d.Replies {
		r, err := ParseReply(key)
		if err != nil {
			return fmt.Errorf("catalog: data/facets.json: %w", err)
		}
		if err := f.check(); err != nil {
			return fmt.Errorf("catalog: data/facets.json: %s: %w", key, err)
		}
		c.replyFacets[r] = f
	}
	for _, e := range c.Entries() {
		if e.Kind == KindReply && len(d.Replies[e.Key].Phases) == 0 {
			return fmt.Errorf("catalog: data/facets.json: no facets for %s", e.Key)
		}
	}
	for s := range c.subjectFacets {
		f, ok := d.Subjects[strconv.Itoa(s)]
		if !ok {
			return fmt.Errorf("catalog: data/facets.json: no facets for subject %d", s)
		}
		if err := f.check(); err != nil {
			return fmt.Errorf("catalog: data/facets.json: subject %d: %w", s, err)
		}
		c.subjectFacets[s] = f
	}
	for key, f := range d.Codes {
		if err := c.addCodeFacets(key, f); err != nil {
			return fmt.Errorf("catalog: data/facets.json: %s: %w", key, err)
		}
	}
	return nil
}

// addCodeFacets keeps the facets of a registered enhanced code: for every
// class when key is "X.4.1", for one class it is used in when "5.4.1".
func (c *Catalog) addCodeFacets(key string, f Facets) error {
	class := key[:min(len(key), 1)]
	en, err := ParseEnhanced(strings.Replace(key, "X", "2", 1))
	if err != nil {
		return err
	}
	e, ok := c.Enhanced(en)
	if !ok {
		return errors.New("not a registered enhanced code")
	}
	if err := f.check(); err != nil {
		return err
	}
	if class == "X" {
		c.enhancedFacets[subjectDetail{en.Subject, en.Detail}] = f
		return nil
	}
	if _, used := e.In(Class(en.Class)); !used {
		return fmt.Errorf("%s is not used in class %s", e.Key, class)
	}
	c.classFacets[en] = f
	return nil
}

// Facets returns the facets of code. For a reply and an enhanced code sent
// together, the enhanced code names the cause and scope more precisely, and
// the phases are those both allow. A code no document registers gets the
// facets its digits imply.
//
// The facets are read the first time they are needed; if data/facets.json
// could not be read, every code gets the facets its digits imply (the
// package's tests check the embedded file loads).
func (c *Catalog) Facets(code Code) Facets {
	c.ensureFacets()
	var f Facets
	switch {
	case code.Enhanced.IsZero():
		f = c.replyOnly(code.Reply)
	case code.Reply.IsZero():
		f = c.enhancedOnly(code.Enhanced)
	default:
		r, e := c.replyOnly(code.Reply), c.enhancedOnly(code.Enhanced)
		f = e
		if e.Cause == CauseOther {
			f.Cause, f.Scope = r.Cause, r.Scope
		}
		f.Phases = nil
		for _, p := range e.Phases {
			if slices.Contains(r.Phases, p) {
				f.Phases = append(f.Phases, p)
			}
		}
		if len(f.Phases) == 0 {
			f.Phases = r.Phases
		}
	}
	// The class has the last word: a success names no cause, and a failure
	// carrying a code that is registered for successes (5.1.5) names none
	// of its own.
	switch cl := code.Class(); {
	case cl == ClassPositiveCompletion || cl == ClassPositiveIntermediate:
		f.Cause = CauseInformational
	case f.Cause == CauseInformational:
		f.Cause = CauseOther
	}
	return f
}

func (c *Catalog) replyOnly(r Reply) Facets {
	if f, ok := c.replyFacets[r]; ok {
		return f
	}
	// Unregistered: RFC 5321 4.2.1's second digit says what the reply is about.
	f := Facets{Phases: []Phase{PhaseAnyCommand}, Scope: ScopeTransaction, Cause: CauseOther}
	switch r.Category() {
	case 0:
		f.Scope, f.Cause = ScopeCommand, CauseProtocol
	case 2:
		f.Phases, f.Scope, f.Cause = []Phase{PhaseConnection, PhaseAnyCommand}, ScopeConnection, CauseNetwork
	}
	return f
}

func (c *Catalog) enhancedOnly(en Enhanced) Facets {
	if f, ok := c.classFacets[en]; ok {
		return f
	}
	if f, ok := c.enhancedFacets[subjectDetail{en.Subject, en.Detail}]; ok {
		return f
	}
	if int(en.Subject) < len(c.subjectFacets) {
		return c.subjectFacets[en.Subject]
	}
	return Facets{Phases: []Phase{PhaseAnyCommand}, Scope: ScopeTransaction, Cause: CauseOther}
}

// ensureFacets reads data/facets.json once and returns the error it met.
func (c *Catalog) ensureFacets() error {
	c.facetsOnce.Do(func() {
		if c.facetsErr = c.loadFacets(); c.facetsErr != nil {
			c.replyFacets, c.enhancedFacets, c.subjectFacets = map[Reply]Facets{}, map[subjectDetail]Facets{}, [8]Facets{}
			c.classFacets = map[Enhanced]Facets{}
		}
	})
	return c.facetsErr
}
