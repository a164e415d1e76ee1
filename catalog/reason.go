package catalog

import (
	"slices"
	"strings"
)

// Reason is why a delivery failed, named with the bounce-reason vocabulary
// of the sisimai project (libsisimai.org/en/reason), so that results compare
// with the tool mail engineers already use. The texts of each reason live in
// package locales under its name.
type Reason string

// The reasons. Each is defined in locales/data/<tag>/reasons.json; the
// comments here are one-line reminders.
const (
	ReasonUserUnknown     Reason = "userunknown"     // the mailbox does not exist
	ReasonMailboxFull     Reason = "mailboxfull"     // the mailbox is over its quota
	ReasonBlocked         Reason = "blocked"         // the sending IP or host is refused, often by a blocklist
	ReasonFiltered        Reason = "filtered"        // the recipient's own filter refused it
	ReasonExpired         Reason = "expired"         // the sending server gave up retrying
	ReasonRejected        Reason = "rejected"        // the envelope sender was refused
	ReasonAuthFailure     Reason = "authfailure"     // SPF, DKIM or DMARC failed
	ReasonPolicyViolation Reason = "policyviolation" // the receiving domain's policy forbids it
	ReasonNetworkError    Reason = "networkerror"    // DNS or network trouble on the way
	ReasonHostUnknown     Reason = "hostunknown"     // the recipient's domain does not exist
	ReasonSuspend         Reason = "suspend"         // the mailbox is disabled or suspended
	ReasonSystemError     Reason = "systemerror"     // the receiving system failed
	ReasonSpamDetected    Reason = "spamdetected"    // the content was judged to be spam
	ReasonSecurityError   Reason = "securityerror"   // SMTP AUTH, access or other security refusal
	ReasonRequirePTR      Reason = "requireptr"      // the sending IP lacks matching reverse DNS
	ReasonNotAccept       Reason = "notaccept"       // the domain accepts no mail (null MX, 521, 556)
	ReasonNotCompliantRFC Reason = "notcompliantrfc" // the message breaks RFC 5322
	ReasonMailerError     Reason = "mailererror"     // the recipient's delivery program failed
	ReasonTooManyConn     Reason = "toomanyconn"     // too many connections or recipients at once
	ReasonNoRelaying      Reason = "norelaying"      // the server will not relay for the sender
	ReasonHasMoved        Reason = "hasmoved"        // the recipient moved to another address
	ReasonOnHold          Reason = "onhold"          // the message is held, the outcome is pending
	ReasonExceedLimit     Reason = "exceedlimit"     // over the mailbox's size limit
	ReasonBadReputation   Reason = "badreputation"   // the sender's reputation is too low
	ReasonContentError    Reason = "contenterror"    // the content or its encoding is refused
	ReasonVirusDetected   Reason = "virusdetected"   // a virus or malware was found
	ReasonMesgTooBig      Reason = "mesgtoobig"      // the message is too big for the system
	ReasonSyntaxError     Reason = "syntaxerror"     // an SMTP command was malformed
	ReasonSpeeding        Reason = "speeding"        // the recipient receives mail too fast
	ReasonSystemFull      Reason = "systemfull"      // the receiving system is out of space
	ReasonRateLimited     Reason = "ratelimited"     // the sender sends too fast
	ReasonFailedSTARTTLS  Reason = "failedstarttls"  // STARTTLS or required TLS failed
	ReasonSuppressed      Reason = "suppressed"      // the sending service suppresses the address
	ReasonVacation        Reason = "vacation"        // an auto-reply, not a failure
	ReasonUndefined       Reason = "undefined"       // nothing says which
)

// VariantDelayed is the variant of an expired verdict in a delay warning:
// the message is still in the queue, not expired.
const VariantDelayed = "delayed"

// ReasonVariants returns the verdict variants the rules, provider and code
// steps of c, and a delay warning, can give, by reason ("undefined" ->
// "greylisting"), for checking their texts.
func (c *Catalog) ReasonVariants() map[Reason][]string {
	out := map[Reason][]string{ReasonExpired: {VariantDelayed}}
	for _, to := range c.reasonRules().notAtRcpt {
		if !slices.Contains(out[to.Reason], to.Variant) {
			out[to.Reason] = append(out[to.Reason], to.Variant)
		}
	}
	addStep := func(step nextStep) {
		if step.Variant != "" && !slices.Contains(out[step.Reason], step.Variant) {
			out[step.Reason] = append(out[step.Reason], step.Variant)
		}
	}
	for _, step := range c.reasonRules().providerNext {
		addStep(step)
	}
	for _, step := range c.reasonRules().codeNext {
		addStep(step)
	}
	for _, step := range c.reasonRules().replyNext {
		addStep(step)
	}
	rules := c.reasonRules().rules
	for i := range rules {
		if r := &rules[i]; r.Variant != "" && !slices.Contains(out[r.Reason], r.Variant) {
			out[r.Reason] = append(out[r.Reason], r.Variant)
		}
	}
	return out
}

// Reasons lists every reason, in the order the documentation uses.
func Reasons() []Reason {
	return []Reason{
		ReasonUserUnknown, ReasonMailboxFull, ReasonBlocked, ReasonFiltered, ReasonExpired,
		ReasonRejected, ReasonAuthFailure, ReasonPolicyViolation, ReasonNetworkError, ReasonHostUnknown,
		ReasonSuspend, ReasonSystemError, ReasonSpamDetected, ReasonSecurityError, ReasonRequirePTR,
		ReasonNotAccept, ReasonNotCompliantRFC, ReasonMailerError, ReasonTooManyConn, ReasonNoRelaying,
		ReasonHasMoved, ReasonOnHold, ReasonExceedLimit, ReasonBadReputation, ReasonContentError,
		ReasonVirusDetected, ReasonMesgTooBig, ReasonSyntaxError, ReasonSpeeding, ReasonSystemFull,
		ReasonRateLimited, ReasonFailedSTARTTLS, ReasonSuppressed, ReasonVacation, ReasonUndefined,
	}
}

// Action is the next step after a failure. The texts of each action live in
// package locales under "action.<name>".
type Action string

// The actions.
const (
	ActionRemoveAddress     Action = "remove_address"              // the address cannot receive mail: drop or correct it
	ActionWaitServerRetries Action = "wait_server_retries"         // a 4xx reply: the sending server retries on its own
	ActionRetryLater        Action = "retry_later"                 // the cause usually clears, but nobody retries: resend later by hand
	ActionFixSendingConfig  Action = "fix_sending_config"          // DNS, SPF, DKIM, DMARC, PTR, TLS, relay or rate on the sending side
	ActionRequestDelisting  Action = "request_delisting"           // a blocklist lists the sending IP: fix the cause, then ask for removal
	ActionFixMessage        Action = "fix_message"                 // size, format or content of the message
	ActionReviewContent     Action = "review_content"              // a spam filter judged the message: what it weighs
	ActionContactRecipient  Action = "contact_recipient_otherwise" // only the recipient's side can fix it: reach them another way
	ActionInvestigate       Action = "investigate"                 // nothing names the cause: read the server's words and the logs
	ActionFindLoop          Action = "find_loop"                   // the message looped between servers: find the one that sends it back
	ActionNone              Action = "none"                        // nothing failed that needs action (an auto-reply)
)

// Actions lists every action.
func Actions() []Action {
	return []Action{
		ActionRemoveAddress, ActionWaitServerRetries, ActionRetryLater, ActionFixSendingConfig,
		ActionRequestDelisting, ActionFixMessage, ActionReviewContent, ActionContactRecipient, ActionInvestigate,
		ActionFindLoop, ActionNone,
	}
}

// ActorsFor lists who may be asked to do an action: an action addresses one
// party, so a reason's actor that is not among them contradicts its action.
// Waiting and retrying are done by the sending side while the cause lies
// anywhere, so those allow every failure actor.
func ActorsFor(a Action) []Actor {
	switch a {
	case ActionRemoveAddress:
		return []Actor{ActorSender}
	case ActionFixSendingConfig, ActionRequestDelisting, ActionInvestigate, ActionFindLoop:
		return []Actor{ActorSenderAdmin}
	case ActionFixMessage, ActionReviewContent:
		return []Actor{ActorSender, ActorSenderAdmin}
	case ActionContactRecipient:
		return []Actor{ActorRecipientSide}
	case ActionNone:
		return []Actor{ActorNobody}
	}
	return []Actor{ActorSender, ActorSenderAdmin, ActorRecipientSide}
}

// Bounce says whether resending can succeed without anyone changing
// anything: a soft bounce may, a hard one fails the same way.
type Bounce string

// The kinds of bounce.
const (
	BounceHard Bounce = "hard"
	BounceSoft Bounce = "soft"
)

// Basis says what decided hard or soft, so the card can say why.
type Basis string

// The bases of the hard-or-soft decision.
const (
	BasisReason Basis = "reason" // the reason is hard or soft by nature, whatever the first digit
	BasisWords  Basis = "words"  // the server's words ("try again later", "permanently") overrule the digit
	BasisClass  Basis = "class"  // the code's first digit
)

// Source says where a reason came from.
type Source string

// The sources of a reason, in the order they are tried.
const (
	SourceWords    Source = "words"    // a phrase of the server's text
	SourceProvider Source = "provider" // the provider's own meaning of the code
	SourceCode     Source = "code"     // the code alone
)

// Verdict is what a failure comes to: why it failed, what to do next, who
// does it, and whether it is a hard or soft bounce. It is language-free;
// package locales holds the words.
type Verdict struct {
	Reason Reason
	Source Source
	Action Action
	Actor  Actor
	Bounce Bounce
	Basis  Basis
	// Blocklist is the list the server's text names, or nil.
	Blocklist *Blocklist
	// Variant, when set, names words of the reason's own for what the
	// server said ("greylisting": a deferral the retry gets past), where
	// the reason's general definition would not hold.
	Variant string
	// GaveUp says the failure is transient but the sending server has
	// stopped retrying it (a DSN's final 4.x.x status, "Action: failed"):
	// nothing is retried any more, so no next step may say it is.
	GaveUp bool
}

// reasonInfo is what data/reasons.json says about one reason.
type reasonInfo struct {
	Actor     Actor  `json:"actor"`
	Bounce    string `json:"bounce"` // "hard", "soft" or "class"
	Action    Action `json:"action"`
	Action4xx Action `json:"action_4xx"`
}

// phraseRule is one ordered rule: any of its phrases, and the code's
// constraints when set.
type phraseRule struct {
	Reason   Reason   `json:"reason"`
	Text     []string `json:"text"`
	Enhanced []string `json:"enhanced"` // "X.2.0" or "5.2.0": the enhanced code must be one of these
	Class    Class    `json:"class"`    // 4 or 5: the code's class must be this
	// NotClass, 4 or 5, is a class the code must not have: "Connection
	// refused" in a 5xx is the server's refusal, no failed connection,
	// while a bounce's words with no code still mean one.
	NotClass Class `json:"not_class"`
	// Final, when set, requires the code to be (true) or not to be (false)
	// a DSN's final status.
	Final *bool `json:"final"`
	// AtStart requires a phrase to open the server's words, not merely to
	// occur in them: au's filter answers "550 : User unknown", with no
	// address before the colon.
	AtStart bool `json:"at_start"`
	// Commands, when set, lists the SMTP commands the reply must have
	// answered for the rule to apply; "" stands for a command the text
	// does not name.
	Commands []string `json:"commands"`
	// AtData keeps the rule's reason in a reply to DATA, where words that
	// deny the recipient are otherwise a filter's (not_at_rcpt): Yahoo and
	// AOL check the recipient after the message ("dd This user doesn't
	// have a yahoo.com account"), so there the words mean what they say.
	AtData bool `json:"at_data"`
	// Precise keeps the rule's reason over a provider's own meaning of the
	// reply: its words name which of the causes that meaning leaves open
	// it is (Mimecast's "MCSpamSignature" under "rejected due to security
	// policies", which is a virus or a spam score).
	Precise bool `json:"precise"`
	// Variant, when set, gives the verdict words of its own (see
	// Verdict.Variant); every language must have them.
	Variant string `json:"variant"`
	// With, when set, lists words the text must also hold for the rule to
	// apply: Orange's and La Poste's numbered codes ("OFR006_103",
	// "LPN007_510") are read by their number ("_103") only beside the
	// prefix of such a code.
	With []string `json:"with"`
	// Next, when set, replaces the reason's own actor, bounce and action
	// for the words of this rule: a mail loop is a networkerror, as
	// sisimai has it, but no retry clears it.
	Next *reasonInfo `json:"next"`

	enhanced  []Enhanced // parsed; Class 0 for "X"
	withGroup int        // the group of With's words, or -1
}

// applies reports whether the rule, whose words the text holds, decides
// for code: its conditions hold, and found has its With words too.
func (r *phraseRule) applies(found *groupSet, code Code, final bool, command string) bool {
	return r.matches(code, final, command) && (r.withGroup < 0 || found.has(r.withGroup))
}

func (r *phraseRule) matches(code Code, final bool, command string) bool {
	if r.Class != 0 && code.Class() != r.Class || r.NotClass != 0 && code.Class() == r.NotClass {
		return false
	}
	if r.Commands != nil && !slices.Contains(r.Commands, command) {
		return false
	}
	if r.Final != nil && *r.Final != final {
		return false
	}
	if len(r.enhanced) == 0 {
		return true
	}
	for _, e := range r.enhanced {
		if code.Enhanced.Subject == e.Subject && code.Enhanced.Detail == e.Detail &&
			!code.Enhanced.IsZero() && (e.Class == 0 || e.Class == code.Enhanced.Class) {
			return true
		}
	}
	return false
}

// maxReasonText bounds the server's text read for its reason: a real reply
// is one or a few lines, and Classify must stay cheap on anything.
const maxReasonText = 2048

// Failure is what is known of one failed step of a delivery.
type Failure struct {
	Code Code
	// ServerText is the server's words on the code.
	ServerText string
	// ProviderKey names the provider's own meaning of the code
	// ("gmail/X.7.26"), or is "".
	ProviderKey string
	// Blocklist is the blocklist the text names (Catalog.Detect), or nil.
	Blocklist *Blocklist
	// Final says the code is a recipient's final status in a delivery
	// status notification: unless Delayed, the sending server has stopped
	// retrying, so a transient failure there means it gave up.
	Final bool
	// Delayed says the final status is a delay warning's: the sending
	// server still has the message and keeps retrying.
	Delayed bool
	// Command is the SMTP command the reply answered when the text says
	// ("DATA", "RCPT", "MAIL", "HELO"), or "". A refusal at DATA comes after
	// the server accepted the recipient.
	Command string
}

// Classify finds the verdict on a failure. It returns false for a code
// that is not a failure (2xx, 3xx).
//
// The reason comes from the provider's documented meaning of its reply
// where there is one, else from the server's words, else from the code;
// hard or soft from the reason, else the words, else the first digit. It
// reads at most the first 2 KB of serverText, in one pass, and does not
// allocate.
func (c *Catalog) Classify(f Failure) (Verdict, bool) {
	code, serverText, providerKey := f.Code, f.ServerText, f.ProviderKey
	class := code.Class()
	if class != ClassTransientNegative && class != ClassPermanentNegative {
		return Verdict{}, false
	}
	r := c.reasonRules()
	var found groupSet
	if len(serverText) > maxReasonText {
		serverText = serverText[:maxReasonText]
	}
	r.scanWords(serverText, &found)
	// After a transient failure the sending server retries, unless a
	// report, or the words of the line pasted out of it ("451 4.4.7
	// Delivery time expired"), say it gave up: then no retry is coming.
	// A delay warning's words say it still retries.
	gaveUp := class == ClassTransientNegative && !f.Delayed && (f.Final || found.has(r.gaveUpGroup))
	retrying := class == ClassTransientNegative && !gaveUp
	for _, i := range r.atStart {
		if opensWith(serverText, r.rules[i].Text) {
			found.add(uint8(i))
		}
	}
	v := Verdict{Reason: ReasonUndefined, Source: SourceCode}
	var rule *phraseRule // the rule whose words decided
	if !found.empty() {
		for i := range r.rules {
			if found.has(i) && r.rules[i].applies(&found, code, f.Final, f.Command) {
				rule = &r.rules[i]
				v.Reason, v.Source = rule.Reason, SourceWords
				break
			}
		}
	}
	if v.Source == SourceWords && providerKey != "" && !rule.Precise {
		// A provider's documented meaning of its own reply is more
		// precise than a generic word in it ("this message has been
		// blocked" in Gmail's spam verdict): the card must not follow
		// the provider's meaning with advice that contradicts it.
		if reason, ok := r.providers[providerKey]; ok && reason != v.Reason {
			v.Reason, v.Source, rule = reason, SourceProvider, nil
		}
	}
	variant := ""
	if v.Source == SourceWords && notAtRcpt(f.Command, code) && !rule.AtData && (f.Command != "" || !found.has(r.atRcptGroup)) {
		// Words that deny the recipient, where the bounce does not show
		// they answered RCPT TO, are most often a filter's. A code that
		// names the reason itself, or says the mailbox is gone from here
		// (X.1.6, Comcast's "550 5.1.6 not our customer"), a provider's
		// own meaning, a local delivery agent, which looked the mailbox
		// up, and (with no command named) words said only at RCPT TO keep
		// them.
		if to, ok := r.notAtRcpt[v.Reason]; ok && r.byCode(code) != v.Reason && r.byCode(code) != ReasonHasMoved &&
			r.providers[providerKey] != v.Reason && !found.has(r.agentGroup) {
			v.Reason, rule, variant = to.Reason, nil, to.Variant
		}
	}
	if v.Source == SourceWords && f.Command == "MAIL" {
		// No recipient is named before MAIL FROM is accepted: an unknown
		// address or domain there is the sender's.
		if to, ok := r.mailPhase[v.Reason]; ok {
			v.Reason, rule = to, nil
		}
	}
	if f.Blocklist != nil {
		v.Blocklist = f.Blocklist
		if v.Source != SourceWords {
			v.Reason, v.Source = ReasonBlocked, SourceWords
		}
	}
	if v.Source != SourceWords {
		if reason, ok := r.providers[providerKey]; ok && providerKey != "" {
			v.Reason, v.Source = reason, SourceProvider
		} else if f.Final && class == ClassTransientNegative && r.finalTransient != "" && !found.has(r.hardGroup) {
			// A report's final transient status: the message expired in
			// the queue (or, in a delay warning, is still there), unless
			// the words said the refusal was permanent ("451 4.7.1
			// Permanent rejection for this host"), which the code's own
			// reason then carries.
			v.Reason = r.finalTransient
		} else {
			v.Reason = r.byCode(code)
			// A code that says nothing more, in reply to MAIL FROM or
			// EHLO, refuses the sender or the client host. A 4xx to MAIL
			// FROM whose words say to come back later ("421 4.7.0 Try
			// again later, closing connection") defers the session and
			// names no fault in the sender's address. Some reply codes
			// mean something of their own at a command (replyPhase).
			if to, ok := r.replyPhase[f.Command][code.Reply]; ok {
				v.Reason = to
			} else if to, ok := r.codePhase[f.Command][v.Reason]; ok && !(f.Command == "MAIL" && retrying && found.has(r.softGroup)) {
				v.Reason = to
			}
		}
	}
	info := r.info[v.Reason]
	if rule != nil && rule.Next != nil {
		info = *rule.Next
	}
	stepVariant, providerStep := "", false
	if n, ok := r.providerNext[providerKey]; ok && (v.Source == SourceProvider || n.Reason == v.Reason) {
		// The provider's meaning decided, or the words agree with it.
		info, stepVariant, providerStep = n.reasonInfo, n.Variant, true
	}
	n, ok := r.codeNext[exactKey{code.Enhanced.Class, subjectDetail{code.Enhanced.Subject, code.Enhanced.Detail}}]
	if code.Enhanced.IsZero() {
		n, ok = r.replyNext[code.Reply]
	}
	if ok && v.Source != SourceProvider && v.Reason == n.Reason && (rule == nil || rule.Next == nil) && (!n.CodeAlone || v.Source == SourceCode) {
		// The words, if any, agree with the code: its registered meaning
		// says what to do.
		info, stepVariant = n.reasonInfo, n.Variant
	}
	if v.Source == SourceCode && class == ClassTransientNegative && !c.usedInItsClass(code.Enhanced) {
		// "451 4.6.3": a code the registry uses only for permanent
		// failures, sent as a transient one. Its subject says what kind
		// of trouble it is, but not that retries will fail: the server
		// said they may not, and the card shows the class's texts.
		info.Bounce = "class"
		if info.Action4xx == "" {
			// The wait is the sending side's: its server retries.
			info.Actor, info.Action4xx = ActorSenderAdmin, ActionWaitServerRetries
		}
	}
	if rule != nil {
		variant = rule.Variant
	}
	if variant == "" {
		variant = stepVariant
	}
	v.Variant, v.GaveUp = variant, gaveUp
	v.Actor, v.Action = info.Actor, info.Action
	if retrying && info.Action4xx != "" {
		v.Action = info.Action4xx
	}
	if !providerStep {
		// A provider that documents its own step for a list's delay
		// (Proofpoint's: it lifts in minutes) is not overruled by it.
		v.delist()
	}
	soft, hard := r.bounceWords(&found)
	v.Bounce, v.Basis = bounceOf(info.Bounce, class, soft, hard)
	switch {
	case info.Bounce == "hard" && soft && retrying && v.Blocklist == nil:
		// "450 4.2.0 Mailbox temporarily unavailable": a reason hard by
		// nature, words that say it is temporary; after a 4xx the
		// server retries.
		v.Action = ActionWaitServerRetries
	case v.Basis == BasisWords && v.Bounce == BounceHard && class == ClassTransientNegative &&
		v.Action == info.Action4xx && info.Action != "" && v.Blocklist == nil:
		// The words say retries will not cure it ("Permanent
		// rejection for this host"): waiting is no next step.
		v.Action = info.Action
	}
	return v, true
}

// bounceOf decides hard or soft: by the reason's nature ("hard", "soft",
// or "class" to leave it to the rest), then by the words, then by the
// code's class. A reason hard by nature is soft where the words say it is
// temporary ("550 5.2.1 Mailbox temporarily disabled"); words also turn a
// class's default ("451 4.7.1 Permanent rejection for this host"). With no
// class (a bounce's words alone), and no words that decide, it returns no
// bounce. soft and hard are bounceWords': never both.
func bounceOf(nature string, class Class, soft, hard bool) (Bounce, Basis) {
	switch {
	case nature == "hard" && soft:
		return BounceSoft, BasisWords
	case nature == "hard":
		return BounceHard, BasisReason
	case nature == "soft":
		return BounceSoft, BasisReason
	case soft && class != ClassTransientNegative:
		return BounceSoft, BasisWords
	case hard && class != ClassPermanentNegative:
		return BounceHard, BasisWords
	case class == ClassTransientNegative:
		return BounceSoft, BasisClass
	case class == ClassPermanentNegative:
		return BounceHard, BasisClass
	}
	return "", ""
}

// bounceWords reports whether the words found say the failure is
// temporary (soft) or permanent (hard). Words that say both
// ("permanently deferred; retrying will not succeed") are hard only: the
// soft word names the state, the hard one the outcome.
func (r *reasonData) bounceWords(found *groupSet) (soft, hard bool) {
	hard = found.has(r.hardGroup)
	return found.has(r.softGroup) && !hard, hard
}

// scanWords marks in found the groups whose phrases occur in text (at
// most maxReasonText bytes), with e-mail addresses blanked: a local part
// like "filtered@" says nothing.
func (r *reasonData) scanWords(text string, found *groupSet) {
	if strings.IndexByte(text, '@') >= 0 {
		var buf [maxReasonText]byte
		scan(r.phrases, blankAddresses(buf[:0], text), found)
	} else {
		scan(r.phrases, text, found)
	}
}

// delist makes the next step a blocklist's delisting where the sender's
// mail admin acts on a blocklist the text names.
func (v *Verdict) delist() {
	if v.Blocklist != nil && v.Actor == ActorSenderAdmin {
		v.Action = ActionRequestDelisting
		if v.Blocklist.Delist == "" {
			// A list that has shut down (SORBS) delists nobody: only the
			// receiving server's admin can stop querying it.
			v.Action, v.Actor = ActionContactRecipient, ActorRecipientSide
		}
	}
}

// notAtRcpt reports whether the bounce shows a reply that refused a
// recipient elsewhere than at RCPT TO: in reply to DATA (as the bounce
// has it: Sendmail prints a pipelined RCPT TO's reply under ">>> DATA"
// too, which the verdict's words allow for); or, when the bounce does not
// name the command, with an enhanced code that says the mailbox exists
// (X.2.x) or that a policy refused the message (X.7.x).
func notAtRcpt(command string, code Code) bool {
	switch command {
	case "DATA":
		return true
	case "":
		s := code.Enhanced.Subject
		return !code.Enhanced.IsZero() && (s == 2 || s == 7)
	}
	return false
}

// usedInItsClass reports whether the registry uses en in its class; a
// code not registered, or none, counts as used.
func (c *Catalog) usedInItsClass(en Enhanced) bool {
	if en.IsZero() {
		return true
	}
	e, ok := c.Enhanced(en)
	if !ok {
		return true
	}
	_, used := e.In(Class(en.Class))
	return used
}

// byCode is the reason the code alone suggests: the exact enhanced code,
// then its class-free key, then the reply code. An enhanced code that says
// nothing ("undefined") leaves the word to the reply code.
func (r *reasonData) byCode(code Code) Reason {
	if !code.Enhanced.IsZero() {
		k := subjectDetail{code.Enhanced.Subject, code.Enhanced.Detail}
		if reason, ok := r.exact[exactKey{code.Enhanced.Class, k}]; ok {
			return reason
		}
		if reason, ok := r.enhanced[k]; ok && reason != ReasonUndefined {
			return reason
		}
	}
	if !code.Reply.IsZero() {
		if reason, ok := r.replies[code.Reply]; ok {
			return reason
		}
	}
	return ReasonUndefined
}

// opensWith reports whether s, past leading blanks, starts with one of the
// lowercase phrases, in any case.
func opensWith(s string, phrases []string) bool {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for _, p := range phrases {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return true
		}
	}
	return false
}

// blankAddresses appends s to dst with every e-mail address made one
// space: an address's local part ("filtered@", "spam-reports@") says
// nothing about why delivery failed.
func blankAddresses(dst []byte, s string) []byte {
	tokenStart := 0
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case isSpace(b) || isAddressDelimiter(b):
			dst = append(dst, b)
			tokenStart = len(dst)
		case b == '@':
			// Drop the local part already copied, then skip the domain.
			dst = append(dst[:tokenStart], ' ')
			for i+1 < len(s) && !isAddressDelimiter(s[i+1]) && !isSpace(s[i+1]) {
				i++
			}
			tokenStart = len(dst)
		default:
			dst = append(dst, b)
		}
	}
	return dst
}

func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v'
}

// isAddressDelimiter reports whether b ends an address in running text:
// "<a@b>", "(a@b)", "a@b," "a@b:".
func isAddressDelimiter(b byte) bool {
	switch b {
	case '<', '>', '(', ')', '[', ']', '"', '\'', ',', ';', ':':
		return true
	}
	return false
}
