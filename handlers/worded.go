package handlers

import (
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/catalog/extract"
	"github.com/smtpcodes/smtpbot/locales"
)

// WordedFailure is a failure a bounce reports in words alone, with no code
// (Postfix's "connect to ...: Connection timed out", Exim's "retry timeout
// exceeded"): the reason and the next step read from those words, without
// a code's general explanation, which there is no code for.
type WordedFailure struct {
	Text      string   // what the bounce says
	Outcome   *Outcome // the reason, the next step, and why hard or soft ("" when the words do not say)
	ActorText string
	delayed   bool // read from a delay warning: nothing has bounced yet
}

// maxWorded bounds the failures read from one text's words: a bounce names
// a few recipients, each once.
const maxWorded = 5

// worded reads the failures of a text whose codes, if any, report none:
// each piece of the report whose words a reason rule recognises, once per
// verdict.
func (e *Engine) worded(lang *locales.Lang, text string) (out []WordedFailure) {
	w := extract.ReadWorded(text)
	if !w.Bounce {
		// Chatter that says "moved to" or "mailbox is full" is no bounce.
		return nil
	}
	return e.wordedPieces(lang, w.Pieces, w.Delayed)
}

// wordedBeside reads the recipients a bounce reports in words alone beside
// the findings, which report others with a code (extract.Worded.Beside).
func (e *Engine) wordedBeside(lang *locales.Lang, text string, fs []extract.Finding) []WordedFailure {
	w := extract.WordedBeside(text, fs)
	if len(w.Pieces) == 0 {
		return nil
	}
	return e.wordedPieces(lang, w.Pieces, w.Delayed)
}

// wordedPieces gives each piece whose words a reason rule recognises its
// verdict, once per verdict.
func (e *Engine) wordedPieces(lang *locales.Lang, pieces []string, delayed bool) (out []WordedFailure) {
	var seen []catalog.Verdict
	for _, piece := range pieces {
		v, ok := e.cat.ClassifyWords(piece, e.cat.DetectBlocklist(piece), delayed)
		if !ok || slices.Contains(seen, v) {
			// Recipients refused for the same reason ("This account has
			// been disabled" for each of four) are one answer.
			continue
		}
		seen = append(seen, v)
		out = append(out, WordedFailure{Text: piece, Outcome: wordedOutcome(lang, &v, delayed),
			ActorText: lang.T("actor." + string(v.Actor)), delayed: delayed})
		if len(out) == maxWorded {
			break
		}
	}
	return out
}

// wordedOutcome puts a verdict read from words alone into words. A delay
// warning's failure reads as a 4xx's (the server still retries); a
// bounce's says why hard or soft only when its reason or words decide it.
func wordedOutcome(l *locales.Lang, v *catalog.Verdict, delayed bool) *Outcome {
	var c catalog.Class
	if delayed {
		c = catalog.ClassTransientNegative
	}
	o := outcomeInWords(l, v, c, delayed)
	o.SourceText = l.T("reason.source.words_only")
	forReason := "action." + string(v.Action) + ".for." + string(v.Reason)
	if s, ok := l.Lookup(forReason + ".nocode"); ok && o.ActionText == l.T(forReason) {
		// The reason's own words for the step, for a bounce with no reply.
		o.ActionText = s
	} else if s, ok := l.Lookup("action." + string(v.Action) + ".text_nocode"); ok && o.ActionText == l.T(actionKeys[v.Action].text) {
		// "after this reply": there is no reply, only the bounce.
		o.ActionText = s
	}
	if !delayed {
		o.Why = ""
		switch {
		case v.Bounce == catalog.BounceHard && v.Basis == catalog.BasisReason:
			// No class is named in it: the 5xx line says it all.
			o.Why = l.T("bounce.why.hard.reason.5", "reason", o.ReasonTitle)
		case v.Bounce != "":
			o.Why = whyLine(l, v, "nocode", o.ReasonTitle)
		}
	}
	return o
}

// wordedTitle heads the answer: a delay warning is no bounce yet.
func wordedTitle(l *locales.Lang, ws []WordedFailure) string {
	if len(ws) > 0 && ws[0].delayed {
		return l.T("worded.title.delayed")
	}
	return l.T("worded.title")
}

// writeWorded writes the failures read from a bounce's words, in text:
// the title once, each failure's reason and next step with the words it
// was read from, and where fuller answers come from.
func writeWorded(t *textWriter, l *locales.Lang, ws []WordedFailure) {
	writeWordedUnder(t, l, wordedTitle(l, ws), ws)
	t.printf("\n%s\n", l.T("worded.hint"))
}

// writeWordedUnder writes title, underlined, then each failure's reason
// and next step with the words it was read from.
func writeWordedUnder(t *textWriter, l *locales.Lang, title string, ws []WordedFailure) {
	t.printf("%s\n%s\n", title, underline(title))
	for i := range ws {
		w := &ws[i]
		if i > 0 {
			t.printf("\n")
		}
		writeOutcome(t, l, w.Outcome, w.ActorText)
		t.section(l.T("heading.bounce_said"), w.Text)
	}
}

// besideTitle heads the recipients reported in words beside coded
// failures.
func besideTitle(l *locales.Lang, ws []WordedFailure) string {
	if len(ws) > 1 {
		return l.T("worded.beside.title.many")
	}
	return l.T("worded.beside.title")
}

// writeBeside writes the recipients reported in words beside coded
// failures: each one's reason and next step, and the words they come from.
func writeBeside(t *textWriter, l *locales.Lang, ws []WordedFailure) {
	t.printf("\n")
	writeWordedUnder(t, l, besideTitle(l, ws), ws)
}

// besideBlocks renders the recipients reported in words beside coded
// failures in at most room blocks: two for each, and a divider and the
// title above them; those that do not fit are left out.
func besideBlocks(l *locales.Lang, ws []WordedFailure, o renderOptions, room int) []slack.Block {
	n := min(len(ws), (room-2)/2)
	if n <= 0 {
		return nil
	}
	blocks := []slack.Block{slack.NewDividerBlock(), section(bold(besideTitle(l, ws[:n])))}
	for i := range ws[:n] {
		w := &ws[i]
		said := w.Text
		if o.mask {
			said = maskAddresses(said)
		}
		lines := bold(l.T("heading.actor")) + ": " + escape(w.ActorText)
		if w.Outcome.Why != "" {
			lines = escape(w.Outcome.Why) + "\n" + lines
		}
		blocks = append(blocks, outcomeSection(l, w.Outcome),
			contextText(lines+"\n"+bold(l.T("heading.bounce_said"))+": "+escape(truncate(said, maxServerText))))
	}
	return blocks
}

// wordedBlocks renders the failures read from a bounce's words in Block
// Kit: for each, the reason and next step, then what the bounce says.
func wordedBlocks(l *locales.Lang, ws []WordedFailure, o renderOptions) []slack.Block {
	blocks := []slack.Block{header(wordedTitle(l, ws))}
	for i := range ws {
		w := &ws[i]
		if i > 0 {
			blocks = append(blocks, slack.NewDividerBlock())
		}
		out := w.Outcome
		said := w.Text
		if o.mask {
			said = maskAddresses(said)
		}
		why := ""
		if out.Why != "" {
			why = escape(out.Why) + "\n"
		}
		blocks = append(blocks,
			outcomeSection(l, out),
			contextText(why+bold(l.T("heading.actor"))+": "+escape(w.ActorText)+
				"\n_"+escape(l.T("heading.reason"))+": "+escape(out.SourceText)+"_"),
			section(bold(l.T("heading.bounce_said"))+"\n```"+escape(truncate(said, maxServerText))+"```"))
	}
	return append(blocks, contextText(escape(l.T("worded.hint"))))
}

// JSONWorded is a failure a bounce reports in words alone, with no code.
type JSONWorded struct {
	Text       string     `json:"text"`
	Reason     JSONReason `json:"reason"`
	Action     JSONAction `json:"action"`
	WhoMustAct JSONAdvice `json:"who_must_act"`
	Bounce     string     `json:"bounce"` // "hard", "soft", or "" when the words do not say
	BounceWhy  string     `json:"bounce_why,omitempty"`
}

// JSON returns the failure's JSON shape.
func (w *WordedFailure) JSON() JSONWorded {
	o := w.Outcome
	j := JSONWorded{Text: w.Text,
		Reason:     JSONReason{ID: string(o.Reason), Title: o.ReasonTitle, Text: o.ReasonText, Source: string(o.Source), Variant: o.Variant},
		Action:     JSONAction{Value: string(o.Action), Text: o.ActionText, Title: o.ActionTitle},
		WhoMustAct: JSONAdvice{Value: string(o.Actor), Text: w.ActorText},
		Bounce:     string(o.Bounce), BounceWhy: o.Why}
	if o.Blocklist != nil {
		j.Action.Blocklist, j.Action.BlocklistURL = o.Blocklist.Name, o.Blocklist.Delist
	}
	return j
}

// renderWorded draws the failures r read from a bounce's words, with the
// buttons to switch language and share; the state carries their verdicts.
func (rt *Router) renderWorded(lang *locales.Lang, st state, r Report) message {
	st.fromWorded(r.Worded, rt.opts.MaskAddresses)
	return rt.wordedMessage(lang, st, r.Worded)
}

func (rt *Router) wordedMessage(lang *locales.Lang, st state, ws []WordedFailure) message {
	st.Lang = lang.Tag
	blocks := append(wordedBlocks(lang, ws, renderOptions{mask: rt.opts.MaskAddresses}), rt.actions(lang, st, nil))
	return message{text: truncate(wordedTitle(lang, ws)+" · "+ws[0].Outcome.ReasonTitle, maxSectionText), blocks: blocks}
}

// wordedFromState rebuilds, in lang, the failures a button's state carries:
// their verdicts were decided when the bounce was read.
func (e *Engine) wordedFromState(lang *locales.Lang, st state) []WordedFailure {
	out := make([]WordedFailure, 0, len(st.Worded))
	for _, w := range st.Worded {
		v := catalog.Verdict{Reason: catalog.Reason(w.Reason), Source: catalog.SourceWords, Variant: w.Variant,
			Action: catalog.Action(w.Action), Actor: catalog.Actor(w.Actor),
			Bounce: catalog.Bounce(w.Bounce), Basis: catalog.Basis(w.Basis)}
		if bl, ok := e.cat.Blocklist(w.Blocklist); ok && w.Blocklist != "" {
			v.Blocklist = bl
		}
		out = append(out, WordedFailure{Text: w.Text, Outcome: wordedOutcome(lang, &v, st.WordedDelayed),
			ActorText: lang.T("actor." + string(v.Actor)), delayed: st.WordedDelayed})
	}
	return out
}

// wordedBounce answers a question the chat grammar did not read as a
// bounce ("<a@example.com>: connect to ...: Connection timed out" has no
// code to go by) when the text shows it is one and its words give a
// reason; a question that merely names one ("is the mailbox full?") gets
// the chat's answer.
func (rt *Router) wordedBounce(lang *locales.Lang, st state, text string) (message, bool) {
	// Read only when no code reports a failure, as ExplainText does; a
	// code the text only mentions does not hide the one its words
	// report. The codes' explanations are not needed here, so they are
	// not built.
	if hasFailure(extract.Extract(text).Findings) {
		return message{}, false
	}
	ws := rt.eng.worded(lang, text)
	if len(ws) == 0 {
		return message{}, false
	}
	return rt.renderWorded(lang, st, Report{Lang: lang, Worded: ws}), true
}

// pastedWorded answers a bounce pasted with a code it only mentions, which
// the chat grammar took for a question about that code ("... see our FAQ
// for what codes such as 5.2.2 mean"), for the failure its words report. A
// question typed on one line is not a paste.
func (rt *Router) pastedWorded(lang *locales.Lang, st state, verb Verb, text string) (message, bool) {
	if verb != VerbExplain || !strings.Contains(strings.TrimSpace(text), "\n") {
		return message{}, false
	}
	return rt.wordedBounce(lang, st, text)
}
