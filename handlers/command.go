package handlers

import (
	"strings"

	"github.com/smtpcodes/smtpbot/catalog"
)

// Verb is what a user asked for.
type Verb string

// The verbs of /smtp, of DMs and of mentions.
const (
	VerbHelp    Verb = "help"    // "", "help"
	VerbCodes   Verb = "codes"   // "codes"
	VerbLang    Verb = "lang"    // "lang vi", "lang"
	VerbExplain Verb = "explain" // "550", "5.7.26", "550 5.1.1"
	VerbCompare Verb = "compare" // "214 vs 556", "compare 421 450"
	VerbPaste   Verb = "paste"   // anything else: a bounce, a log line
	VerbInvalid Verb = "invalid" // something meant as a code that is not one
	VerbCheck   Verb = "check"   // "check example.com 192.0.2.4": live DNS checks
)

// Command is a parsed request text.
type Command struct {
	Verb Verb
	// Lang is the language asked for with "lang:th" for this answer only,
	// or the argument of "lang vi".
	Lang  string
	Codes []catalog.Code // one for VerbExplain, two for VerbCompare
	// Text is the text to search for codes (VerbPaste).
	Text string
	// Err is why a code did not parse (VerbInvalid).
	Err error
}

// ParseCommand reads what a user typed after /smtp, in a DM or after a
// mention. It never fails: what it cannot read as a verb is a paste.
func ParseCommand(text string) Command {
	text, lang := cutLangToken(text)
	text = strings.TrimSpace(text)
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return Command{Verb: VerbHelp, Lang: lang}
	}
	switch strings.ToLower(fields[0]) {
	case "help", "?", "usage":
		if len(fields) == 1 {
			return Command{Verb: VerbHelp, Lang: lang}
		}
	case "codes", "list":
		if len(fields) == 1 {
			return Command{Verb: VerbCodes, Lang: lang}
		}
	case "lang", "language":
		if len(fields) <= 2 {
			c := Command{Verb: VerbLang, Lang: lang}
			if len(fields) == 2 {
				c.Lang = fields[1]
			}
			return c
		}
	case "check", "dns":
		if len(fields) > 1 {
			return Command{Verb: VerbCheck, Lang: lang, Text: strings.TrimSpace(text[len(fields[0]):])}
		}
	case "compare", "diff":
		return parseCompare(fields[1:], lang, text)
	case "explain":
		fields, text = fields[1:], strings.TrimSpace(text[len(fields[0]):])
		if len(fields) == 0 {
			return Command{Verb: VerbHelp, Lang: lang}
		}
	}
	if i := indexFold(fields, "vs"); i > 0 {
		if c := parseCompare(fields, lang, text); c.Verb == VerbCompare {
			return c
		}
	}
	if len(fields) <= 2 {
		if code, err := catalog.Parse(strings.Join(fields, " ")); err == nil {
			return Command{Verb: VerbExplain, Lang: lang, Codes: []catalog.Code{code}}
		} else if len(fields) == 1 && looksLikeCode(fields[0]) {
			return Command{Verb: VerbInvalid, Lang: lang, Err: err}
		}
	}
	return Command{Verb: VerbPaste, Lang: lang, Text: text}
}

// parseCompare reads "A B", "A vs B" or "A B vs C D" (codes of two parts).
func parseCompare(fields []string, lang, text string) Command {
	var sides []string
	if i := indexFold(fields, "vs"); i >= 0 {
		sides = []string{strings.Join(fields[:i], " "), strings.Join(fields[i+1:], " ")}
	} else if len(fields) == 2 {
		sides = fields
	} else {
		return Command{Verb: VerbPaste, Lang: lang, Text: text}
	}
	c := Command{Verb: VerbCompare, Lang: lang}
	for _, s := range sides {
		code, err := catalog.Parse(s)
		if err != nil {
			return Command{Verb: VerbInvalid, Lang: lang, Err: err}
		}
		c.Codes = append(c.Codes, code)
	}
	return c
}

// cutLangToken removes a "lang:xx" token, which asks for one answer in xx.
func cutLangToken(text string) (rest, lang string) {
	fields := strings.Fields(text)
	for _, f := range fields {
		if len(f) > 5 && strings.EqualFold(f[:5], "lang:") {
			lang = f[5:]
			text = strings.Replace(text, f, "", 1)
		}
	}
	return text, lang
}

func indexFold(fields []string, word string) int {
	for i, f := range fields {
		if strings.EqualFold(f, word) {
			return i
		}
	}
	return -1
}

// looksLikeCode is true for a short token of digits and dots, like "6.1.1"
// or "99", that a user meant as a code; "1.2.3.4" is an address, and a
// long number is not a code either.
func looksLikeCode(s string) bool {
	if s == "" || len(s) > 9 || strings.Trim(s, "0123456789.") != "" {
		return false
	}
	dots := strings.Count(s, ".")
	return dots == 0 && len(s) <= 4 || dots == 2
}
