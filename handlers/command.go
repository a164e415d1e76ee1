package handlers

import (
	"strings"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/handlers/intent"
)

// Verb is what a user asked for.
type Verb string

// The verbs of /smtp, of DMs and of mentions.
const (
	VerbHelp    Verb = "help"    // "", "help"
	VerbCodes   Verb = "codes"   // "codes"
	VerbLang    Verb = "lang"    // "lang vi", "lang"
	VerbExplain Verb = "explain" // "550", "5.7.26", "550 5.1.1", "what does 221 mean?"
	VerbCompare Verb = "compare" // "214 vs 556", "compare 421 450", "421 or 450?"
	VerbPaste   Verb = "paste"   // a bounce or a log line, perhaps with words around it
	VerbSearch  Verb = "search"  // codes by meaning: "which code means mailbox full?"
	VerbChat    Verb = "chat"    // no code and no topic: "hi!", "thanks", "lunch?"
	VerbInvalid Verb = "invalid" // something meant as a code that is not one
	VerbCheck   Verb = "check"   // "check example.com 192.0.2.4": live DNS checks
)

// Command is a parsed request text.
type Command struct {
	Verb Verb
	// Lang is the language asked for with "lang:th" for this answer only,
	// or the argument of "lang vi".
	Lang  string
	Codes []catalog.Code // one or more for VerbExplain, two for VerbCompare
	// Text is the text to search for codes (VerbPaste), or the question
	// (VerbSearch, VerbChat).
	Text string
	// Err is why a code did not parse (VerbInvalid).
	Err error
	// Tone is the small talk of a message with nothing to look up, and
	// Seed varies with its words, so that answers to it vary too
	// (VerbSearch, VerbChat).
	Tone intent.Tone
	Seed uint32
}

// ParseCommand reads what a user typed after /smtp, in a DM or after a
// mention. It never fails. The commands ("550", "214 vs 556", "codes",
// "lang vi") are read first; anything else is read by the chat grammar of
// package intent: a question about codes, a comparison asked in words, a
// bounce with words around it, a search by meaning, or small talk.
func ParseCommand(text string) Command {
	text, lang := cutLangToken(text)
	text = strings.TrimSpace(text)
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return Command{Verb: VerbHelp, Lang: lang}
	}
	if tag, ok := intent.LanguageSwitch(text); ok {
		// "switch to thai", "lang english", "tiếng việt": a language by
		// its name, and nothing else to answer.
		return Command{Verb: VerbLang, Lang: tag}
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
		// Alone, it asks how to check: the handler says what to give.
		return Command{Verb: VerbCheck, Lang: lang, Text: strings.TrimSpace(text[len(fields[0]):])}
	case "compare", "diff":
		if c := parseCompare(fields[1:], lang, text); c.Verb != VerbPaste {
			return orIntent(c, text)
		}
	case "explain":
		fields, text = fields[1:], strings.TrimSpace(text[len(fields[0]):])
		if len(fields) == 0 {
			return Command{Verb: VerbHelp, Lang: lang}
		}
	}
	if i := indexFold(fields, "vs"); i > 0 {
		if c := parseCompare(fields, lang, text); c.Verb != VerbPaste {
			return orIntent(c, text)
		}
	}
	if len(fields) <= 2 {
		joined := strings.Join(fields, " ")
		if code, err := catalog.Parse(joined); err == nil {
			return Command{Verb: VerbExplain, Lang: lang, Codes: []catalog.Code{code}}
		} else if _, _, ok := splitMismatch(joined); ok {
			// "450 5.1.1": both codes, and a note that the server erred.
			return Command{Verb: VerbPaste, Lang: lang, Text: joined}
		} else if len(fields) == 1 && looksLikeCode(fields[0]) {
			return Command{Verb: VerbInvalid, Lang: lang, Err: err}
		}
	}
	if len(text) > maxQuestion {
		return Command{Verb: VerbPaste, Lang: lang, Text: text}
	}
	return fromIntent(intent.Parse(text), lang, text)
}

// maxQuestion is the longest text read as a question: nobody types a
// question of 2,000 bytes, and a paste that long is read as a bounce
// without paying for the chat grammar first.
const maxQuestion = 2000

// orIntent keeps a command written as one ("compare 421 450") unless it
// failed to parse where the chat grammar reads a comparison: "550 vs 554?"
// or "550 vs 554 which is worse" are comparisons, "compare 550 999" is a
// mistake to point out.
func orIntent(c Command, text string) Command {
	if c.Verb == VerbCompare {
		return c
	}
	in := intent.Parse(text)
	if in.Kind == intent.Compare || c.Verb == VerbInvalid && in.Kind == intent.Explain && len(in.Codes) > 2 {
		// "550 vs 554 vs 553": three codes, each explained, rather
		// than "vs 553 is not an enhanced status code".
		return fromIntent(in, c.Lang, text)
	}
	return c
}

// fromIntent turns what the chat grammar read into a command. lang is the
// language asked for with "lang:xx", and text the message.
func fromIntent(in intent.Intent, lang, text string) Command {
	c := Command{Lang: lang, Text: text, Tone: in.Tone, Seed: in.Seed}
	switch in.Kind {
	case intent.Explain:
		c.Verb, c.Codes, c.Text = VerbExplain, in.Codes, ""
	case intent.Compare:
		c.Verb, c.Codes, c.Text = VerbCompare, in.Codes, ""
	case intent.Bounce:
		c.Verb = VerbPaste
		if in.Text != "" {
			c.Text = in.Text
		}
	case intent.Search:
		c.Verb = VerbSearch
	default:
		c.Verb = VerbChat
		if in.Tone == intent.ToneHelp {
			c.Verb = VerbHelp
		}
	}
	return c
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
