package catalog

import (
	"encoding/json"
	"fmt"
	"strings"
)

// reasonData is data/reasons.json, checked and indexed.
type reasonData struct {
	info      map[Reason]reasonInfo
	rules     []phraseRule
	providers map[string]Reason // provider meaning key → reason
	// providerNext is the actor, bounce and next step of a provider's
	// meaning where they differ from its reason's (see
	// reasonFile.ProviderNext).
	providerNext map[string]nextStep
	// codeNext is the actor, bounce and next step of an exact enhanced
	// code where they differ from its reason's (see reasonFile.CodeNext).
	codeNext map[exactKey]nextStep
	// replyNext does the same for a reply code with no enhanced code
	// ("432" alone: a password transition, waited out never).
	replyNext map[Reply]nextStep
	exact     map[exactKey]Reason
	enhanced  map[subjectDetail]Reason
	replies   map[Reply]Reason
	// finalTransient is the reason of a transient code that is a DSN's
	// final status, when no words say more.
	finalTransient Reason
	// notAtRcpt turns a reason read in words that did not answer RCPT
	// TO into another (see reasonFile.NotAtRcpt).
	notAtRcpt map[Reason]phaseTo
	// mailPhase turns a reason read in the words of a reply to MAIL FROM
	// into another.
	mailPhase map[Reason]Reason
	// codePhase turns the reason a code alone gives into another, by the
	// command the reply answered.
	codePhase map[string]map[Reason]Reason
	// replyPhase gives, by the command a reply answered, the reason of a
	// reply code there when no words decided, before codePhase: 552 to
	// MAIL FROM refuses the declared SIZE (RFC 1870), since no mailbox is
	// named yet; 530 there asks the client to authenticate first (RFC
	// 4954), and refuses no sender address.
	replyPhase map[string]map[Reply]Reason

	phrases *phraseSet
	// atStart lists the rules whose phrases must open the text; they are
	// checked apart from the phrase set.
	atStart []int
	// Groups of the phrase set: rule i is group i; then the soft
	// and the hard words, a local delivery agent's, and those said only at
	// RCPT TO.
	softGroup, hardGroup, agentGroup, atRcptGroup, gaveUpGroup int
}

// exactKey is an enhanced code with its class, for the codes whose reason
// differs by class.
type exactKey struct {
	class uint8
	sd    subjectDetail
}

// reasonFile is the shape of data/reasons.json.
type reasonFile struct {
	Reasons   map[Reason]reasonInfo `json:"reasons"`
	Phrases   []phraseRule          `json:"phrases"`
	Providers map[string]Reason     `json:"providers"`
	// ProviderNext replaces, for a provider's meaning, its reason's actor,
	// bounce and next step where the provider documents its own:
	// Microsoft throttles a sending pattern it has not seen (4.7.500-699)
	// until the IP builds a history, so the next step is to let the
	// retries run, not the blocked reason's "fix your sending setup".
	ProviderNext map[string]nextStep `json:"provider_next"`
	// CodeNext does the same for an exact enhanced code whose registered
	// meaning sets a next step of its own: 4.7.24 is SPF's temperror, a
	// DNS lookup that failed for the time being (RFC 7372), which the
	// retries usually get past, not a record to fix.
	CodeNext map[string]nextStep `json:"code_next"`
	// ReplyPhase is replyPhase, with reply codes as strings.
	ReplyPhase map[string]map[string]Reason `json:"reply_phase"`
	Codes      map[string]Reason            `json:"codes"`
	// FinalTransient is the reason of a 4.x.x final status with no telling
	// words: the sending server gave up retrying.
	FinalTransient Reason `json:"final_transient"`
	// NotAtRcpt maps a reason the words give to the reason, and the
	// verdict's words, it becomes when nothing shows the reply answered
	// RCPT TO: a reply to DATA, or one to a command the bounce does not
	// name whose code contradicts the words (notAtRcpt).
	// Its "_doc" is the file's own note.
	NotAtRcpt map[Reason]json.RawMessage `json:"not_at_rcpt"`
	// MailPhase maps a reason the words give to the reason it becomes
	// when the reply answered MAIL FROM: the address refused is the
	// sender's.
	MailPhase map[Reason]Reason `json:"mail_phase"`
	// CodePhase maps, per SMTP command, a reason the code alone gives to
	// the reason it becomes when the reply answered that command.
	CodePhase map[string]map[Reason]Reason `json:"code_phase"`
	Words     struct {
		Soft []string `json:"soft"`
		Hard []string `json:"hard"`
		// Agent are a local delivery agent's words ("mail.local:"): it
		// looked the mailbox up itself, after any SMTP session.
		Agent []string `json:"agent"`
		// AtRcpt are words a server says only at RCPT TO (Postfix's
		// "Recipient address rejected").
		AtRcpt []string `json:"at_rcpt"`
		// GaveUp are words that report the sending server stopped
		// retrying ("delivery time expired", "retry timeout exceeded"):
		// a 4xx reply pasted with them, out of its report, is no longer
		// being retried.
		GaveUp []string `json:"gave_up"`
	} `json:"words"`
}

// phaseTo is what a reason becomes in a phase: another reason, with the
// verdict's words of its own.
type phaseTo struct {
	Reason  Reason `json:"reason"`
	Variant string `json:"variant"`
}

// parseReasons reads and checks data/reasons.json: every reason of the
// vocabulary described once with a known actor, bounce and action; every
// rule, provider and code naming a described reason; codes that parse.
func parseReasons(b []byte) (*reasonData, error) {
	var f reasonFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	r := &reasonData{info: f.Reasons, providers: f.Providers, providerNext: f.ProviderNext,
		exact: map[exactKey]Reason{}, enhanced: map[subjectDetail]Reason{}, replies: map[Reply]Reason{}}
	actions := map[Action]bool{}
	for _, a := range Actions() {
		actions[a] = true
	}
	for _, reason := range Reasons() {
		info, ok := f.Reasons[reason]
		if !ok {
			return nil, fmt.Errorf("reason %q is not described", reason)
		}
		if err := info.check(actions); err != nil {
			return nil, fmt.Errorf("reason %q: %w", reason, err)
		}
	}
	if len(f.Reasons) != len(Reasons()) {
		return nil, fmt.Errorf("%d reasons described, the vocabulary has %d", len(f.Reasons), len(Reasons()))
	}
	known := func(where string, reason Reason) error {
		if _, ok := f.Reasons[reason]; !ok {
			return fmt.Errorf("%s: unknown reason %q", where, reason)
		}
		return nil
	}

	var phrases []string
	var groups []uint8
	next := 0 // the next group
	addGroup := func(words []string) (int, error) {
		g := next
		if g >= maxGroups {
			return 0, fmt.Errorf("more than %d rules, lists and word sets", maxGroups)
		}
		next++
		for _, w := range words {
			phrases = append(phrases, w)
			groups = append(groups, uint8(g))
		}
		return g, nil
	}
	r.rules = f.Phrases
	for i := range r.rules {
		rule := &r.rules[i]
		if err := known(fmt.Sprintf("phrase rule %d", i+1), rule.Reason); err != nil {
			return nil, err
		}
		if len(rule.Text) == 0 {
			return nil, fmt.Errorf("phrase rule %d (%s) has no text", i+1, rule.Reason)
		}
		for _, c := range []Class{rule.Class, rule.NotClass} {
			if c != 0 && c != ClassTransientNegative && c != ClassPermanentNegative {
				return nil, fmt.Errorf("phrase rule %d (%s): class %d is not 4 or 5", i+1, rule.Reason, c)
			}
		}
		if rule.Next != nil {
			if err := rule.Next.check(actions); err != nil {
				return nil, fmt.Errorf("phrase rule %d (%s): next: %w", i+1, rule.Reason, err)
			}
		}
		for _, c := range rule.Commands {
			switch c {
			case "", "HELO", "MAIL", "RCPT", "DATA":
			default:
				return nil, fmt.Errorf("phrase rule %d (%s): unknown command %q", i+1, rule.Reason, c)
			}
		}
		for _, k := range rule.Enhanced {
			en, err := parseEnhancedKey(k)
			if err != nil {
				return nil, fmt.Errorf("phrase rule %d (%s): %w", i+1, rule.Reason, err)
			}
			rule.enhanced = append(rule.enhanced, en)
		}
		words := rule.Text
		if rule.AtStart {
			// Checked by Classify against the text's start; the group
			// keeps the rule's index.
			r.atStart = append(r.atStart, i)
			words = nil
			for _, w := range rule.Text {
				if w != strings.ToLower(w) {
					return nil, fmt.Errorf("phrase rule %d (%s): %q is not lowercase", i+1, rule.Reason, w)
				}
			}
		}
		if _, err := addGroup(words); err != nil {
			return nil, err
		}
	}
	// Each rule's group is its index, so the groups of With's words come
	// after every rule's.
	for i := range r.rules {
		rule := &r.rules[i]
		rule.withGroup = -1
		if len(rule.With) == 0 {
			continue
		}
		for _, w := range rule.With {
			if w == "" || w != strings.ToLower(w) {
				return nil, fmt.Errorf("phrase rule %d (%s): with %q: empty or not lowercase", i+1, rule.Reason, w)
			}
		}
		g, err := addGroup(rule.With)
		if err != nil {
			return nil, err
		}
		rule.withGroup = g
	}
	var err error
	if r.softGroup, err = addGroup(f.Words.Soft); err != nil {
		return nil, err
	}
	if r.hardGroup, err = addGroup(f.Words.Hard); err != nil {
		return nil, err
	}
	if r.agentGroup, err = addGroup(f.Words.Agent); err != nil {
		return nil, err
	}
	if r.atRcptGroup, err = addGroup(f.Words.AtRcpt); err != nil {
		return nil, err
	}
	if r.gaveUpGroup, err = addGroup(f.Words.GaveUp); err != nil {
		return nil, err
	}
	if r.phrases, err = newPhraseSet(phrases, groups); err != nil {
		return nil, err
	}

	if f.FinalTransient != "" {
		if err := known("final_transient", f.FinalTransient); err != nil {
			return nil, err
		}
		r.finalTransient = f.FinalTransient
	}
	// A map from a reason to another, as mail_phase and each command of
	// code_phase are: every reason on both sides known.
	knownMap := func(where string, m map[Reason]Reason) error {
		delete(m, "_doc") // the file's own note
		for from, to := range m {
			if err := known(where, from); err != nil {
				return err
			}
			if err := known(where+" "+string(from), to); err != nil {
				return err
			}
		}
		return nil
	}
	delete(f.NotAtRcpt, "_doc")
	r.notAtRcpt = map[Reason]phaseTo{}
	for from, raw := range f.NotAtRcpt {
		var to phaseTo
		if err := json.Unmarshal(raw, &to); err != nil {
			return nil, fmt.Errorf("not_at_rcpt %s: %w", from, err)
		}
		r.notAtRcpt[from] = to
		if err := known("not_at_rcpt", from); err != nil {
			return nil, err
		}
		if err := known("not_at_rcpt "+string(from), to.Reason); err != nil {
			return nil, err
		}
		if to.Variant == "" {
			return nil, fmt.Errorf("not_at_rcpt %s: no variant: the words of %s would not hold", from, to.Reason)
		}
	}
	if err := knownMap("mail_phase", f.MailPhase); err != nil {
		return nil, err
	}
	r.mailPhase = f.MailPhase
	for cmd, m := range f.CodePhase {
		switch cmd {
		case "HELO", "MAIL", "RCPT", "DATA":
		default:
			return nil, fmt.Errorf("code_phase: unknown command %q", cmd)
		}
		if err := knownMap("code_phase "+cmd, m); err != nil {
			return nil, err
		}
	}
	r.codePhase = f.CodePhase
	r.replyPhase = make(map[string]map[Reply]Reason, len(f.ReplyPhase))
	for cmd, m := range f.ReplyPhase {
		switch cmd {
		case "HELO", "MAIL", "RCPT", "DATA":
		default:
			return nil, fmt.Errorf("reply_phase: unknown command %q", cmd)
		}
		r.replyPhase[cmd] = make(map[Reply]Reason, len(m))
		for key, reason := range m {
			rep, err := ParseReply(key)
			if err != nil {
				return nil, fmt.Errorf("reply_phase %s: %w", cmd, err)
			}
			if err := known("reply_phase "+cmd+" "+key, reason); err != nil {
				return nil, err
			}
			r.replyPhase[cmd][rep] = reason
		}
	}
	for key, reason := range f.Providers {
		if err := known("provider meaning "+key, reason); err != nil {
			return nil, err
		}
	}
	delete(f.ProviderNext, "_doc") // the file's own note
	for key, step := range f.ProviderNext {
		reason, ok := f.Providers[key]
		if !ok {
			return nil, fmt.Errorf("provider_next %s: no such provider meaning in providers", key)
		}
		if err := step.check(actions); err != nil {
			return nil, fmt.Errorf("provider_next %s: %w", key, err)
		}
		step.Reason = reason
		f.ProviderNext[key] = step
	}
	for key, reason := range f.Codes {
		if err := known("code "+key, reason); err != nil {
			return nil, err
		}
		switch {
		case strings.Contains(key, "."):
			en, err := parseEnhancedKey(key)
			if err != nil {
				return nil, fmt.Errorf("codes: %w", err)
			}
			sd := subjectDetail{en.Subject, en.Detail}
			if en.Class == 0 {
				r.enhanced[sd] = reason
			} else {
				r.exact[exactKey{en.Class, sd}] = reason
			}
		default:
			rep, err := ParseReply(key)
			if err != nil {
				return nil, fmt.Errorf("codes: %w", err)
			}
			r.replies[rep] = reason
		}
	}
	if err := r.parseCodeNext(f.CodeNext, actions); err != nil {
		return nil, err
	}
	return r, nil
}

// parseEnhancedKey parses "5.2.2", or "X.2.2" for every class (Class 0).
func parseEnhancedKey(k string) (Enhanced, error) {
	if strings.HasPrefix(k, "X.") {
		en, err := ParseEnhanced("5" + k[1:])
		en.Class = 0
		return en, err
	}
	return ParseEnhanced(k)
}

// reasonRules returns the rules of data/reasons.json, read the first time
// a failure is classified: a run of the command line that looks up one
// success code needs none of them. After an error the rules are empty, so
// every failure is "undefined"; the package's tests check that the
// embedded file loads (loadCatalog) and that a failure is still
// classified without them (TestClassifyWithoutRules).
func (c *Catalog) reasonRules() *reasonData {
	c.reasonsOnce.Do(func() {
		b, err := dataFS.ReadFile("data/reasons.json")
		if err == nil {
			c.reasons, err = parseReasons(b)
		}
		if err != nil {
			c.reasonsErr = fmt.Errorf("catalog: data/reasons.json: %w", err)
			c.reasons = &reasonData{}
		}
	})
	return c.reasons
}

// check reports an actor, bounce or action that is not known.
func (info reasonInfo) check(actions map[Action]bool) error {
	switch info.Actor {
	case ActorNobody, ActorSender, ActorSenderAdmin, ActorRecipientSide:
	default:
		return fmt.Errorf("unknown actor %q", info.Actor)
	}
	if info.Bounce != "hard" && info.Bounce != "soft" && info.Bounce != "class" {
		return fmt.Errorf("bounce is %q, want hard, soft or class", info.Bounce)
	}
	if !actions[info.Action] || info.Action4xx != "" && !actions[info.Action4xx] {
		return fmt.Errorf("unknown action %q", info.Action)
	}
	return nil
}

// nextStep is the next step of a provider's meaning or an exact enhanced
// code, with the variant of its reason's words when the reason's
// definition would not hold as it stands (a temperror is a check that
// could not finish, not one that failed). Reason is the meaning's or the
// code's own, filled in when the file is read: the step holds where the
// verdict's reason is that one.
type nextStep struct {
	reasonInfo
	Variant string `json:"variant"`
	// CodeAlone keeps a code's step to replies whose words decided
	// nothing: 5.3.0 alone is a cause to find, but words that name an
	// internal error of the receiving server are its own to clear.
	CodeAlone bool   `json:"code_alone"`
	Reason    Reason `json:"-"`
}

// parseCodeNext checks and indexes reasonFile.CodeNext: exact enhanced
// codes, or reply codes, each with a next step of known actions. It runs
// after the codes are read, so that each step knows its code's reason.
func (r *reasonData) parseCodeNext(m map[string]nextStep, actions map[Action]bool) error {
	r.codeNext = make(map[exactKey]nextStep, len(m))
	r.replyNext = make(map[Reply]nextStep)
	for key, step := range m {
		if key == "_doc" {
			continue
		}
		if err := step.check(actions); err != nil {
			return fmt.Errorf("code_next %s: %w", key, err)
		}
		if !strings.Contains(key, ".") {
			rep, err := ParseReply(key)
			if err != nil {
				return fmt.Errorf("code_next %s: not a reply code or an exact enhanced code", key)
			}
			step.Reason = r.byCode(Code{Reply: rep})
			r.replyNext[rep] = step
			continue
		}
		en, err := parseEnhancedKey(key)
		if err != nil || en.Class == 0 {
			return fmt.Errorf("code_next %s: not a reply code or an exact enhanced code", key)
		}
		step.Reason = r.byCode(Code{Enhanced: en})
		r.codeNext[exactKey{en.Class, subjectDetail{en.Subject, en.Detail}}] = step
	}
	return nil
}
