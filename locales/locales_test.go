package locales

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"golang.org/x/text/language"
)

func load(t *testing.T) *Bundle {
	t.Helper()
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	// Every language's texts, not only those a test happens to look up.
	if err := b.LoadAll(); err != nil {
		t.Fatal(err)
	}
	return b
}

// codes returns every code text of l, replies and enhanced codes together.
func codes(l *Lang) map[string]CodeText {
	all := maps.Clone(l.replies())
	maps.Copy(all, l.enhanced())
	return all
}

func TestMatch(t *testing.T) {
	b := load(t)
	tests := []struct {
		prefs []string
		want  string
	}{
		{[]string{"vi-VN"}, "vi"},
		{[]string{"vi"}, "vi"},
		{[]string{"th-TH"}, "th"},
		{[]string{"TH"}, "th"},
		{[]string{"en-GB"}, "en"},
		{[]string{"fr-FR"}, "en"},          // unknown: fallback
		{[]string{"", "th"}, "th"},         // empty preferences are skipped
		{[]string{"fr", "vi-VN"}, "vi"},    // the first preference that matches wins
		{[]string{"de-DE,th;q=0.8"}, "th"}, // an Accept-Language list
		{[]string{"not a tag!"}, "en"},
		{nil, "en"},
	}
	for _, tt := range tests {
		if got := b.Match(tt.prefs...).Tag; got != tt.want {
			t.Errorf("Match(%q) = %s, want %s", tt.prefs, got, tt.want)
		}
	}
	if l, ok := b.Get("vi-VN"); !ok || l.Tag != "vi" {
		t.Errorf("Get(vi-VN) = %v, %v", l, ok)
	}
	if _, ok := b.Get("fr"); ok {
		t.Error("Get(fr) found a language that is not there")
	}
	// Get finds a bundle's own tag without the matcher: the matcher must
	// agree.
	for _, l := range b.Languages() {
		_, i, conf := b.matcher().Match(language.MustParse(l.Tag))
		if got, ok := b.Get(l.Tag); !ok || got != l || b.Languages()[i] != l || conf < language.High {
			t.Errorf("Get(%s) = %v, %v; the matcher finds %s (%v)", l.Tag, got, ok, b.Languages()[i].Tag, conf)
		}
	}
	if b.Languages()[0].Tag != Fallback {
		t.Errorf("first language is %s, want %s", b.Languages()[0].Tag, Fallback)
	}
}

func TestFill(t *testing.T) {
	tests := []struct{ s, want string }{
		{"{a} vs {b}", "214 vs 556"},
		{"no blanks", "no blanks"},
		{"{unknown} stays", "{unknown} stays"},
		{"broken {a", "broken {a"},
		{"{a}{a}", "214214"},
	}
	for _, tt := range tests {
		if got := fill(tt.s, []string{"a", "214", "b", "556"}); got != tt.want {
			t.Errorf("fill(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestFallbackForMissingKey(t *testing.T) {
	fsys := fstest.MapFS{
		"en/ui.json":        {Data: []byte(`{"language.name":"English","greet":"Hello {name}"}`)},
		"en/replies.json":   {Data: []byte(`{"550":{"title":"Mailbox Unavailable"}}`)},
		"en/enhanced.json":  {Data: []byte(`{}`)},
		"en/providers.json": {Data: []byte(`{}`)},
		"fr/ui.json":        {Data: []byte(`{"language.name":"X"}`)},
		"fr/replies.json":   {Data: []byte(`{}`)},
		"fr/enhanced.json":  {Data: []byte(`{}`)},
		"fr/providers.json": {Data: []byte(`{}`)},
	}
	b, err := LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	xx, ok := b.Get("fr")
	if !ok {
		t.Fatal("a language added as a directory was not found")
	}
	if got := xx.T("greet", "name", "Ana"); got != "Hello Ana" {
		t.Errorf("missing key = %q, want the fallback's text", got)
	}
	if got := xx.T("nowhere"); got != "nowhere" {
		t.Errorf("unknown key = %q, want the key itself", got)
	}
	if c, ok := xx.Code("550"); !ok || c.Title != "Mailbox Unavailable" {
		t.Errorf("missing code = %+v, %v", c, ok)
	}
	delete(fsys, "en/ui.json")
	if _, err := LoadFS(fsys); err == nil {
		t.Error("a bundle without its fallback's files loaded")
	}
}

// sameEverywhere lists UI keys whose text may equal English in every
// language: formats made only of blanks, names and punctuation.
var sameEverywhere = map[string]bool{
	"ref.rfc":        true,
	"list.separator": true,
	// "." in English and Thai, "," in Vietnamese (9,5 MB).
	"number.decimal": true,
	// The industry's terms, which on-call engineers use untranslated; the
	// class label beside them already says "permanent" or "temporary" in
	// the language.
	"severity.hard": true,
	"severity.soft": true,
}

var blank = regexp.MustCompile(`\{[a-z_]+\}`)

func blanks(s string) []string {
	b := blank.FindAllString(s, -1)
	slices.Sort(b)
	return slices.Compact(b)
}

// TestComplete fails when any language lacks a text English has, has one
// English lacks, uses other blanks, or leaves English in place.
func TestComplete(t *testing.T) {
	b := load(t)
	en := b.Fallback()
	for _, l := range b.Languages()[1:] {
		t.Run(l.Tag, func(t *testing.T) {
			if l.Name == "" || l.Name == en.Name {
				t.Errorf("language.name is %q: name the language in itself", l.Name)
			}
			for _, k := range slices.Sorted(maps.Keys(en.ui())) {
				got, ok := l.ui()[k]
				switch {
				case !ok || strings.TrimSpace(got) == "" && k != "language.letters":
					t.Errorf("ui.json: %s is missing", k)
				case !slices.Equal(blanks(got), blanks(en.ui()[k])):
					t.Errorf("ui.json: %s uses blanks %v, English uses %v", k, blanks(got), blanks(en.ui()[k]))
				case got == en.ui()[k] && !sameEverywhere[k] && hasLetters(got):
					t.Errorf("ui.json: %s is still English: %q", k, got)
				}
			}
			for k := range l.ui() {
				if _, ok := en.ui()[k]; !ok {
					t.Errorf("ui.json: %s is not a key English has (misspelt?)", k)
				}
			}
			for _, k := range slices.Sorted(maps.Keys(codes(en))) {
				c, ok := codes(l)[k]
				if !ok {
					t.Errorf("code %s has no text", k)
					continue
				}
				got, want := codeFields(c), codeFields(codes(en)[k])
				for _, name := range slices.Sorted(maps.Keys(want)) {
					checkText(t, "code "+k+" "+name, got[name], want[name])
				}
				for name := range got {
					if _, ok := want[name]; !ok {
						t.Errorf("code %s has %s, which English has not: texts and steps must match the English one for one", k, name)
					}
				}
			}
			if len(en.contrasts()) == 0 {
				t.Error("English has no contrasts.json notes")
			}
			for _, k := range slices.Sorted(maps.Keys(en.contrasts())) {
				checkText(t, "contrast "+k, l.contrasts()[k], en.contrasts()[k])
			}
			for k := range l.contrasts() {
				if _, ok := en.contrasts()[k]; !ok {
					t.Errorf("contrasts.json: %s is not a pair English has", k)
				}
			}
			for _, k := range slices.Sorted(maps.Keys(en.providers())) {
				p, ok := l.providers()[k]
				if !ok {
					t.Errorf("provider text %s is missing", k)
					continue
				}
				e := en.providers()[k]
				checkText(t, "provider "+k+" meaning", p.Meaning, e.Meaning)
				checkText(t, "provider "+k+" fix", p.Fix, e.Fix)
				if strings.TrimSpace(p.Title) == "" {
					t.Errorf("provider %s title is missing", k)
				}
			}
		})
	}
}

// codeFields lists every text of a code by name: "meaning", "fix[1]",
// "classes.4.when".
func codeFields(c CodeText) map[string]string {
	out := map[string]string{}
	add := func(prefix string, c CodeText) {
		for name, s := range map[string]string{"title": c.Title, "meaning": c.Meaning, "when": c.When} {
			if s != "" {
				out[prefix+name] = s
			}
		}
		for i, s := range c.Fix {
			out[prefix+"fix["+strconv.Itoa(i)+"]"] = s
		}
	}
	add("", c)
	for class, cc := range c.Classes {
		add("classes."+class+".", cc)
	}
	return out
}

func checkText(t *testing.T, where, got, english string) {
	t.Helper()
	switch {
	case strings.TrimSpace(got) == "":
		t.Errorf("%s is missing", where)
	case got == english && hasLetters(got) && len(got) > 12:
		t.Errorf("%s is still English: %q", where, got)
	}
}

func hasLetters(s string) bool {
	return strings.IndexFunc(blank.ReplaceAllString(s, ""), unicode.IsLetter) >= 0
}

// TestNoDoubledWords catches "when when" and "the the" in languages that
// separate words with spaces.
func TestNoDoubledWords(t *testing.T) {
	b := load(t)
	for _, l := range b.Languages() {
		if l.Tag == "th" { // Thai writes words without spaces between them
			continue
		}
		check := func(where, s string) {
			if w := DoubledWord(l.Tag, s); w != "" {
				t.Errorf("%s %s: doubled word %q in %q", l.Tag, where, w, s)
			}
		}
		for k, v := range l.ui() {
			check(k, v)
		}
		for k, c := range codes(l) {
			for name, s := range codeFields(c) {
				check(k+" "+name, s)
			}
		}
		for k, p := range l.providers() {
			for _, s := range []string{p.Title, p.Meaning, p.Fix} {
				check(k, s)
			}
		}
	}
}

// TestThaiIsThai catches texts left in English in the Thai files.
func TestThaiIsThai(t *testing.T) {
	b := load(t)
	th, ok := b.Get("th")
	if !ok {
		t.Skip("no Thai")
	}
	thai := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Thai, r) })
	}
	for k, v := range th.ui() {
		if hasLetters(v) && !sameEverywhere[k] && !thai(v) {
			t.Errorf("ui %s has no Thai: %q", k, v)
		}
	}
	for k, c := range codes(th) {
		for _, s := range codeFields(c) {
			if !thai(s) {
				t.Errorf("code %s has a text with no Thai: %q", k, s)
			}
		}
	}
}

func TestDetect(t *testing.T) {
	b := load(t)
	tests := []struct{ text, want string }{
		{"550 5.1.1 user unknown", ""},
		{"Không gửi được email tới khách hàng, lỗi 550", "vi"},
		{"ส่งอีเมลไม่ได้ ได้รับ 550 5.1.1", "th"},
		{"Café José", ""}, // letters Vietnamese shares with French decide nothing
		{"ư", ""},         // one letter is not enough
	}
	for _, tt := range tests {
		got := ""
		if l := b.Detect(tt.text); l != nil {
			got = l.Tag
		}
		if got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestDoubledWord(t *testing.T) {
	tests := []struct{ s, want string }{
		{"when when you see it", "when"},
		{"The the end", "the"},
		{"đáng ngờ", ""},
		{"mailbox. Mailbox", ""},
		{"sign-in in a browser", "in"},
		{"ส่ง ส่ง", "ส่ง"},
		{"550 550", ""},
		{"kết nối song song", "song"}, // allowed in Vietnamese only
	}
	for _, tt := range tests {
		if got := DoubledWord("en", tt.s); got != tt.want {
			t.Errorf("DoubledWord(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

// TestReasonsFileMerged: reasons.json adds labels to ui.json's, and a key
// in both is an error rather than a silent override.
func TestReasonsFileMerged(t *testing.T) {
	fsys := fstest.MapFS{
		"en/ui.json":        {Data: []byte(`{"language.name":"English","a":"A"}`)},
		"en/reasons.json":   {Data: []byte(`{"reason.x.title":"X"}`)},
		"en/replies.json":   {Data: []byte(`{}`)},
		"en/enhanced.json":  {Data: []byte(`{}`)},
		"en/providers.json": {Data: []byte(`{}`)},
	}
	b, err := LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Fallback().T("reason.x.title"); got != "X" {
		t.Errorf("reason.x.title = %q, want X", got)
	}
	fsys["en/reasons.json"] = &fstest.MapFile{Data: []byte(`{"a":"again"}`)}
	b, err = LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.LoadAll(); err == nil {
		t.Error("a key in both ui.json and reasons.json was accepted")
	}
}

// TestContrastPairOnce: a pair listed twice, in either order, is refused,
// rather than one note winning by the map's order.
func TestContrastPairOnce(t *testing.T) {
	fsys := fstest.MapFS{"en/contrasts.json": {Data: []byte(`{"421 vs 554": "a", "554 vs 421": "b"}`)}}
	if _, err := readContrasts(fsys, "en"); err == nil {
		t.Error("a pair listed twice was accepted")
	}
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := b.LoadAll(); err != nil {
		t.Fatal(err)
	}
}
