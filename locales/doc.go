// Package locales holds every text the bot shows, one directory per
// language (en, vi, th, ...), and picks the language that best matches a
// user's preferences. Adding a language is adding a directory: no Go code
// changes.
//
// Each directory holds three JSON files a translator can edit:
//   - ui.json: labels, headings and sentence templates, keyed by name;
//   - replies.json and enhanced.json: title, meaning, when you see it and
//     how to fix it, for every code of package catalog, keyed by "550" or
//     "X.1.1";
//   - providers.json: what a mail provider means by a code, keyed by
//     "provider/code", and what each provider and blocklist is, keyed by its
//     id ("gmail", "spamhaus").
//
// Only each language's name and distinctive letters are read at load, from
// the top of its ui.json; the texts are decoded on first use, each file when
// a text it holds is first asked for, and Bundle.LoadAll decodes them all.
// The files are read without reflection where they can be (package
// internal/jsonread), and with encoding/json where not, with the same
// result.
//
// Templates name their blanks in braces, like "{code}"; every language must
// use the same blanks as English, which the package's tests check.
package locales
