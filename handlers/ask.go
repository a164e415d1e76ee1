package handlers

import (
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/slack-go/slack"
	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/handlers/intent"
	"github.com/smtpcodes/smtpbot/locales"
)

// This file answers what the chat grammar of package intent reads beyond
// commands: questions by meaning ("which code means mailbox full?") and
// small talk with nothing to look up.

// lazyIndex builds the search index once, on first use.
type lazyIndex struct {
	once sync.Once
	ix   *intent.Index
}

// maxFound is how many codes a search by meaning shows: a few good ones.
const maxFound = 5

// Found is a code found by what it means, with its texts in one language.
type Found struct {
	Key     string // the catalog key: "552", "X.2.2"
	Code    string // how people write it: "552", "5.2.2 / 4.2.2"
	Example string // one code to ask about next: "552", "5.2.2"
	Title   string
	Meaning string
}

// Search finds the codes whose texts, in any language, or whose synonyms
// match question, best first, with their texts in lang.
func (e *Engine) Search(lang *locales.Lang, question string) []Found {
	e.search.once.Do(func() { e.search.ix = intent.NewIndex(e.cat, e.langs) })
	var out []Found
	for _, m := range e.search.ix.Search(question, maxFound) {
		entry, ok := e.cat.ByKey(m.Key)
		if !ok {
			continue
		}
		all, _ := lang.Code(entry.Key)
		code, example := entry.Key, entry.Key
		t := all
		if entry.Kind == catalog.KindEnhanced {
			code, example = enhancedForms(entry)
			t = all.In(example[:1]) // the texts of the class named first
		}
		out = append(out, Found{Key: entry.Key, Code: code, Example: example, Title: t.Title, Meaning: t.Meaning})
	}
	return out
}

// enhancedForms writes a registry key such as X.2.2 as the codes servers
// send: "5.2.2 / 4.2.2" for a failure, "2.1.5" for a code only sent with
// success.
func enhancedForms(entry *catalog.Entry) (forms, first string) {
	rest := strings.TrimPrefix(entry.Key, "X")
	used := entry.UsedIn()
	if len(used) == 0 {
		return "5" + rest + " / 4" + rest, "5" + rest
	}
	var b strings.Builder
	for i := len(used) - 1; i >= 0; i-- { // failures first, the permanent one first
		if b.Len() > 0 {
			b.WriteString(" / ")
		}
		b.WriteString(strconv.Itoa(int(used[i])) + rest)
	}
	return b.String(), strconv.Itoa(int(used[len(used)-1])) + rest
}

// firstSentence is the first sentence of s, or s cut at about max runes
// on a space: enough to tell codes apart in a list.
func firstSentence(s string, max int) string {
	if i := strings.Index(s, ". "); i > 0 && len([]rune(s[:i])) <= max {
		return s[:i+1]
	}
	return truncateRunes(s, max)
}

// searchMessage lists the codes that match a question by meaning, or
// falls back to small talk when none does.
func (rt *Router) searchMessage(lang *locales.Lang, cmd Command, slash bool) (message, bool) {
	found := rt.eng.Search(lang, cmd.Text)
	if len(found) == 0 {
		return message{}, false
	}
	query := truncateRunes(strings.Join(strings.Fields(intent.Clean(cmd.Text)), " "), 80)
	lines := []string{bold(lang.T("intent.search.title", "query", query))}
	for _, f := range found {
		lines = append(lines, "• `"+f.Code+"` *"+escape(f.Title)+"*: "+escape(firstSentence(f.Meaning, 160)))
	}
	hint := lang.T("intent.search.hint", "cmd", cmdPrefix(slash), "code", found[0].Example)
	return message{
		text:   lang.T("intent.search.title", "query", query),
		blocks: []slack.Block{section(strings.Join(lines, "\n")), contextText(hint)},
	}, true
}

// numExamples is how many example questions each language has under
// "intent.example.N" in ui.json.
const numExamples = 8

// chatMessage answers a message with nothing to look up: a greeting, thanks,
// a search that found nothing, or words the bot cannot read. It says what
// the bot does and gives two example questions, picked by the message's
// own words so that two different messages rarely get the same answer.
func (rt *Router) chatMessage(lang *locales.Lang, cmd Command, slash bool) message {
	i := int(cmd.Seed % numExamples)
	j := (i + 1 + int(cmd.Seed/numExamples%(numExamples-1))) % numExamples
	examples := lang.T("intent.examples",
		"a", cmdPrefix(slash)+lang.T("intent.example."+strconv.Itoa(i+1)),
		"b", cmdPrefix(slash)+lang.T("intent.example."+strconv.Itoa(j+1)))
	key := "intent.chat.other"
	switch {
	case cmd.Verb == VerbSearch:
		key = "intent.chat.no_match"
	case cmd.Tone == intent.ToneGreeting:
		key = "intent.chat.greeting"
	case cmd.Tone == intent.ToneThanks:
		key = "intent.chat.thanks"
	}
	query := truncateRunes(strings.Join(strings.Fields(intent.Clean(cmd.Text)), " "), 80)
	s := lang.T(key, "examples", examples, "cmd", cmdPrefix(slash), "query", escape(query))
	return message{text: s, blocks: []slack.Block{section(s)}}
}

// ExplainCodes explains codes asked about in a question, with no server's
// words: "what does 550 5.7.1 mean?".
func (e *Engine) ExplainCodes(lang *locales.Lang, codes []catalog.Code, named *catalog.Provider) Report {
	r := Report{Lang: lang, Lookup: true, Provider: named}
	for _, c := range codes {
		r.Explanations = append(r.Explanations, e.explain(lang, c, "", named))
	}
	return r
}

// NamedProvider returns the provider a person's own words name around what
// they asked or pasted ("why am I getting 5.7.26 from gmail", "got this from
// outlook: <bounce>"), or nil. Words inside a pasted bounce do not count:
// they may quote anyone.
func (e *Engine) NamedProvider(text string, cmd Command) *catalog.Provider {
	words := text
	if cmd.Verb == VerbPaste && cmd.Text != "" {
		if words = strings.Replace(text, cmd.Text, " ", 1); words == text {
			return nil // the paste is not in the text as typed: no telling words from paste
		}
	}
	return e.cat.ProviderNamed(words)
}

// FoundJSON is the JSON shape of a search by meaning.
type FoundJSON struct {
	Language string      `json:"language"`
	Query    string      `json:"query"`
	Matches  []FoundCode `json:"matches"`
}

// FoundCode is one code found by meaning, in JSON.
type FoundCode struct {
	Key     string `json:"key"`
	Code    string `json:"code"`
	Title   string `json:"title"`
	Meaning string `json:"meaning"`
}

// NewFoundJSON returns the JSON of a search by meaning.
func NewFoundJSON(lang *locales.Lang, query string, found []Found) FoundJSON {
	j := FoundJSON{Language: lang.Tag, Query: query, Matches: []FoundCode{}}
	for _, f := range found {
		j.Matches = append(j.Matches, FoundCode{Key: f.Key, Code: f.Code, Title: f.Title, Meaning: f.Meaning})
	}
	return j
}

// WriteFound writes the codes found by meaning, one per paragraph.
func WriteFound(w io.Writer, lang *locales.Lang, query string, found []Found) error {
	t := &textWriter{w: w}
	title := lang.T("intent.search.title", "query", strings.Join(strings.Fields(query), " "))
	t.printf("%s\n%s\n", title, underline(title))
	for _, f := range found {
		t.printf("\n%s  %s\n  %s\n", f.Code, f.Title, firstSentence(f.Meaning, 200))
	}
	t.printf("\n%s\n", strings.ReplaceAll(lang.T("intent.search.hint", "cmd", "smtpbot explain ", "code", found[0].Example), "`", ""))
	return t.err
}
