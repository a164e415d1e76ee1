package handlers

import (
	"strings"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/catalog/extract"
	"github.com/smtpcodes/smtpbot/handlers/intent"
	"github.com/smtpcodes/smtpbot/locales"
)

// typedReply answers a line that asks about one code and quotes the
// server's words after it ("เมลเด้งกลับ 550 5.1.1 User unknown", "gửi mail
// bị lỗi: 550 5.1.1 User unknown") as the failure it reports: the reason and
// the next step at the top, read from those words, as for a bounce. The
// chat grammar reads such a line as a question about the code, and a
// lookup would explain the code in general only.
//
// The words (intent.AfterCode) count as the server's only when a reason
// rule recognises them: "customer gets 550 5.1.1 on every send to this
// domain" stays a lookup, as nothing in "on every send" is a server's.
func (e *Engine) typedReply(lang *locales.Lang, codes []catalog.Code, text string, named *catalog.Provider) (Report, bool) {
	if len(codes) != 1 || strings.ContainsAny(text, "\r\n") || len(text) > maxQuestion {
		return Report{}, false
	}
	text, _ = cutLangToken(text) // "lang:vi" is no server's word
	words := intent.AfterCode(text, codes[0])
	if words == "" {
		return Report{}, false
	}
	if _, ok := e.cat.ClassifyWords(words, e.cat.DetectBlocklist(words), false); !ok {
		return Report{}, false
	}
	det := e.cat.Detect(words)
	prov := det.Provider
	if prov == nil {
		prov = named
	}
	f := extract.Finding{Code: codes[0], ServerText: words, Role: extract.RoleFailure}
	x := e.explain(lang, catalog.Query{Code: codes[0], ServerText: words, Provider: prov, Blocklist: det.Blocklist}, extract.RoleFailure)
	return Report{Lang: lang, Provider: prov, Explanations: []Explanation{x}, text: text,
		found: extract.Extraction{Findings: []extract.Finding{f}}}, true
}
