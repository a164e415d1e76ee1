package handlers

import (
	"strconv"
	"strings"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

// inWords puts the catalog's explanation of a code into lang: the one place
// where its decisions meet their words. It decides nothing; every choice
// (which part leads, hard or soft, who acts, the reason) is already in d.
func inWords(lang *locales.Lang, d catalog.Explanation) Explanation {
	x := Explanation{Explanation: d, Lang: lang}
	// Room for the parts there are: a code alone has one.
	count := 1
	if d.Second.Present() {
		count = 2
	}
	parts := make([]Part, count)
	parts[0] = partInWords(lang, d.Code, &d.Lead)
	if count == 2 {
		parts[1] = partInWords(lang, d.Code, &d.Second)
	}
	for i := range parts {
		if parts[i].Kind == catalog.KindReply {
			x.Reply = &parts[i]
		} else {
			x.Enhanced = &parts[i]
		}
	}
	main := &parts[0]
	x.Title, x.Meaning, x.When, x.Fix = main.Title, main.Meaning, main.When, main.Fix
	n := min(len(main.Steps), len(main.Parties))
	if d.StaleFix {
		// The sending server has given up: the verdict's next step is
		// the fix, and steps written for a live deferral would
		// contradict it.
		x.Fix, n = "", 0
	}
	x.Steps = make([]Step, n)
	for i := range n {
		x.Steps[i] = Step{Party: main.Parties[i], Text: main.Steps[i]}
	}
	x.ClassText = lang.T(classKey(d.Code))
	if x.Enhanced != nil {
		x.SubjectText = lang.T(subjectKey(d.Code.Enhanced.Subject))
	}
	x.RetryText = lang.T("retry." + string(d.Retry))
	x.ActorText = lang.T("actor." + string(d.Actor))
	for _, a := range d.Actors[min(1, len(d.Actors)):] {
		x.ActorText += " / " + lang.T("actor."+string(a))
	}
	x.Provider = providerNote(lang, d.ProviderMeaning)
	if d.Judged() {
		x.Outcome = outcomeInWords(lang, &d.Verdict, d.Class, d.Delayed)
		if o := x.Outcome; o.Action == catalog.ActionRequestDelisting && o.Blocklist == nil && x.Provider != nil && x.Provider.Fix != "" {
			// The provider's own list (Microsoft's "banned sender",
			// Outlook.com's S3150): its steps below say how to leave
			// it, where "find which blocklist lists you" would send the
			// sender looking for a list the text already names.
			o.ActionText = lang.T("action.request_delisting.provider")
		}
	}
	return x
}

// partInWords gives one part its texts in lang: the code's own in its
// class, or, for a code not registered or not used in its class, what its
// digits say and its class's general fix.
func partInWords(lang *locales.Lang, code catalog.Code, cp *catalog.Part) Part {
	p := Part{Part: *cp}
	d := classDigit(cp.Class)
	switch {
	case !cp.Registered && cp.Kind == catalog.KindReply:
		p.Title = lang.T("unregistered.reply.title")
		p.Meaning = lang.T("unregistered.reply.meaning", "code", p.Code,
			"class", lang.T("class."+d), "class_meaning", lang.T("class."+d+".meaning"),
			"category", lang.T("category."+strconv.Itoa(int(code.Reply.Category()))))
		p.When = lang.T("unregistered.when")
		classFix(lang, &p, d)
	case !cp.Registered:
		p.Title = lang.T("unregistered.enhanced.title")
		p.Meaning = lang.T("unregistered.enhanced.meaning", "code", p.Code,
			"class", lang.T("class.enhanced."+d), "class_meaning", lang.T("class."+d+".meaning"),
			"subject", lang.T(subjectKey(code.Enhanced.Subject)))
		p.When = lang.T("unregistered.when")
		classFix(lang, &p, d)
	case cp.Unusual:
		// Shown in a class it is not used in: its title, a sentence saying
		// so, and its class's general advice.
		all, _ := lang.Code(cp.Key)
		p.Title = all.Title
		used := make([]string, len(cp.UsedIn))
		for i, u := range cp.UsedIn {
			used[i] = lang.T("class.enhanced." + classDigit(u))
		}
		p.Meaning = lang.T("unusual.meaning", "code", p.Code, "key", cp.Key, "title", all.Title,
			"classes", joinOr(lang, used), "class_meaning", lang.T("class."+d+".meaning"))
		p.When = lang.T("unusual.when", "code", p.Code)
		classFix(lang, &p, d)
	default:
		all, _ := lang.Code(cp.Key)
		t := all.In(d)
		p.Title, p.Meaning, p.When = t.Title, t.Meaning, t.When
		p.Steps, p.Fix = t.Fix, t.Fix.String()
	}
	if cp.Replacement != "" {
		p.Deprecated = lang.T("deprecated", "code", p.Code, "replacement", cp.Replacement)
	}
	return p
}

// classFix gives p the general fix of its class (digit d), one step, whose
// party the catalog named.
func classFix(lang *locales.Lang, p *Part, d string) {
	p.Fix = lang.T("class." + d + ".fix")
	p.Steps = []string{p.Fix}
}

// providerNote names the provider the text shows, with its own meaning of
// the code when it gives one, or returns nil when the text shows none.
func providerNote(lang *locales.Lang, m catalog.ProviderMeaning) *ProviderNote {
	if m.Provider == nil {
		return nil
	}
	name, _ := lang.Provider(m.Provider.ID)
	note := &ProviderNote{ID: m.Provider.ID, Name: name.Title, Docs: m.Provider.Docs}
	if m.Key != "" {
		t, _ := lang.Provider(m.Key)
		note.Key, note.Title, note.Meaning, note.Fix = m.Key, t.Title, t.Meaning, t.Fix
	}
	return note
}

// joinOr joins items as alternatives: "transient or permanent".
func joinOr(lang *locales.Lang, items []string) string {
	return strings.Join(items, lang.T("list.or"))
}
