package locales

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

//go:embed all:data
var dataFS embed.FS

// Fallback is the tag of the language every other is checked against and
// that is used when no preference matches.
const Fallback = "en"

// CodeText is what one language says about one code. An enhanced code's
// texts may differ by class: Classes holds, under "2", "4" or "5", the fields
// that hold only in that class, and the fields here hold in every class the
// code is used in.
type CodeText struct {
	Title   string `json:"title"`
	Meaning string `json:"meaning,omitempty"`
	When    string `json:"when,omitempty"`
	// Fix is the fix, one step per party addressed; package catalog names
	// the party of each step.
	Fix     Steps               `json:"fix,omitempty"`
	Classes map[string]CodeText `json:"classes,omitempty"`
}

// In returns the texts that hold in class ("2", "4", "5"): the class's own
// fields, and the shared ones where the class has none.
func (t CodeText) In(class string) CodeText {
	out := CodeText{Title: t.Title, Meaning: t.Meaning, When: t.When, Fix: t.Fix}
	c, ok := t.Classes[class]
	if !ok {
		return out
	}
	if c.Title != "" {
		out.Title = c.Title
	}
	if c.Meaning != "" {
		out.Meaning = c.Meaning
	}
	if c.When != "" {
		out.When = c.When
	}
	if len(c.Fix) > 0 {
		out.Fix = c.Fix
	}
	return out
}

// Steps is a fix as its steps, each a sentence or a few addressed to one
// party. In the data files, a fix of one step may be a plain string.
type Steps []string

// UnmarshalJSON reads a string as one step, or an array of steps.
func (s *Steps) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = Steps{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*s = many
	return nil
}

// String joins the steps into one paragraph.
func (s Steps) String() string { return strings.Join(s, " ") }

// ProviderText is what one language says about a provider's own use of a
// code.
type ProviderText struct {
	Title   string `json:"title"`
	Meaning string `json:"meaning"`
	Fix     string `json:"fix"`
}

// Lang is one language's texts.
type Lang struct {
	Tag      string     // "vi"
	Name     string     // the language's name in itself: "Tiếng Việt"
	letters  string     // the distinctive letters, read with Name at load
	files    *langFiles // labels, code, provider and contrast texts, read on first use
	fallback *Lang      // nil for the fallback language itself
}

// Bundle is the set of languages. It is read-only once loaded and safe for
// concurrent use.
type Bundle struct {
	langs    []*Lang // Fallback first, then by tag
	byTag    map[string]*Lang
	matcher  func() language.Matcher // built on first use: an exact tag needs none
	fallback *Lang
	letters  func() map[rune]int // distinctive letter → index in langs, built on first use
}

// Load reads the embedded languages.
func Load() (*Bundle, error) {
	sub, err := fs.Sub(dataFS, "data")
	if err != nil {
		return nil, err
	}
	return LoadFS(sub)
}

// LoadFS reads one directory per language from fsys. It fails when the
// fallback language or a language's file is missing; each language's name
// and letters are read at once, its texts on first use (see LoadAll). Completeness is
// checked by tests, not at start-up, so a missing text never stops the bot.
func LoadFS(fsys fs.FS) (*Bundle, error) {
	dirs, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("locales: %w", err)
	}
	b := &Bundle{byTag: map[string]*Lang{}}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		tag, err := language.Parse(d.Name())
		if err != nil {
			return nil, fmt.Errorf("locales: directory %q is not a language tag: %w", d.Name(), err)
		}
		l := &Lang{Tag: tag.String()}
		if l.Name, l.letters, err = nameAndLetters(fsys, path.Join(d.Name(), "ui.json")); err != nil {
			return nil, fmt.Errorf("locales: %w", err)
		}
		for _, f := range []string{"replies.json", "enhanced.json", "providers.json"} {
			if _, err := fs.Stat(fsys, path.Join(d.Name(), f)); err != nil {
				return nil, fmt.Errorf("locales: %w", err)
			}
		}
		l.files = &langFiles{fsys: fsys, dir: d.Name()}
		b.langs = append(b.langs, l)
		b.byTag[l.Tag] = l
	}
	b.fallback = b.byTag[Fallback]
	if b.fallback == nil {
		return nil, fmt.Errorf("locales: no %q directory: it is the language every other falls back to", Fallback)
	}
	for _, l := range b.langs {
		if l != b.fallback {
			l.fallback = b.fallback
		}
	}
	slices.SortFunc(b.langs, func(x, y *Lang) int {
		switch {
		case x == b.fallback:
			return -1
		case y == b.fallback:
			return 1
		}
		return strings.Compare(x.Tag, y.Tag)
	})
	tags := make([]language.Tag, len(b.langs))
	for i, l := range b.langs {
		tags[i] = language.MustParse(l.Tag)
	}
	b.matcher = sync.OnceValue(func() language.Matcher { return language.NewMatcher(tags) })
	b.letters = sync.OnceValue(b.indexLetters)
	return b, nil
}

// readContrasts reads the hand-written notes on pairs of codes people
// confuse, keyed by pairKey. The file is optional: a language without it
// shows none.
func readContrasts(fsys fs.FS, dir string) (map[string]string, error) {
	var notes map[string]string
	err := readJSON(fsys, path.Join(dir, "contrasts.json"), &notes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	contrasts := make(map[string]string, len(notes))
	for k, v := range notes {
		a, b, ok := strings.Cut(k, " vs ")
		if !ok {
			return nil, fmt.Errorf("locales: %s/contrasts.json: key %q is not of the form \"550 vs 554\"", dir, k)
		}
		key := pairKey(a, b)
		if _, dup := contrasts[key]; dup {
			// Which note wins would depend on the map's order.
			return nil, fmt.Errorf("locales: %s/contrasts.json: the pair %q is there twice (in either order); keep one note", dir, k)
		}
		contrasts[key] = v
	}
	return contrasts, nil
}

// pairKey is the same for a pair in either order.
func pairKey(a, b string) string {
	if a > b {
		a, b = b, a
	}
	return a + "|" + b
}

func readJSON(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("locales: %w", err)
	}
	if readFast(data, v) {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("locales: %s: %w", name, err)
	}
	return nil
}

// Languages returns every language, the fallback first.
func (b *Bundle) Languages() []*Lang { return b.langs }

// Fallback returns the fallback language, English.
func (b *Bundle) Fallback() *Lang { return b.fallback }

// Get returns the language with exactly this tag after matching, so "vi-VN"
// and "VI" find Vietnamese, and reports whether the bundle has it.
func (b *Bundle) Get(tag string) (*Lang, bool) {
	if tag = strings.TrimSpace(tag); tag == "" {
		return nil, false
	}
	if l, ok := b.byTag[tag]; ok {
		return l, true // what matching an exact tag finds
	}
	t, err := language.Parse(tag)
	if err != nil {
		return nil, false
	}
	_, i, conf := b.matcher().Match(t)
	if conf < language.High {
		return nil, false
	}
	return b.langs[i], true
}

// Match returns the best language for preferences given most important
// first, each a BCP 47 tag or an Accept-Language list ("vi-VN", "th",
// "fr-CA,en;q=0.8"). Empty preferences are skipped; when none matches, it
// returns the fallback.
func (b *Bundle) Match(prefs ...string) *Lang {
	for _, p := range prefs {
		if strings.TrimSpace(p) == "" {
			continue
		}
		tags, _, err := language.ParseAcceptLanguage(p)
		if err != nil || len(tags) == 0 {
			continue
		}
		_, i, conf := b.matcher().Match(tags...)
		if conf >= language.High {
			return b.langs[i]
		}
	}
	return b.fallback
}
