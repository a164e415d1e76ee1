package handlers

import (
	"strconv"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

// Outcome is what a failure read from a text comes to, in one language:
// the reason, the next step, and why it is a hard or soft bounce. The
// catalog decides (catalog.Verdict); this only puts it into words.
type Outcome struct {
	catalog.Verdict
	ReasonTitle string // "User unknown"
	ReasonText  string // the reason's definition
	SourceText  string // where the reason was read: the server's words, the provider, the code
	ActionTitle string // "Remove the address"
	ActionText  string // what to do, with the blocklist's removal page when the text names one
	Why         string // "Hard bounce: ..." in one line
}

// outcomeInWords puts the verdict on a failure of class c into words.
func outcomeInWords(l *locales.Lang, v *catalog.Verdict, c catalog.Class, delayed bool) *Outcome {
	o := &Outcome{Verdict: *v}
	rk, ak := reasonKeys[v.Reason], actionKeys[v.Action]
	if v.Variant != "" {
		// Words of their own, where the reason's definition would not
		// hold (greylisting; a delay warning's queue, not yet expired).
		k := "reason." + string(v.Reason) + "." + v.Variant
		rk = textKeys{title: k + ".title", text: k + ".text"}
	}
	o.ReasonTitle, o.ReasonText = l.T(rk.title), l.T(rk.text)
	o.SourceText = l.T("reason.source." + string(v.Source))
	o.ActionTitle, o.ActionText = l.T(ak.title), l.T(ak.text)
	forReason := "action." + string(v.Action) + ".for." + string(v.Reason)
	if c == catalog.ClassTransientNegative && !v.GaveUp {
		// After a 4xx the sender's server keeps retrying: an action whose
		// words would then mislead ("fix it before sending again") has
		// other words for it in the data, under "<text>_transient", and
		// so may a reason's own step, under "<for>.transient".
		if s, ok := l.Lookup(ak.transient); ok {
			o.ActionText = s
			if s, ok := l.Lookup(forReason + ".transient"); ok {
				o.ActionText = s
			}
		}
	}
	if s, ok := l.Lookup(forReason); ok && o.ActionText == l.T(ak.text) {
		// A reason may need the step in words of its own: an expiry's
		// cause outlasted every retry, so it does not "usually clear";
		// a policy's rule is no DNS record to fix.
		o.ActionText = s
	}
	if v.Variant != "" {
		// A variant's reason may hedge ("check the address first"); its
		// next step then says so in words of its own, under
		// "action.<action>.variant.<variant>.title" and ".text".
		k := "action." + string(v.Action) + ".variant." + v.Variant
		if s, ok := l.Lookup(k + ".title"); ok {
			o.ActionTitle = s
		}
		if s, ok := l.Lookup(k + ".text"); ok {
			o.ActionText = s
		}
	}
	if v.Blocklist != nil && (v.Action == catalog.ActionRequestDelisting ||
		v.Action == catalog.ActionContactRecipient && v.Blocklist.Delist == "") {
		o.ActionText = delisting(l, v.Blocklist)
	}
	stage := strconv.Itoa(int(c))
	if v.GaveUp {
		// A 4xx the sending server stopped retrying: the 4xx lines'
		// "the sending server retries" would not hold.
		stage = "final"
	}
	o.Why = whyLine(l, v, stage, o.ReasonTitle)
	if delayed && c == catalog.ClassTransientNegative {
		o.Why = l.T("bounce.why.delayed")
	}
	return o
}

// whyLine says why a failure is a hard or soft bounce, at stage: the
// class's digit, "final" for a 4xx the sending server gave up on, or
// "nocode". An expiry is soft by its reason, but its cause outlasted every
// retry, so it has words of its own where they exist: it does not "clear
// by itself".
func whyLine(l *locales.Lang, v *catalog.Verdict, stage, reasonTitle string) string {
	if v.Reason == catalog.ReasonExpired && v.Bounce == catalog.BounceSoft && v.Basis == catalog.BasisReason {
		if s, ok := l.Lookup("bounce.why.soft.expired." + stage); ok {
			return s
		}
	}
	return l.T("bounce.why."+string(v.Bounce)+"."+string(v.Basis)+"."+stage, "reason", reasonTitle)
}

// textKeys are the keys of a title and a text in package locales, and of
// an action's optional text after a 4xx.
type textKeys struct{ title, text, transient string }

// reasonKeys and actionKeys are built once, so that explaining a failure
// does not build its keys anew each time.
var (
	reasonKeys = map[catalog.Reason]textKeys{}
	actionKeys = map[catalog.Action]textKeys{}
)

func init() {
	for _, r := range catalog.Reasons() {
		reasonKeys[r] = textKeys{title: "reason." + string(r) + ".title", text: "reason." + string(r) + ".text"}
	}
	for _, a := range catalog.Actions() {
		k := "action." + string(a)
		actionKeys[a] = textKeys{k + ".title", k + ".text", k + ".text_transient"}
	}
}

// delisting is the next step for a sender on bl, in the list's own words
// where it has them: lists end a listing differently (SpamCop and
// UCEPROTECT's first level let it expire, PSBL lets you remove it yourself,
// SORBS has shut down), so one template cannot say it truly for all. The
// template, with the list's removal page, is for a list without texts.
func delisting(l *locales.Lang, bl *catalog.Blocklist) string {
	t, ok := l.Provider(bl.ID)
	if ok && t.Fix != "" {
		return t.Fix
	}
	name := bl.Name
	if ok && t.Title != "" {
		name = t.Title
	}
	return l.T("action.request_delisting.list", "list", name, "url", bl.Delist)
}
