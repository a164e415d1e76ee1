package handlers

import (
	"context"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

// Action ids of the bot's interactive elements.
const (
	actionLang     = "smtp_lang"    // + ":" + tag: render the message again in that language
	actionCompare  = "smtp_compare" // a select of related codes
	actionShare    = "smtp_share"   // post an ephemeral answer in the channel
	actionHomeLang = "home_lang"    // the App Home language picker
	actionHomeCode = "home_code"    // + ":" + code: explain a common code on App Home
	actionDiagnose = "smtp_dns"     // "Check DNS": run the live checks behind a bounce
)

// message is a rendered answer: blocks and the plain fallback Slack shows
// in notifications.
type message struct {
	text   string
	blocks []slack.Block
	// then, when set, follows the message with more replies once it is
	// delivered (DIAGNOSE=auto: the DNS checks).
	then func(ctx context.Context) []Reply
}

func textMessage(s string) message {
	return message{text: s, blocks: []slack.Block{section(escape(s))}}
}

// render draws a state: a comparison, or explanations of one or many codes,
// with the buttons to switch language, compare and share.
func (rt *Router) render(lang *locales.Lang, st state) message {
	st.Lang = lang.Tag
	if len(st.Worded) > 0 && len(st.Codes) == 0 {
		return rt.wordedMessage(lang, st, rt.eng.wordedFromState(lang, st))
	}
	if st.Compare && len(st.Codes) == 2 {
		a, errA := catalog.Parse(st.Codes[0])
		b, errB := catalog.Parse(st.Codes[1])
		if errA == nil && errB == nil {
			c := rt.eng.Compare(lang, a, b)
			return message{text: c.Title, blocks: append(comparisonBlocks(&c), rt.actions(lang, st, nil))}
		}
	}
	xs, _ := rt.eng.explanations(st)
	return rt.renderExplanations(lang, st, xs)
}

// renderReport draws what ExplainText found, reusing its explanations: the
// state only rides in the buttons, for a later click to render again.
func (rt *Router) renderReport(lang *locales.Lang, st state, r Report) message {
	st.fromReport(r, rt.opts.MaskAddresses)
	st.fromWorded(r.Beside, rt.opts.MaskAddresses)
	st.Check = rt.checkPlan(r)
	m := rt.renderExplanations(lang, st, r.Explanations)
	if rt.opts.Diagnose == DiagnoseAuto && st.Check != nil {
		m.then = rt.autoDiagnosis(lang, st.Check)
	}
	return m
}

// renderExplanations draws explanations of one or many codes, three in full
// and the rest one line each, with the row of buttons.
func (rt *Router) renderExplanations(lang *locales.Lang, st state, xs []Explanation) message {
	st.Lang = lang.Tag
	if len(xs) == 0 {
		return textMessage(lang.T("slack.no_codes"))
	}
	o := renderOptions{mask: rt.opts.MaskAddresses}
	var blocks []slack.Block
	if reply, _, ok := splitMismatch(st.Mismatch); ok {
		blocks = append(blocks, contextText(":warning: "+escape(strings.Join(mismatchNotes(lang, st.Mismatch, reply), " "))))
	}
	full := min(len(xs), maxFullExplanations)
	for i := range full {
		if i > 0 {
			blocks = append(blocks, slack.NewDividerBlock())
		}
		blocks = append(blocks, explanationBlocks(&xs[i], o)...)
	}
	if rest := xs[full:]; len(rest) > 0 {
		lines := []string{bold(lang.T("slack.more", "count", strconv.Itoa(len(rest))))}
		for i := range rest {
			lines = append(lines, summaryLine(&rest[i]))
		}
		blocks = append(blocks, slack.NewDividerBlock(), section(strings.Join(lines, "\n")))
	}
	if len(st.Worded) > 0 {
		// Recipients reported in words beside the codes' failures; the
		// buttons' row and a note on a cut input keep their room.
		blocks = append(blocks, besideBlocks(lang, rt.eng.wordedFromState(lang, st), o, maxBlocks-2-len(blocks))...)
	}
	blocks = append(blocks, rt.actions(lang, st, &xs[0]))
	text := xs[0].Heading() + " · " + lang.T("severity."+string(xs[0].Severity))
	if len(xs) > 1 {
		text += " " + lang.T("slack.and_more", "count", strconv.Itoa(len(xs)-1))
	}
	return message{text: truncate(text, maxSectionText), blocks: blocks}
}

// actions is the row of buttons under an answer: one per other language,
// "Compare with..." related codes of the main code, and "Share in channel"
// for ephemeral answers.
func (rt *Router) actions(lang *locales.Lang, st state, main *Explanation) slack.Block {
	var elems []slack.BlockElement
	// The language buttons carry the same state but for its language: one
	// encoding serves them all.
	var enc, encTag string
	for _, l := range rt.eng.Languages().Languages() {
		if l == lang {
			continue
		}
		value, ok := relang(enc, encTag, l.Tag)
		if !ok {
			s := st
			s.Lang = l.Tag
			value = s.encode()
			enc, encTag = value, l.Tag
		}
		elems = append(elems, slack.NewButtonBlockElement(actionLang+":"+l.Tag, value,
			slack.NewTextBlockObject(slack.PlainTextType, ":globe_with_meridians: "+l.Name, true, false)))
	}
	if main != nil {
		if opts := rt.compareOptions(lang, main); len(opts) > 0 {
			elems = append(elems, slack.NewOptionsSelectBlockElement(slack.OptTypeStatic,
				slack.NewTextBlockObject(slack.PlainTextType, lang.T("slack.button.compare"), true, false),
				actionCompare, opts...))
		}
	}
	if st.Check != nil && rt.opts.Diagnose == DiagnoseButton {
		elems = append(elems, rt.diagnoseButton(lang, st))
	}
	if st.Shareable {
		s := st
		s.Shareable = false
		elems = append(elems, slack.NewButtonBlockElement(actionShare, s.encode(),
			slack.NewTextBlockObject(slack.PlainTextType, lang.T("slack.button.share"), true, false)))
	}
	return slack.NewActionBlock("smtp_actions", elems...)
}

// compareOptions lists the codes related to the main part of x, as option
// values "lang|code|other" (Slack allows 150 characters), ten at most.
func (rt *Router) compareOptions(lang *locales.Lang, x *Explanation) []*slack.OptionBlockObject {
	var opts []*slack.OptionBlockObject
	for _, p := range x.Parts() {
		if p.Entry == nil {
			continue
		}
		for _, o := range rt.compareMenu(lang, p) {
			if len(opts) == 10 {
				break
			}
			opts = append(opts, slack.NewOptionBlockObject(o.value,
				slack.NewTextBlockObject(slack.PlainTextType, o.label, false, false), nil))
		}
	}
	return opts
}

// compareOption is the value and the label of an entry of the compare menu.
type compareOption struct{ value, label string }

// compareMenuKey names the menu of one part's related codes in a language.
type compareMenuKey struct {
	lang  *locales.Lang
	code  string
	entry *catalog.Entry
}

// compareMenu returns the menu of the codes related to p, a part with an
// entry, in lang: the same for every answer about that code, so it is
// built once per language and code (the codes with an entry are a few
// hundred).
func (rt *Router) compareMenu(lang *locales.Lang, p *Part) []compareOption {
	key := compareMenuKey{lang, p.Code, p.Entry}
	if m, ok := rt.menus.Load(key); ok {
		return m.([]compareOption)
	}
	var menu []compareOption
	for _, related := range p.Entry.Related {
		other := strings.Replace(related, "X", p.Code[:1], 1)
		oc, err := catalog.Parse(other)
		if err != nil {
			continue
		}
		menu = append(menu, compareOption{value: lang.Tag + "|" + p.Code + "|" + other,
			label: truncateRunes(other+" "+rt.eng.title(lang, oc), 75)})
	}
	rt.menus.Store(key, menu)
	return menu
}

// cmdPrefix is how commands are written: "/smtp " in a slash command's
// help, nothing in a DM.
func cmdPrefix(slash bool) string {
	if slash {
		return "/smtp "
	}
	return ""
}

func (rt *Router) helpMessage(lang *locales.Lang, slash bool) message {
	body := lang.T("slack.help.body", "cmd", cmdPrefix(slash))
	return message{text: lang.T("slack.help.title"), blocks: []slack.Block{
		header(lang.T("slack.help.title")),
		section(body),
		contextText(lang.T("slack.help.languages", "languages", languageNames(rt.eng.Languages()))),
	}}
}

func (rt *Router) usageMessage(lang *locales.Lang, problem string, slash bool) message {
	s := lang.T("slack.usage", "problem", escape(problem), "cmd", cmdPrefix(slash))
	return message{text: problem, blocks: []slack.Block{section(s)}}
}

// codesMessage lists the catalog in sections that each stay under Slack's
// 3,000 characters.
func (rt *Router) codesMessage(lang *locales.Lang) message {
	blocks := []slack.Block{header(lang.T("slack.codes.title"))}
	var b strings.Builder
	kind := catalog.Kind("")
	flush := func() {
		if b.Len() > 0 {
			blocks = append(blocks, section(b.String()))
			b.Reset()
		}
	}
	for _, e := range rt.eng.Catalog().Entries() {
		if e.Kind != kind {
			flush()
			kind = e.Kind
			b.WriteString(bold(lang.T("slack.codes."+string(kind))) + "\n")
		}
		t, _ := lang.Code(e.Key)
		line := "`" + e.Key + "` " + escape(t.Title) + "\n"
		if b.Len()+len(line) > maxSectionText {
			flush()
		}
		b.WriteString(line)
	}
	flush()
	return message{text: lang.T("slack.codes.title"), blocks: blocks}
}

// setLanguage answers "/smtp lang" and "/smtp lang vi".
func (rt *Router) setLanguage(ctx context.Context, req Request, want string, current *locales.Lang) message {
	langs := rt.eng.Languages()
	names := languageNames(langs)
	if want == "" {
		return textMessage(current.T("slack.lang.current", "language", current.Name, "languages", names, "cmd", "/smtp "))
	}
	l, ok := langs.Get(want)
	if !ok {
		return textMessage(current.T("slack.lang.unknown", "input", want, "languages", names))
	}
	if rt.prefs == nil {
		return textMessage(l.T("slack.lang.save_failed", "language", l.Name))
	}
	if err := rt.prefs.SaveLanguage(ctx, req.UserID, l.Tag); err != nil {
		rt.log.Error("saving a language choice failed", "user", req.UserID, "err", err)
		return textMessage(l.T("slack.lang.save_failed", "language", l.Name))
	}
	return textMessage(l.T("slack.lang.saved", "language", l.Name))
}

func languageNames(b *locales.Bundle) string {
	var names []string
	for _, l := range b.Languages() {
		names = append(names, l.Name+" (`"+l.Tag+"`)")
	}
	return strings.Join(names, ", ")
}
