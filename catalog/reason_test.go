package catalog

import (
	"bufio"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestClassifyCases checks the rules of data/reasons.json against the
// server texts in testdata/reasons.txt: real-world replies, each with the
// reason it carries and, where given, hard or soft.
func TestClassifyCases(t *testing.T) {
	c := loadCatalog(t)
	f, err := os.Open("testdata/reasons.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		fields := strings.Split(s, " |")
		if len(fields) < 3 {
			t.Fatalf("reasons.txt:%d: want 'reason | code | text [| hard|soft] [| final] [| data|mail|helo|rcpt]'", line)
		}
		want, codeText, text := Reason(fields[0]), strings.TrimSpace(fields[1]), strings.TrimPrefix(fields[2], " ")
		code, err := Parse(codeText)
		if err != nil {
			t.Fatalf("reasons.txt:%d: %v", line, err)
		}
		var bounce Bounce
		final, command := false, ""
		for _, flag := range fields[3:] {
			switch flag = strings.TrimSpace(flag); flag {
			case "hard", "soft":
				bounce = Bounce(flag)
			case "final":
				final = true
			case "data", "mail", "helo", "rcpt":
				command = strings.ToUpper(flag)
			default:
				t.Fatalf("reasons.txt:%d: unknown flag %q", line, flag)
			}
		}
		// The provider's own meaning, as an explanation finds it: it
		// outranks most words.
		meaning, _ := c.ProviderMeaning(c.DetectProvider(text), code, text)
		v, ok := c.Classify(Failure{Code: code, ServerText: text, Final: final, Command: command, ProviderKey: meaning.Key})
		if !ok {
			t.Errorf("reasons.txt:%d: %s is not a failure", line, codeText)
			continue
		}
		if v.Reason != want {
			t.Errorf("reasons.txt:%d: %s %q: reason %s (from %s), want %s", line, codeText, text, v.Reason, v.Source, want)
		}
		if bounce != "" && v.Bounce != bounce {
			t.Errorf("reasons.txt:%d: %s %q: %s bounce (by %s), want %s", line, codeText, text, v.Bounce, v.Basis, bounce)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("only %d cases read from testdata/reasons.txt", n)
	}
}

// TestClassifyGaveUp: a 4.x.x that a report gives as a recipient's final
// status ("Action: failed") is one the sending server stopped retrying, so
// its next step is not to wait for retries; a delay warning's is.
func TestClassifyGaveUp(t *testing.T) {
	c := loadCatalog(t)
	tests := []struct {
		code, text     string
		final, delayed bool
		action         Action
		gaveUp         bool
	}{
		{"452 4.2.2", "Mailbox is full", true, false, ActionRetryLater, true},
		{"452 4.2.2", "Mailbox is full", true, true, ActionWaitServerRetries, false},
		{"452 4.2.2", "Mailbox is full", false, false, ActionWaitServerRetries, false},
		{"4.4.7", "delivery time expired", true, false, ActionRetryLater, true},
		// Out of its report, the words say the server gave up; a delay
		// warning's do not, and a live deferral's neither.
		{"451 4.4.7", "Delivery time expired", false, false, ActionRetryLater, true},
		{"451 4.4.7", "Delivery time expired", false, true, ActionWaitServerRetries, false},
		{"421 4.4.2", "retry timeout exceeded", false, false, ActionRetryLater, true},
		{"451 4.4.1", "Connection timed out", false, false, ActionWaitServerRetries, false},
		{"550 5.2.2", "Mailbox is full", true, false, ActionRetryLater, false},
		// Greylisting waits for retries, unless the server gave up.
		{"451 4.7.1", "Greylisted, please try again later", false, false, ActionWaitServerRetries, false},
		{"451 4.7.1", "Greylisted, please try again later", true, false, ActionRetryLater, true},
		// Words that say the refusal is permanent: no expiry, a hard bounce.
		{"451 4.7.1", "Permanent rejection for this host", true, false, ActionFixSendingConfig, true},
	}
	for _, tt := range tests {
		code, err := Parse(tt.code)
		if err != nil {
			t.Fatal(err)
		}
		v, ok := c.Classify(Failure{Code: code, ServerText: tt.text, Final: tt.final, Delayed: tt.delayed})
		if !ok || v.Action != tt.action || v.GaveUp != tt.gaveUp {
			t.Errorf("%s %q (final %v, delayed %v): action %s, gave up %v; want %s, %v",
				tt.code, tt.text, tt.final, tt.delayed, v.Action, v.GaveUp, tt.action, tt.gaveUp)
		}
	}
}

// TestClassifyNextSteps: a code's or a provider's documented meaning sets
// the next step, and words of the reason's own where its definition would
// not hold. SPF's temperror (4.7.24, or the word in a 4xx) is a check that
// could not finish for the time being, not one the message failed: the
// retries are left to run. The words still decide where they name another
// reason, and 5.7.24 (permerror) is a record to fix.
func TestClassifyNextSteps(t *testing.T) {
	c := loadCatalog(t)
	tests := []struct {
		code, text string
		reason     Reason
		action     Action
		variant    string
	}{
		{"451 4.7.24", "SPF validation error: temporary DNS failure", ReasonAuthFailure, ActionWaitServerRetries, "temperror"},
		{"451 4.7.24", "", ReasonAuthFailure, ActionWaitServerRetries, "temperror"},
		{"451 4.7.1", "DMARC temperror for example.com", ReasonAuthFailure, ActionWaitServerRetries, "temperror"},
		{"451 4.7.1", "SPF check failed for example.com", ReasonAuthFailure, ActionFixSendingConfig, ""},
		{"550 5.7.24", "SPF validation error: permerror", ReasonAuthFailure, ActionFixSendingConfig, ""},
		{"451 4.7.24", "Client host blocked using zen.spamhaus.org", ReasonBlocked, ActionRequestDelisting, ""},
		// A provider's meaning sets the step and the words the same way:
		// Microsoft's throttle after repeated errors is no volume limit to
		// wait out, and a forward its policy refused is the forwarding
		// organization's to allow.
		{"550 5.2.252", "Sender throttled due to continuous send as denied errors. [AM0PR01MB1234.eurprd01.prod.outlook.com]",
			ReasonRateLimited, ActionFixSendingConfig, "after_errors"},
		{"550 5.7.520", "Access denied, Your organization does not allow external forwarding. AS(7555) [DB8EUR05FT012.eop-eur05.prod.protection.outlook.com]",
			ReasonPolicyViolation, ActionContactRecipient, "forwarding"},
		{"554 5.2.252", "SendAsDenied; a@example.com not allowed to send as b@example.org; STOREDRV.Submission.Exception:SendAsDeniedException",
			ReasonSecurityError, ActionFixSendingConfig, ""},
		{"550 5.7.30", "Basic authentication is not supported for Client Submission. [AM0PR01MB1234.eurprd01.prod.outlook.com]",
			ReasonSecurityError, ActionFixSendingConfig, "basic_auth"},
		// Yahoo's 5.7.9 is a policy refusal its own page puts down to
		// failed authentication: the step is SPF, DKIM and DMARC, not
		// "change the attachment or ask the recipient".
		{"554 5.7.9", "Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes",
			ReasonPolicyViolation, ActionFixSendingConfig, "authentication"},
		// Too many recipients: a 4xx leaves the rest for the retry; a 5xx
		// fails the same way until the list is split.
		{"550 5.5.3", "Too many recipients", ReasonTooManyConn, ActionFixSendingConfig, "recipients"},
		{"554", "Too many recipients for this message", ReasonTooManyConn, ActionFixSendingConfig, "recipients"},
		{"452 4.5.3", "Too many recipients", ReasonTooManyConn, ActionWaitServerRetries, ""},
		// QQ counts the messages an IP, sender or domain sends per minute,
		// hour or day: sisimai's toomanyconn, in words of its own; its
		// "Connection frequency limited" is the connections.
		{"550", "Ip frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000725", ReasonTooManyConn, ActionRetryLater, "frequency"},
		{"550", "Connection frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000722", ReasonTooManyConn, ActionRetryLater, ""},
		// Postfix's 450 for a domain it could not look up for now waits;
		// a 550 for one that does not exist is an address to remove.
		{"450 4.1.2", "<a@example.net>: Recipient address rejected: Domain not found", ReasonHostUnknown, ActionWaitServerRetries, ""},
		{"550 5.1.2", "<a@example.net>: Recipient address rejected: Domain not found", ReasonHostUnknown, ActionRemoveAddress, ""},
		// An MX that loops back is a loop to find, not a fault that clears.
		{"554 5.4.4", "SMTPSEND.DNS.MxLoopback; DNS config error", ReasonNetworkError, ActionFindLoop, ""},
		{"554", "Mail for example.org loops back to myself", ReasonSystemError, ActionFindLoop, ""},
		// 4.7.12: sign in once with the password; retries get 432 again.
		{"432 4.7.12", "A password transition is needed", ReasonSecurityError, ActionFixSendingConfig, "password_transition"},
	}
	for _, tt := range tests {
		v, _, ok := classifyPasted(t, c, tt.code, tt.text)
		if !ok || v.Reason != tt.reason || v.Action != tt.action || v.Variant != tt.variant {
			t.Errorf("%s %q: %s, %s, variant %q; want %s, %s, %q", tt.code, tt.text, v.Reason, v.Action, v.Variant, tt.reason, tt.action, tt.variant)
		}
	}
}

// TestClassifyVerdict checks the parts of a verdict beyond the reason:
// where the reason came from, the action, the blocklist, and why the bounce
// is hard or soft.
func TestClassifyVerdict(t *testing.T) {
	c := loadCatalog(t)
	tests := []struct {
		code, text, provider string
		want                 Verdict
		blocklistURL         string
	}{
		// The server's words decide before the code: 5.7.1 is four reasons.
		{"550 5.7.1", "Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", "",
			Verdict{Reason: ReasonBlocked, Source: SourceWords, Action: ActionRequestDelisting, Actor: ActorSenderAdmin, Bounce: BounceHard, Basis: BasisClass},
			"https://check.spamhaus.org/"},
		{"550 5.7.1", "Email rejected per DMARC policy for example.com", "",
			Verdict{Reason: ReasonAuthFailure, Source: SourceWords, Action: ActionFixSendingConfig, Actor: ActorSenderAdmin, Bounce: BounceHard, Basis: BasisClass}, ""},
		{"550 5.7.1", "<jdoe@example.com>: Recipient address rejected: User unknown", "",
			Verdict{Reason: ReasonUserUnknown, Source: SourceWords, Action: ActionRemoveAddress, Actor: ActorSender, Bounce: BounceHard, Basis: BasisReason}, ""},
		// "User unknown" with a code that says the mailbox exists, and
		// no command named: a filter's refusal, in words of its own.
		{"550 5.2.1", "<jdoe@example.com>... User Unknown", "",
			Verdict{Reason: ReasonFiltered, Source: SourceWords, Action: ActionContactRecipient, Actor: ActorRecipientSide, Bounce: BounceHard, Basis: BasisReason, Variant: "said_unknown"}, ""},
		{"550 5.7.1", "Relay access denied", "",
			Verdict{Reason: ReasonNoRelaying, Source: SourceWords, Action: ActionFixSendingConfig, Actor: ActorSenderAdmin, Bounce: BounceHard, Basis: BasisReason}, ""},
		// A provider that documents its own next step gives it: Microsoft
		// lifts its 4.7.500-699 restriction by itself, so the retries run.
		{"451 4.7.500", "Server busy. Please try again later from [192.0.2.2]. (S77719)", "microsoft/4.7.5xx",
			Verdict{Reason: ReasonBlocked, Source: SourceProvider, Action: ActionWaitServerRetries, Actor: ActorSenderAdmin, Bounce: BounceSoft, Basis: BasisReason}, ""},
		// A code the registry uses only for permanent failures, sent as a
		// transient one: its subject gives the reason, but not a hard
		// bounce or a fix before the retries run.
		{"451 4.6.0", "Error", "",
			Verdict{Reason: ReasonContentError, Source: SourceCode, Action: ActionWaitServerRetries, Actor: ActorSenderAdmin, Bounce: BounceSoft, Basis: BasisClass}, ""},
		// The provider's meaning comes before the code's.
		{"550 5.1.10", "", "microsoft/5.1.10",
			Verdict{Reason: ReasonUserUnknown, Source: SourceProvider, Action: ActionRemoveAddress, Actor: ActorSender, Bounce: BounceHard, Basis: BasisReason}, ""},
		// Gmail's spam verdict says "this message has been blocked", and
		// is no block of the sending host: its words say spam, as its
		// meaning does ("has been blocked" alone names no host; FortiGate
		// says it of content).
		{"550 5.7.1", "Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked.", "gmail/unsolicited",
			Verdict{Reason: ReasonSpamDetected, Source: SourceWords, Action: ActionReviewContent, Actor: ActorSenderAdmin, Bounce: BounceHard, Basis: BasisClass}, ""},
		// Yahoo's [PH01]: its own words and page say "policy reasons"
		// (content against Yahoo Mail's policies), as sisimai reads it;
		// the words agree, so they are the source.
		{"554", "Message not allowed - [PH01] Email not accepted for policy reasons. Please visit [120]", "yahoo/PH01",
			Verdict{Reason: ReasonPolicyViolation, Source: SourceWords, Action: ActionFixSendingConfig, Actor: ActorSenderAdmin, Bounce: BounceHard, Basis: BasisClass}, ""},
		{"550 5.1.10", "", "",
			Verdict{Reason: ReasonNotAccept, Source: SourceCode, Action: ActionRemoveAddress, Actor: ActorSender, Bounce: BounceHard, Basis: BasisReason}, ""},
		// RFC 3463: X.2.2 is a persistent transient failure, soft under 5xx;
		// nobody retries a 5xx, so it is resent by hand.
		{"552 5.2.2", "", "",
			Verdict{Reason: ReasonMailboxFull, Source: SourceCode, Action: ActionRetryLater, Actor: ActorRecipientSide, Bounce: BounceSoft, Basis: BasisReason}, ""},
		{"452 4.2.2", "", "",
			Verdict{Reason: ReasonMailboxFull, Source: SourceCode, Action: ActionWaitServerRetries, Actor: ActorRecipientSide, Bounce: BounceSoft, Basis: BasisReason}, ""},
		// 4.2.0 names no cause (RFC 3463: "something about the
		// destination mailbox"), so a 4xx of it is no filter's hard
		// refusal: the server retries.
		{"450 4.2.0", "Mailbox temporarily unavailable", "",
			Verdict{Reason: ReasonUndefined, Source: SourceCode, Action: ActionWaitServerRetries, Actor: ActorSenderAdmin, Bounce: BounceSoft, Basis: BasisClass}, ""},
		{"450 4.2.0", "Requested action not taken", "",
			Verdict{Reason: ReasonUndefined, Source: SourceCode, Action: ActionWaitServerRetries, Actor: ActorSenderAdmin, Bounce: BounceSoft, Basis: BasisClass}, ""},
		// "Temporarily" softens a reason hard by nature under 5xx too.
		{"550 5.2.1", "Mailbox temporarily unavailable", "",
			Verdict{Reason: ReasonSuspend, Source: SourceCode, Action: ActionContactRecipient, Actor: ActorRecipientSide, Bounce: BounceSoft, Basis: BasisWords}, ""},
		// A 4xx for a disabled mailbox is effectively hard.
		{"450 4.2.1", "Mailbox disabled, not accepting messages", "",
			Verdict{Reason: ReasonSuspend, Source: SourceWords, Action: ActionContactRecipient, Actor: ActorRecipientSide, Bounce: BounceHard, Basis: BasisReason}, ""},
		// A 5xx that asks to try again later is soft, by its words.
		{"554 5.7.1", "Service temporarily unavailable, please try again later", "",
			Verdict{Reason: ReasonSecurityError, Source: SourceCode, Action: ActionFixSendingConfig, Actor: ActorSenderAdmin, Bounce: BounceSoft, Basis: BasisWords}, ""},
		// A 4xx security or policy deferral with no telling words: the
		// server retries, and greylisting often looks like this, so the
		// next step is to wait, not to change the setup.
		{"451 4.7.1", "Service unavailable - try again later", "",
			Verdict{Reason: ReasonSecurityError, Source: SourceCode, Action: ActionWaitServerRetries, Actor: ActorSenderAdmin, Bounce: BounceSoft, Basis: BasisClass}, ""},
		// A 4xx that says it is permanent is hard, by its words.
		{"421 4.7.0", "Permanent rejection for this host", "",
			Verdict{Reason: ReasonSecurityError, Source: SourceCode, Action: ActionFixSendingConfig, Actor: ActorSenderAdmin, Bounce: BounceHard, Basis: BasisWords}, ""},
		// A 4xx blocklist deferral: the server retries, but delisting is
		// what helps.
		{"450 4.7.1", "Client host rejected: see https://ipcheck.proofpoint.com/?ip=192.0.2.1 (dnsbl-lookup)", "",
			Verdict{Reason: ReasonBlocked, Source: SourceWords, Action: ActionRequestDelisting, Actor: ActorSenderAdmin, Bounce: BounceSoft, Basis: BasisClass},
			"https://ipcheck.proofpoint.com/"},
		// Microsoft's own list of banned sending IPs: delisting at its
		// portal, which the reply names, not a DNS or SPF fix.
		{"550 5.7.606", "Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/ and follow the directions.", "",
			Verdict{Reason: ReasonBlocked, Source: SourceWords, Action: ActionRequestDelisting, Actor: ActorSenderAdmin, Bounce: BounceHard, Basis: BasisClass},
			"https://sender.office.com/"},
		// SORBS has shut down: nobody can delist, so the recipient's admin
		// must stop querying it, and the sender cannot fix it alone.
		{"554 5.7.1", "Service unavailable; Client host [192.0.2.1] blocked using dnsbl.sorbs.net", "",
			Verdict{Reason: ReasonBlocked, Source: SourceWords, Action: ActionContactRecipient, Actor: ActorRecipientSide, Bounce: BounceHard, Basis: BasisClass}, ""},
		// A timeout in a final report means the message expired in the
		// queue; in a live deferral it is a network error, still retried.
		{"4.4.1", "connect to mx.example.net[192.0.2.1]:25: Connection timed out", "",
			Verdict{Reason: ReasonNetworkError, Source: SourceWords, Action: ActionWaitServerRetries, Actor: ActorSenderAdmin, Bounce: BounceSoft, Basis: BasisReason}, ""},
		// A mail loop is a network error, as sisimai has it, but waiting
		// does not clear it: someone must find the server sending it back.
		{"554 5.4.6", "Hop count exceeded - possible mail loop", "",
			Verdict{Reason: ReasonNetworkError, Source: SourceWords, Action: ActionFindLoop, Actor: ActorSenderAdmin, Bounce: BounceHard, Basis: BasisClass}, ""},
		// An address's local part says nothing: "filtered@" is not a filter.
		{"550 5.1.1", "<filtered@example.com>... User Unknown", "",
			Verdict{Reason: ReasonUserUnknown, Source: SourceWords, Action: ActionRemoveAddress, Actor: ActorSender, Bounce: BounceHard, Basis: BasisReason}, ""},
		{"550", "<spam-trap@example.com>: no comment", "",
			Verdict{Reason: ReasonUndefined, Source: SourceCode, Action: ActionInvestigate, Actor: ActorSenderAdmin, Bounce: BounceHard, Basis: BasisClass}, ""},
	}
	for _, tt := range tests {
		code, err := Parse(tt.code)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := c.Classify(Failure{Code: code, ServerText: tt.text, ProviderKey: tt.provider, Blocklist: c.DetectBlocklist(tt.text)})
		if !ok {
			t.Errorf("%s %q: not a failure", tt.code, tt.text)
			continue
		}
		url := ""
		if got.Blocklist != nil {
			url = got.Blocklist.Delist
		}
		got.Blocklist = nil
		if got != tt.want || url != tt.blocklistURL {
			t.Errorf("%s %q:\n got %+v list %q\nwant %+v list %q", tt.code, tt.text, got, url, tt.want, tt.blocklistURL)
		}
	}
}

// TestClassifyNotFailure: a success or an intermediate reply has no reason.
func TestClassifyNotFailure(t *testing.T) {
	c := loadCatalog(t)
	for _, s := range []string{"250", "250 2.1.5", "354", "2.0.0"} {
		code, _ := Parse(s)
		if v, ok := c.Classify(Failure{Code: code, ServerText: "User unknown"}); ok {
			t.Errorf("%s: got a verdict %+v for a code that is not a failure", s, v)
		}
	}
}

// TestReasonActors: every reason's actor is a party its actions address,
// so the card's "who has to act" never contradicts its next step.
func TestReasonActors(t *testing.T) {
	c := loadCatalog(t)
	for _, r := range Reasons() {
		info := c.reasonRules().info[r]
		for _, a := range []Action{info.Action, info.Action4xx} {
			if a != "" && !slices.Contains(ActorsFor(a), info.Actor) {
				t.Errorf("reason %s: actor %s cannot %s (only %v)", r, info.Actor, a, ActorsFor(a))
			}
		}
	}
	for i, rule := range c.reasonRules().rules {
		if rule.Next == nil {
			continue
		}
		for _, a := range []Action{rule.Next.Action, rule.Next.Action4xx} {
			if a != "" && !slices.Contains(ActorsFor(a), rule.Next.Actor) {
				t.Errorf("phrase rule %d (%s): actor %s cannot %s (only %v)", i+1, rule.Reason, rule.Next.Actor, a, ActorsFor(a))
			}
		}
	}
}

// codeActorExceptions are the codes whose reason's next step addresses
// another party than the code's own fix, each for a reason.
var codeActorExceptions = map[string]string{
	"5.7.2":  "list expansion refused is the list's policy; the sender stops or asks the list, but the reason is still a policy one",
	"5.7.5":  "a cryptographic failure is a security refusal whichever side's keys are at fault",
	"4.7.15": "a priority too low is set by the sender, and refused by the receiving side's policy",
	"5.7.15": "a priority too low is set by the sender, and refused by the receiving side's policy",
}

// TestCodeReasonActors: when the reason comes from the code alone, the
// party its next step addresses is among the parties the code's own fix
// addresses in that class (data/enhanced.json's steps), so the card's top
// and the code's general explanation name the same party.
func TestCodeReasonActors(t *testing.T) {
	c := loadCatalog(t)
	for _, e := range c.Entries() {
		if e.Kind != KindEnhanced {
			continue
		}
		for _, class := range []Class{ClassTransientNegative, ClassPermanentNegative} {
			f, ok := e.In(class)
			if !ok {
				continue
			}
			code, err := Parse(strconv.Itoa(int(class)) + e.Key[1:])
			if err != nil {
				t.Fatal(err)
			}
			v, _ := c.Classify(Failure{Code: code})
			if v.Reason == ReasonUndefined || f.Actors()[0] == ActorNobody {
				continue
			}
			agree := false
			for _, a := range f.Actors() {
				agree = agree || slices.Contains(ActorsFor(v.Action), a)
			}
			if !agree && codeActorExceptions[code.String()] == "" {
				t.Errorf("%s: its fix addresses %v, but its reason %s asks %v to %s", code, f.Actors(), v.Reason, ActorsFor(v.Action), v.Action)
			}
		}
	}
}

// TestReasonProviders: every provider meaning has a reason, and every
// reason given to a provider meaning names one that exists.
func TestReasonProviders(t *testing.T) {
	c := loadCatalog(t)
	keys := map[string]bool{}
	for _, p := range c.Providers() {
		for _, k := range p.Keys() {
			keys[k] = true
			if _, ok := c.reasonRules().providers[k]; !ok {
				t.Errorf("provider meaning %s has no reason in data/reasons.json", k)
			}
		}
	}
	for k := range c.reasonRules().providers {
		if !keys[k] {
			t.Errorf("data/reasons.json gives a reason to %s, which no provider has", k)
		}
	}
}

// TestReasonCodes: every registered enhanced code has a reason of its own
// in data/reasons.json, or is one that reports no failure.
func TestReasonCodes(t *testing.T) {
	c := loadCatalog(t)
	for _, e := range c.Entries() {
		if e.Kind != KindEnhanced {
			continue
		}
		if _, ok := c.reasonRules().enhanced[subjectDetail{mustEnhanced(t, e.Key).Subject, mustEnhanced(t, e.Key).Detail}]; !ok && e.Actor != ActorNobody {
			t.Errorf("%s has no reason in data/reasons.json", e.Key)
		}
	}
}

func mustEnhanced(t *testing.T, key string) Enhanced {
	t.Helper()
	en, err := parseEnhancedKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return en
}

func TestParseReasonsErrors(t *testing.T) {
	b, err := dataFS.ReadFile("data/reasons.json")
	if err != nil {
		t.Fatal(err)
	}
	good := string(b)
	tests := []struct{ name, from, to string }{
		{"unknown reason in a rule", `{"reason": "virusdetected"`, `{"reason": "virus"`},
		{"unknown actor", `"userunknown":     {"actor": "sender"`, `"userunknown":     {"actor": "postmaster"`},
		{"unknown action", `"action": "remove_address"}`, `"action": "panic"}`},
		{"bad bounce", `"bounce": "hard",  "action": "remove_address"}`, `"bounce": "firm",  "action": "remove_address"}`},
		{"bad code", `"X.1.1": "userunknown"`, `"X.1": "userunknown"`},
		{"uppercase phrase", `"out of office"`, `"Out of office"`},
		{"code step for every class", `"4.7.24": {"actor"`, `"X.7.24": {"actor"`},
		{"code step with an unknown action", `"action_4xx": "wait_server_retries", "variant": "temperror"}`, `"action_4xx": "wait", "variant": "temperror"}`},
		{"code step for no code", `"432": {"actor"`, `"43": {"actor"`},
		{"reply phase of an unknown command", `"MAIL": {"552": "mesgtoobig"`, `"MAIL FROM": {"552": "mesgtoobig"`},
		{"reply phase of no reply code", `"MAIL": {"552": "mesgtoobig"`, `"MAIL": {"5.5.2": "mesgtoobig"`},
		{"reply phase to an unknown reason", `{"552": "mesgtoobig"`, `{"552": "toobig"`},
		{"excluded class that is no class", `{"reason": "networkerror", "not_class": 5,`, `{"reason": "networkerror", "not_class": 3,`},
	}
	for _, tt := range tests {
		bad := strings.Replace(good, tt.from, tt.to, 1)
		if bad == good {
			t.Fatalf("%s: %q not found in data/reasons.json", tt.name, tt.from)
		}
		if _, err := parseReasons([]byte(bad)); err == nil {
			t.Errorf("%s: parseReasons accepted it", tt.name)
		}
	}
	if _, err := parseReasons(b); err != nil {
		t.Fatal(err)
	}
}

// TestBlankAddresses: addresses are blanked, the rest kept.
func TestBlankAddresses(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<filtered@example.com>... User Unknown", "< >... User Unknown"},
		{"to jdoe@example.com: over quota", "to  : over quota"},
		{"no address here", "no address here"},
		{"@ alone", "  alone"},
	}
	for _, tt := range tests {
		if got := string(blankAddresses(nil, tt.in)); got != tt.want {
			t.Errorf("blankAddresses(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestPhraseSet checks the automaton against strings.Contains.
func TestPhraseSet(t *testing.T) {
	phrases := []string{"he", "she", "his", "hers", "user unknown", "unknown", "5.1.1"}
	groups := []uint8{0, 1, 2, 3, 4, 5, 6}
	p, err := newPhraseSet(phrases, groups)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"ushers", "USER UNKNOWN", "user \r\n\t unknown", "unknow", "550 5.1.1 his", "", "sHe"} {
		var found groupSet
		scan(p, text, &found)
		folded := strings.Join(strings.Fields(strings.ToLower(text)), " ")
		for i, ph := range phrases {
			want := strings.Contains(folded, ph)
			if found.has(i) != want {
				t.Errorf("%q: phrase %q found=%v, want %v", text, ph, found.has(i), want)
			}
		}
	}
	if _, err := newPhraseSet([]string{""}, []uint8{0}); err == nil {
		t.Error("an empty phrase was accepted")
	}
}

func FuzzClassify(f *testing.F) {
	c, err := Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Add("550 5.7.1", "blocked using zen.spamhaus.org", false, "")
	f.Add("452 4.2.2", "over quota", false, "RCPT")
	f.Add("550", "<a@b>... User unknown", true, "DATA")
	f.Add("4.4.1", "Connection timed out", true, "")
	f.Add("550 5.7.1", "Access denied", false, "MAIL")
	f.Fuzz(func(t *testing.T, codeText, text string, final bool, command string) {
		code, err := Parse(codeText)
		if err != nil {
			return
		}
		v, ok := c.Classify(Failure{Code: code, ServerText: text, Final: final, Command: command})
		if !ok {
			return
		}
		if _, known := c.reasonRules().info[v.Reason]; !known {
			t.Fatalf("unknown reason %q", v.Reason)
		}
		if v.Bounce != BounceHard && v.Bounce != BounceSoft {
			t.Fatalf("bounce %q", v.Bounce)
		}
		if !slices.Contains(ActorsFor(v.Action), v.Actor) {
			t.Fatalf("actor %s cannot %s", v.Actor, v.Action)
		}
	})
}

// BenchmarkClassify classifies a typical Gmail rejection: one pass over its
// words, then the rule lookup.
func BenchmarkClassify(b *testing.B) {
	c, err := Load()
	if err != nil {
		b.Fatal(err)
	}
	code, _ := Parse("550 5.7.26")
	f := Failure{Code: code, ServerText: "This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [example.org] with ip: [198.51.100.7] = did not pass For instructions on setting up authentication, go to https://support.google.com/mail/answer/81126#authentication d2e1a72fcca58-7b0c3c1f4d2si1234567b3a.101 - gsmtp"}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := c.Classify(f); !ok {
			b.Fatal("not a failure")
		}
	}
}

// BenchmarkParseReasons reads reasons.json and builds its phrase
// automaton, which the first bounce of a process pays for (a command-line
// explain of a bounce pays it every run).
func BenchmarkParseReasons(b *testing.B) {
	data, err := dataFS.ReadFile("data/reasons.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseReasons(data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestClassifyWithoutRules: when data/reasons.json does not load, a failure
// is still classified, as "undefined", and nothing panics.
func TestClassifyWithoutRules(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	c.reasonsOnce.Do(func() { c.reasons = &reasonData{} })
	code, _ := Parse("550 5.1.1")
	v, ok := c.Classify(Failure{Code: code, ServerText: "<jdoe@example.com>: User unknown"})
	if !ok || v.Reason != ReasonUndefined {
		t.Errorf("Classify without rules = %+v, %v; want undefined", v, ok)
	}
}

// TestNoPhraseShadowed: the first rule whose phrase matches decides, so a
// phrase that contains a phrase of an earlier rule with no constraint of
// its own can never decide. "domain does not exist" (hostunknown) after
// "does not exist" (userunknown) read a missing domain as a missing
// mailbox.
func TestNoPhraseShadowed(t *testing.T) {
	rules := loadCatalog(t).reasonRules().rules
	for b := range rules {
		for _, later := range rules[b].Text {
			for a := range rules[:b] {
				ra := &rules[a]
				if ra.Reason == rules[b].Reason && ra.Variant == rules[b].Variant {
					continue
				}
				if len(ra.Enhanced) > 0 || ra.Class != 0 || ra.Final != nil || ra.Commands != nil || ra.AtStart {
					continue // it does not always apply where the later rule does
				}
				for _, earlier := range ra.Text {
					if strings.Contains(later, earlier) {
						t.Errorf("phrase %q (rule %d, %s) never decides: rule %d (%s) matches %q first",
							later, b+1, rules[b].Reason, a+1, ra.Reason, earlier)
					}
				}
			}
		}
	}
}

// TestProviderStepsAgreeWithProvider: the top of a card (reason, next
// step, who acts, hard or soft) says what the provider's own meaning
// below it says (docs/reviews/en-truth-provider-steps.md, one row per
// defect it found).
func TestProviderStepsAgreeWithProvider(t *testing.T) {
	c := loadCatalog(t)
	tests := []struct {
		name, code, text string
		reason           Reason
		action           Action
		actor            Actor
		bounce           Bounce
	}{
		{"gmail DMARC check stopped by DNS", "451 4.7.26", "Unauthenticated email from example.com is not accepted due to domain's DMARC policy, but temporary DNS failures prevent authentication. - gsmtp",
			ReasonAuthFailure, ActionWaitServerRetries, ActorSenderAdmin, BounceSoft},
		{"gmail duplicate Message-ID", "421 4.7.28", "Gmail has detected this sender exceeded the quota for sending messages that have the same Message-ID:. To best protect our users, the message has been temporarily rejected. a1si1 - gsmtp",
			ReasonPolicyViolation, ActionFixSendingConfig, ActorSenderAdmin, BounceSoft},
		{"gmail not over TLS", "421 4.7.29", "Your email has been rate limited because this message wasn't sent over a TLS connection. - gsmtp",
			ReasonFailedSTARTTLS, ActionFixSendingConfig, ActorSenderAdmin, BounceSoft},
		{"microsoft IPv6 unauthenticated", "450 4.7.26", "Service unavailable, message sent over IPv6 [2001:db8::25] must pass either SPF or DKIM validation, this message is not signed. [BN8NAM11FT066.eop-nam11.prod.protection.outlook.com]",
			ReasonAuthFailure, ActionFixSendingConfig, ActorSenderAdmin, BounceSoft},
		{"microsoft recipient's block list", "550 5.7.513", "Service unavailable, Client host [192.0.2.1] blocked by contoso.com using Customer Block list (AS16012607) [BN8NAM11FT066.eop-nam11.prod.protection.outlook.com]",
			ReasonBlocked, ActionContactRecipient, ActorRecipientSide, BounceHard},
		{"microsoft banned sender, delisted by mail", "550 5.7.511", "Access denied, banned sender[192.0.2.7]. To request removal from this list please forward this message to delist@messaging.microsoft.com. AS(508) [SN1NAM04FT013.eop-NAM04.prod.protection.outlook.com]",
			ReasonBlocked, ActionRequestDelisting, ActorSenderAdmin, BounceHard},
		{"microsoft account banned", "550 5.7.501", "Service unavailable, spam abuse detected from IP range. For more information please go to http://go.microsoft.com/fwlink/?LinkID=526653. AS(842) [SN1NAM04FT013.eop-NAM04.prod.protection.outlook.com]",
			ReasonRejected, ActionFixSendingConfig, ActorSenderAdmin, BounceHard},
		{"microsoft unregistered domains", "550 5.7.750", "Service unavailable. Client blocked from sending from unregistered domains. [SN1NAM04FT013.eop-NAM04.prod.protection.outlook.com]",
			ReasonRejected, ActionFixSendingConfig, ActorSenderAdmin, BounceHard},
		{"gmail suspicious SPF record", "451 4.7.24", "The SPF record of the sending domain has one or more suspicious entries. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp",
			ReasonAuthFailure, ActionFixSendingConfig, ActorSenderAdmin, BounceSoft},
		{"mimecast geographic restriction", "554", "Host network not allowed - https://community.mimecast.com/docs/DOC-1369#554 [Aj3QXapeMpqZYaeFwWhjzw.us32]",
			ReasonBlocked, ActionContactRecipient, ActorRecipientSide, BounceHard},
		{"yandex blocked recipient account", "550 5.7.1", "Policy rejection on the target address",
			ReasonSuspend, ActionContactRecipient, ActorRecipientSide, BounceHard},
		{"outlook.com block list", "550", "SC-001 (COL004-MC4F46) Unfortunately, messages from 192.0.2.8 weren't sent. Please contact your Internet service provider since part of their network is on our block list. mx4.hotmail.com",
			ReasonBlocked, ActionRequestDelisting, ActorSenderAdmin, BounceHard},
		{"microsoft per-sender receive limit", "550 5.2.121", "Recipient's per hour message receive limit from specific sender exceeded. [BN8NAM11FT066.eop-nam11.prod.protection.outlook.com]",
			ReasonRateLimited, ActionRetryLater, ActorSenderAdmin, BounceSoft},
		{"yahoo permanently deferred", "553 5.7.2", "[TSS09] All messages from 192.0.2.25 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes",
			ReasonBadReputation, ActionFixSendingConfig, ActorSenderAdmin, BounceHard},
		{"aol disabled mailbox", "554", "30 Sorry, your message to bob@aol.com cannot be delivered. This mailbox is disabled (554.30). mx-aol.mail.gm0.yahoodns.net",
			ReasonSuspend, ActionRemoveAddress, ActorSender, BounceHard},
		{"icloud local policy", "554 5.7.1", "[CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137 mx01.mail.icloud.com",
			ReasonPolicyViolation, ActionReviewContent, ActorSenderAdmin, BounceHard},
		{"icloud inactive address", "550 5.1.1", "<bob@icloud.com>: inactive email address mx01.mail.icloud.com",
			ReasonUserUnknown, ActionRemoveAddress, ActorSender, BounceHard},
		{"proofpoint delay", "421 4.7.0", "mx0a-00123401.pphosted.com Temporarily deferred - see https://ipcheck.proofpoint.com/?ip=192.0.2.8",
			ReasonBlocked, ActionWaitServerRetries, ActorSenderAdmin, BounceSoft},
		{"proofpoint 4xx block delists", "451 4.7.1", "mx0a-00123401.pphosted.com Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.225",
			ReasonBlocked, ActionRequestDelisting, ActorSenderAdmin, BounceSoft},
		{"proofpoint block still delists", "554 5.7.0", "mx0a-00123401.pphosted.com Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.8",
			ReasonBlocked, ActionRequestDelisting, ActorSenderAdmin, BounceHard},
		{"mimecast greylisting", "451", "Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451 [Aj3QXapeMpqZYaeFwWhjzw.us32]",
			ReasonUndefined, ActionWaitServerRetries, ActorSenderAdmin, BounceSoft},
		{"mimecast envelope blocked", "550", "Administrative prohibition - envelope blocked - https://community.mimecast.com/docs/DOC-1369#550 [xyz.eu123]",
			ReasonRejected, ActionFixSendingConfig, ActorSenderAdmin, BounceHard},
		{"mimecast anti-spoofing", "550", "Rejected by header based Anti-Spoofing policy: ceo@example.com - https://community.mimecast.com/docs/DOC-1369#550 [xyz.eu123]",
			ReasonPolicyViolation, ActionFixSendingConfig, ActorSenderAdmin, BounceHard},
	}
	for _, tt := range tests {
		v, key, ok := classifyPasted(t, c, tt.code, tt.text)
		if !ok || v.Reason != tt.reason || v.Action != tt.action || v.Actor != tt.actor || v.Bounce != tt.bounce {
			t.Errorf("%s (%s): %s, %s, %s, %s; want %s, %s, %s, %s", tt.name, key, v.Reason, v.Action, v.Actor, v.Bounce,
				tt.reason, tt.action, tt.actor, tt.bounce)
		}
	}
}

// TestCodeTopsAgreeWithCode: where the server's words decide nothing, the
// top of a card (reason, next step, who acts, hard or soft) says what the
// code's own meaning and fix say, and the RFC that registers it
// (docs/reviews/en-truth-code-tops.md, one row per defect it found).
func TestCodeTopsAgreeWithCode(t *testing.T) {
	c := loadCatalog(t)
	tests := []struct {
		code, command string
		reason        Reason
		action        Action
		actor         Actor
		bounce        Bounce
		variant       string
	}{
		{"451 4.1.2", "RCPT", ReasonHostUnknown, ActionWaitServerRetries, ActorSenderAdmin, BounceSoft, ""},
		{"450 4.2.0", "RCPT", ReasonUndefined, ActionWaitServerRetries, ActorSenderAdmin, BounceSoft, ""},
		{"554 5.3.0", "DATA", ReasonSystemError, ActionInvestigate, ActorSenderAdmin, BounceHard, ""},
		{"550 5.3.3", "MAIL", ReasonSyntaxError, ActionFixSendingConfig, ActorSenderAdmin, BounceHard, ""},
		{"550 5.4.3", "RCPT", ReasonNetworkError, ActionRetryLater, ActorSenderAdmin, BounceSoft, ""},
		{"451 4.4.3", "RCPT", ReasonNetworkError, ActionWaitServerRetries, ActorSenderAdmin, BounceSoft, ""},
		{"550 5.4.1", "RCPT", ReasonUserUnknown, ActionRemoveAddress, ActorSender, BounceHard, ""},
		{"451 4.4.5", "RCPT", ReasonSystemFull, ActionWaitServerRetries, ActorRecipientSide, BounceSoft, "congestion"},
		{"550 5.4.6", "DATA", ReasonNetworkError, ActionFindLoop, ActorSenderAdmin, BounceHard, ""},
		{"451 4.6.5", "DATA", ReasonContentError, ActionWaitServerRetries, ActorSenderAdmin, BounceSoft, ""},
		{"554 5.6.3", "DATA", ReasonContentError, ActionFixMessage, ActorSenderAdmin, BounceHard, ""},
		{"554 5.6.6", "DATA", ReasonUndefined, ActionInvestigate, ActorSenderAdmin, BounceHard, ""},
		{"550 5.6.8", "", ReasonSyntaxError, ActionFixSendingConfig, ActorSenderAdmin, BounceHard, ""},
		{"550 5.7.2", "RCPT", ReasonPolicyViolation, ActionFixSendingConfig, ActorSenderAdmin, BounceHard, ""},
		{"550 5.7.5", "DATA", ReasonSecurityError, ActionFixMessage, ActorSender, BounceHard, "crypto"},
		{"450 4.7.15", "MAIL", ReasonPolicyViolation, ActionWaitServerRetries, ActorSender, BounceSoft, "priority"},
		{"550 5.7.15", "MAIL", ReasonPolicyViolation, ActionRetryLater, ActorSender, BounceSoft, "priority"},
		{"450 4.7.16", "MAIL", ReasonMesgTooBig, ActionWaitServerRetries, ActorSender, BounceSoft, ""},
		{"550 5.7.19", "RCPT", ReasonUndefined, ActionFixMessage, ActorSender, BounceHard, "rrvs"},
		{"432", "", ReasonSecurityError, ActionFixSendingConfig, ActorSenderAdmin, BounceSoft, "password_transition"},
		{"455", "MAIL", ReasonSystemError, ActionWaitServerRetries, ActorRecipientSide, BounceSoft, ""},
		{"530 5.7.0", "MAIL", ReasonSecurityError, ActionFixSendingConfig, ActorSenderAdmin, BounceHard, ""},
		{"552", "MAIL", ReasonMesgTooBig, ActionFixMessage, ActorSender, BounceHard, ""},
		// What the changes must leave alone: a code alone to MAIL FROM
		// still refuses the sender.
		{"550 5.7.1", "MAIL", ReasonRejected, ActionFixSendingConfig, ActorSenderAdmin, BounceHard, ""},
		{"552", "RCPT", ReasonMailboxFull, ActionRetryLater, ActorRecipientSide, BounceSoft, ""},
	}
	for _, tt := range tests {
		code, err := Parse(tt.code)
		if err != nil {
			t.Fatal(err)
		}
		v, ok := c.Classify(Failure{Code: code, ServerText: "Requested action not taken", Command: tt.command})
		if !ok || v.Reason != tt.reason || v.Action != tt.action || v.Actor != tt.actor || v.Bounce != tt.bounce || v.Variant != tt.variant {
			t.Errorf("%s at %q: %s, %s, %s, %s, %q; want %s, %s, %s, %s, %q", tt.code, tt.command, v.Reason, v.Action, v.Actor, v.Bounce, v.Variant,
				tt.reason, tt.action, tt.actor, tt.bounce, tt.variant)
		}
	}
}

// classifyPasted classifies a reply as a pasted line is: with the
// provider and the blocklist its text names. It returns the verdict and
// the provider meaning's key.
func classifyPasted(t *testing.T, c *Catalog, reply, text string) (Verdict, string, bool) {
	t.Helper()
	code, err := Parse(reply)
	if err != nil {
		t.Fatal(err)
	}
	meaning, _ := c.ProviderMeaning(c.DetectProvider(text), code, text)
	v, ok := c.Classify(Failure{Code: code, ServerText: text, Blocklist: c.DetectBlocklist(text), ProviderKey: meaning.Key})
	return v, meaning.Key, ok
}
