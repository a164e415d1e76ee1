package handlers

import (
	"strconv"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/catalog/extract"
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

// judge adds the outcome to a failure explained from a text, and lets it
// decide hard or soft, the retry advice and who has to act, so the card
// never contradicts its own next step. Lookups and codes that are not
// failures get none.
func (e *Engine) judge(x *Explanation) {
	if x.Role != extract.RoleFailure {
		return
	}
	key := ""
	if x.Provider != nil {
		key = x.Provider.Key
	}
	v, ok := e.cat.Classify(catalog.Failure{Code: x.Code, ServerText: x.ServerText, ProviderKey: key, Final: x.Final, Command: x.Command, Blocklist: x.Blocklist})
	if !ok {
		return
	}
	l := x.Lang
	o := &Outcome{Verdict: v}
	rk, ak := reasonKeys[v.Reason], actionKeys[v.Action]
	o.ReasonTitle, o.ReasonText = l.T(rk.title), l.T(rk.text)
	o.SourceText = l.T("reason.source." + string(v.Source))
	o.ActionTitle, o.ActionText = l.T(ak.title), l.T(ak.text)
	if v.Action == catalog.ActionRequestDelisting && v.Blocklist != nil {
		o.ActionText = delisting(l, v.Blocklist)
	}
	o.Why = l.T("bounce.why."+string(v.Bounce)+"."+string(v.Basis)+"."+strconv.Itoa(int(x.Class)), "reason", o.ReasonTitle)
	x.Outcome = o

	x.Severity = SeverityHard
	x.Retry = catalog.RetryAfterFix
	if v.Bounce == catalog.BounceSoft {
		x.Severity = SeveritySoft
		x.Retry = catalog.RetryLater
		if x.Class == catalog.ClassPermanentNegative {
			x.Retry = catalog.RetryByHand
		}
	}
	x.RetryText = l.T("retry." + string(x.Retry))
	x.Actor, x.Actors = v.Actor, oneActor[v.Actor]
	x.ActorText = l.T("actor." + string(x.Actor))
}

// oneActor holds a shared one-party list per actor, for Explanation.Actors
// when the reason names the party; callers do not modify it.
var oneActor = map[catalog.Actor][]catalog.Actor{
	catalog.ActorNobody:        {catalog.ActorNobody},
	catalog.ActorSender:        {catalog.ActorSender},
	catalog.ActorSenderAdmin:   {catalog.ActorSenderAdmin},
	catalog.ActorRecipientSide: {catalog.ActorRecipientSide},
}

// textKeys are the keys of a title and a text in package locales.
type textKeys struct{ title, text string }

// reasonKeys and actionKeys are built once, so that explaining a failure
// does not build its keys anew each time.
var (
	reasonKeys = map[catalog.Reason]textKeys{}
	actionKeys = map[catalog.Action]textKeys{}
)

func init() {
	for _, r := range catalog.Reasons() {
		reasonKeys[r] = textKeys{"reason." + string(r) + ".title", "reason." + string(r) + ".text"}
	}
	for _, a := range catalog.Actions() {
		actionKeys[a] = textKeys{"action." + string(a) + ".title", "action." + string(a) + ".text"}
	}
}

// delisting is the next step for a sender on bl: its removal page, or,
// for a list without one (SORBS has shut down), the list's own advice.
func delisting(l *locales.Lang, bl *catalog.Blocklist) string {
	t, ok := l.Provider(bl.ID)
	name := bl.Name
	if ok && t.Title != "" {
		name = t.Title
	}
	if bl.Delist == "" && ok {
		return t.Fix
	}
	return l.T("action.request_delisting.list", "list", name, "url", bl.Delist)
}
