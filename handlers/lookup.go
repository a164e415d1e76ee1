package handlers

import (
	"errors"
	"strings"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

// maxLookup bounds the length of a text read as a bare code: "550 5.7.26"
// and its variants are far shorter.
const maxLookup = 24

// lookup explains a text that is nothing but a code ("421", "550 5.1.1"):
// a question about the code, not a bounce, so its report has no bounce
// confidence and no roles. A reply code and an enhanced code of different
// classes ("450 5.1.1") are a server's mistake: the report says so and
// explains each code on its own. It returns false for any other text.
func (e *Engine) lookup(lang *locales.Lang, text string, named *catalog.Provider) (Report, bool) {
	s := strings.TrimSpace(text)
	if s == "" || len(s) > maxLookup || strings.ContainsAny(s, "\r\n") {
		return Report{}, false
	}
	code, err := catalog.Parse(s)
	if err == nil {
		return Report{Lang: lang, Lookup: true, Provider: named, Explanations: []Explanation{e.explain(lang, code, "", named)}}, true
	}
	var pe *catalog.ParseError
	if !errors.As(err, &pe) || pe.Reason != catalog.ReasonClassesDiffer {
		return Report{}, false
	}
	reply, enhanced, ok := splitMismatch(s)
	if !ok {
		return Report{}, false
	}
	return Report{
		Lang:     lang,
		Lookup:   true,
		Mismatch: s,
		Notes:    mismatchNotes(lang, s, reply),
		Explanations: []Explanation{
			e.Explain(lang, catalog.Code{Reply: reply}, ""),
			e.Explain(lang, catalog.Code{Enhanced: enhanced}, ""),
		},
	}, true
}

// splitMismatch reads "450 5.1.1" or "450-5.1.1" as its two codes, as
// catalog.Parse splits them.
func splitMismatch(s string) (catalog.Reply, catalog.Enhanced, bool) {
	i := strings.IndexAny(s, " \t-")
	if i < 0 {
		return 0, catalog.Enhanced{}, false
	}
	r, err1 := catalog.ParseReply(s[:i])
	en, err2 := catalog.ParseEnhanced(strings.TrimLeft(s[i+1:], " \t"))
	return r, en, err1 == nil && err2 == nil
}

// mismatchNotes say that the codes of input disagree on their class, and
// which one an SMTP client acts on.
func mismatchNotes(lang *locales.Lang, input string, reply catalog.Reply) []string {
	return []string{
		lang.T("parse.classes_differ", "input", input),
		lang.T("lookup.classes_differ", "reply", reply.String()),
	}
}
