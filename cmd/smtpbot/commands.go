package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/catalog/extract"
	"github.com/smtpcodes/smtpbot/handlers"
	"github.com/smtpcodes/smtpbot/handlers/intent"
	"github.com/smtpcodes/smtpbot/locales"
)

func (c *cli) explain(args []string) error {
	var f commonFlags
	fs := c.flagSet("explain", "explain [--lang L] [--json] [TEXT | -]", &f)
	if done, err := c.parse(fs, args); done {
		return err
	}
	lang, err := c.language(f.lang)
	if err != nil {
		return err
	}
	text := strings.Join(fs.Args(), " ")
	typed := fs.NArg() > 0 && text != "-"
	if !typed {
		var cut handlers.Cut
		text, cut, err = readInput(c.stdin, maxInput)
		if err != nil {
			return err
		}
		if cut.Cut() {
			// On stderr, so that --json output stays valid JSON.
			fmt.Fprintln(c.stderr, handlers.CutNote(lang, cut))
		}
	}
	if strings.TrimSpace(text) == "" {
		return usagef("nothing to explain: give a code, a bounce or a log line as TEXT or on stdin")
	}
	if f.lang == "" {
		// A question written in Thai or Vietnamese is answered in it.
		if l, ok := c.eng.Languages().Get(intent.Language(text)); ok {
			lang = l
		}
	}
	if typed {
		// TEXT typed on the command line may be a question, read as the
		// bot reads chat: "what does 221 mean", "550 vs 554?". What
		// stdin holds is a paste, whether "-" or nothing named it.
		if done, err := c.question(lang, text, f.json); done {
			return err
		}
	}
	report := c.eng.ExplainText(lang, text)
	if len(report.Explanations) == 0 && looksLikeACode(text) {
		// A lone word that looks like a code but is not one deserves the
		// parse error, not "nothing found".
		if _, err := catalog.Parse(text); err != nil {
			return usageError{handlers.ErrorText(lang, err)}
		}
	}
	if f.json {
		if err := writeJSON(c.stdout, report.JSON()); err != nil {
			return err
		}
	} else if err := handlers.WriteReport(c.stdout, report); err != nil {
		return err
	}
	if len(report.Explanations) == 0 && len(report.Worded) == 0 {
		return exitCode(1)
	}
	return nil
}

// question answers TEXT read as a question: a comparison, codes asked
// about in a sentence, or codes found by meaning. It reports done false
// when TEXT is better read as a bounce, or a search found nothing.
func (c *cli) question(lang *locales.Lang, text string, asJSON bool) (bool, error) {
	cmd := handlers.ParseCommand(text)
	switch cmd.Verb {
	case handlers.VerbCompare:
		cmp := c.eng.Compare(lang, cmd.Codes[0], cmd.Codes[1])
		if asJSON {
			return true, writeJSON(c.stdout, cmp.JSON())
		}
		return true, handlers.WriteComparison(c.stdout, &cmp)
	case handlers.VerbExplain:
		named := c.eng.NamedProvider(text, cmd) // "5.7.26 from gmail"
		report := c.eng.ExplainTextNamed(lang, text, named)
		if !sameCodes(report, cmd.Codes) {
			report = c.eng.ExplainCodes(lang, cmd.Codes, named)
		}
		if asJSON {
			return true, writeJSON(c.stdout, report.JSON())
		}
		return true, handlers.WriteReport(c.stdout, report)
	case handlers.VerbSearch:
		found := c.eng.Search(lang, text)
		if len(found) == 0 {
			return false, nil
		}
		if asJSON {
			return true, writeJSON(c.stdout, handlers.NewFoundJSON(lang, text, found))
		}
		return true, handlers.WriteFound(c.stdout, lang, text, found)
	}
	return false, nil
}

// sameCodes reports whether r explains exactly codes, in order, as codes a
// server sent rather than codes mentioned in a sentence: then the
// extractor's reading of "550 5.1.1" is kept as it was.
func sameCodes(r handlers.Report, codes []catalog.Code) bool {
	if len(r.Explanations) != len(codes) {
		return false
	}
	for i, x := range r.Explanations {
		if x.Code != codes[i] || x.Role == extract.RoleQuoted {
			return false
		}
	}
	return true
}

// looksLikeACode is true for short inputs made of digits and dots, like
// "6.1.1" or "99", that a user meant as a code.
func looksLikeACode(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && len(s) <= 16 && strings.Trim(s, "0123456789. -") == ""
}

func (c *cli) compare(args []string) error {
	var f commonFlags
	fs := c.flagSet("compare", "compare [--lang L] [--json] CODE CODE", &f)
	if done, err := c.parse(fs, args); done {
		return err
	}
	lang, err := c.language(f.lang)
	if err != nil {
		return err
	}
	codes := fs.Args()
	if len(codes) == 3 && strings.EqualFold(codes[1], "vs") {
		codes = []string{codes[0], codes[2]}
	}
	if len(codes) != 2 {
		return usagef("compare takes two codes, like: smtpbot compare 421 450")
	}
	var parsed [2]catalog.Code
	for i, s := range codes {
		if parsed[i], err = catalog.Parse(s); err != nil {
			return usageError{handlers.ErrorText(lang, err)}
		}
	}
	cmp := c.eng.Compare(lang, parsed[0], parsed[1])
	if f.json {
		return writeJSON(c.stdout, cmp.JSON())
	}
	return handlers.WriteComparison(c.stdout, &cmp)
}

func (c *cli) codes(args []string) error {
	var f commonFlags
	fs := c.flagSet("codes", "codes [--lang L] [--json]", &f)
	if done, err := c.parse(fs, args); done {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("codes takes no arguments; to explain a code run: smtpbot explain %s", fs.Arg(0))
	}
	lang, err := c.language(f.lang)
	if err != nil {
		return err
	}
	cat := c.eng.Catalog()
	if !f.json {
		return handlers.WriteCodes(c.stdout, cat, lang)
	}
	return writeJSON(c.stdout, handlers.CodesJSON(cat, lang))
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
