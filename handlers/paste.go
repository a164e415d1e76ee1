package handlers

import (
	"errors"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/catalog/extract"
	"github.com/smtpcodes/smtpbot/locales"
)

// Report is every code found in a text, explained.
type Report struct {
	Lang *locales.Lang
	// Confidence is how sure the extractor is that the text is a bounce,
	// 0 to 1.
	Confidence   float64
	Explanations []Explanation // most important first
	// Provider is the mail provider whose servers wrote the text, or nil.
	Provider *catalog.Provider
	// Lookup is true when the text was only a code, asked about rather
	// than pasted from a bounce: it has no confidence and no roles.
	Lookup bool
	// Mismatch is a reply code and enhanced code whose classes differ,
	// looked up ("450 5.1.1") or written so by a server in the text
	// ("550 4.4.7 QUEUE.Expired"), which Notes explain; "" otherwise.
	Mismatch string
	// Notes are said before the explanations.
	Notes []string
	// Worded are the failures a bounce reports in words alone, read when
	// its codes, if any, report none and the text shows it is a bounce
	// (a line only bounces write, a report's field, a failed recipient
	// named as reports do).
	Worded []WordedFailure
	// Beside are the recipients a bounce reports in words alone beside
	// others that failed with a code (Exim's "retry timeout exceeded"
	// under one address, a 550 under the next), shown after the codes'
	// failures.
	Beside []WordedFailure
	text   string             // what was read, for the DNS checks it allows
	found  extract.Extraction // what Extract found in text
}

// ExplainText finds the codes in text (a bounce, a DSN, a transcript, a log
// line) and explains each in lang.
func (e *Engine) ExplainText(lang *locales.Lang, text string) Report {
	return e.ExplainTextNamed(lang, text, nil)
}

// ExplainTextNamed is ExplainText for a text that the person who pasted it
// says came from named ("got this from outlook: …", see
// catalog.ProviderNamed). The provider the text's own marks show wins; named
// only stands in when they show none.
func (e *Engine) ExplainTextNamed(lang *locales.Lang, text string, named *catalog.Provider) Report {
	if r, ok := e.lookup(lang, text, named); ok {
		return r
	}
	return e.explainExtraction(lang, text, extract.Extract(text), named)
}

// explainExtraction explains what Extract already found in text, for
// callers that looked at the extraction first.
func (e *Engine) explainExtraction(lang *locales.Lang, text string, x extract.Extraction, named *catalog.Provider) Report {
	r := Report{Lang: lang, Confidence: x.Confidence, text: text, found: x}
	if !hasFailure(x.Findings) {
		// A bounce may say why in words alone: "Connection timed out",
		// "retry timeout exceeded".
		r.Worded = e.worded(lang, text)
	} else {
		r.Beside = e.wordedBeside(lang, text, x.Findings)
	}
	if len(x.Findings) == 0 {
		return r
	}
	det := e.cat.Detect(text)
	prov := det.Provider
	if prov == nil {
		prov = named
	}
	r.Provider = prov
	dets := e.replyDetections(x.Findings, prov)
	r.Explanations = make([]Explanation, len(x.Findings))
	for i, f := range x.Findings {
		if dets != nil {
			prov, det = dets[i].Provider, dets[i]
		}
		if r.Mismatch == "" && f.Role == extract.RoleFailure && !f.Unpaired.IsZero() {
			// Each code of the pair is its own finding: say why.
			r.Mismatch = f.Code.Reply.String() + " " + f.Unpaired.String()
			r.Notes = mismatchNotes(lang, r.Mismatch, f.Code.Reply)
		}
		r.Explanations[i] = e.explain(lang, catalog.Query{Code: f.Code, ServerText: f.ServerText,
			Provider: prov, Blocklist: det.Blocklist, Final: f.Final, Delayed: f.Delayed, Command: f.Command}, f.Role)
		r.Explanations[i].Recipients = f.Recipients
	}
	return r
}

// replyDetections names, for each finding, the provider and blocklist of
// the server that sent its reply, where the bounce says which server that
// was (extract.Finding.Lead, with the reply's own words): a message to a
// Gmail and a Yahoo recipient bounces with both replies, and neither
// provider's meanings may explain the other's; nor may they explain the
// reply of a third recipient's small server, and one reply's blocklist is
// not another's.
//
// Each finding takes what its own lead and words name when the failures
// do not agree on one provider: two providers, or one named by some and
// none by another (its lead names a server no provider runs, or nothing
// at all). When they agree, every finding takes whole (the whole text's
// provider, or the one the question names), as one provider's bounce
// names its servers on some lines only (a transcript's "while talking to
// gateway-a.comcast.net.:"); a bounce with several failures still gives
// each its own blocklist. It returns nil for
// a bounce with fewer than two failures, which takes the whole text's, and
// then reads no lead at all: most pastes are one reply.
func (e *Engine) replyDetections(fs []extract.Finding, whole *catalog.Provider) []catalog.Detection {
	failures := 0
	for _, f := range fs {
		if f.Role == extract.RoleFailure {
			failures++
		}
	}
	if failures < 2 {
		return nil
	}
	dets := make([]catalog.Detection, len(fs))
	var first *catalog.Provider
	several, bare := false, false
	for i, f := range fs {
		dets[i] = e.cat.Detect(f.Lead + "\n" + f.ServerText)
		if f.Role != extract.RoleFailure {
			continue
		}
		switch p := dets[i].Provider; {
		case p == nil:
			bare = true
		case first == nil:
			first = p
		case p != first:
			several = true
		}
	}
	if several || first != nil && bare {
		return dets
	}
	for i := range dets {
		dets[i].Provider = whole
	}
	return dets
}

// ErrorText explains err in lang when it is a parse error, and returns its
// English message otherwise.
func ErrorText(lang *locales.Lang, err error) string {
	var pe *catalog.ParseError
	if errors.As(err, &pe) {
		return lang.T("parse."+pe.Reason, "input", pe.Input)
	}
	return err.Error()
}
