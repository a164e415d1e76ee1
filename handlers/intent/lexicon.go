package intent

import (
	"embed"
	"encoding/json"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed data/*.json
var dataFS embed.FS

// words is one language's words for the grammar, read from data/<tag>.json.
// Every phrase is matched folded (see fold), so "khác nhau" also finds
// "khac nhau", and Thai phrases are matched anywhere in a run of Thai.
type words struct {
	// Compare asks for a comparison wherever it stands: "difference",
	// "khác nhau", "ต่างกัน".
	Compare []string `json:"compare"`
	// Connect asks for a comparison only between two codes: "421 or 450".
	Connect []string `json:"connect"`
	// Greeting, Thanks and Help set the tone of a message with nothing to
	// look up.
	Greeting []string `json:"greeting"`
	Thanks   []string `json:"thanks"`
	Help     []string `json:"help"`
	// Search asks for codes by what they mean: "which code", "mã nào".
	Search []string `json:"search"`
	// Markers tell the language of a text typed without its marks
	// ("nghia la gi").
	Markers []string `json:"markers"`
	// Filler is what a question says around what it asks about: "what",
	// "does", "mean", "là", "gì", "หมายถึง".
	Filler []string `json:"filler"`
	// Synonyms map the words people use for a problem to the catalog
	// keys of the codes that report it, most fitting first.
	Synonyms map[string][]string `json:"synonyms"`
	// Languages map the names people give a language ("thai", "tiếng
	// việt", "ภาษาไทย") to its tag, and Switch is what they say around
	// such a name to ask for it ("switch to", "trả lời bằng", "เปลี่ยนเป็น").
	Languages map[string]string `json:"languages"`
	Switch    []string          `json:"switch"`
	// AskerStart are the words a person's sentence opens with and a
	// server's reply does not ("after", "when", "is"), and QuestionTail
	// what a question about a code ends with ("là sao", "what now"): the
	// words quoted after a code are the server's only without them (see
	// AfterCode).
	AskerStart   []string `json:"asker_start"`
	QuestionTail []string `json:"question_tail"`
	// AskerJoin are the words with which a person goes on after quoting
	// the server ("User unknown but the user exists"): the server's words
	// end before them.
	AskerJoin []string `json:"asker_join"`
}

// lexicon is the words of every language, folded.
type lexicon struct {
	tags []string
	lang map[string]*words
	// stop is every single-word Latin phrase that is not content,
	// multiStop every longer one by its first word, longest first, and
	// thaiStop every Thai one by its first letter, longest first.
	stop      map[string]bool
	multiStop map[string][][]string
	thaiStop  map[rune][]string
	synonyms  []synonym
	// markers is the Vietnamese markers, indexed for markerLanguage.
	markers markerIndex
	// languages and switchWords are every language's names and switch
	// words, folded, longest first (see LanguageSwitch).
	languages   []languageName
	switchWords []string
	// askerStart and questionTails are every language's AskerStart and
	// QuestionTail, folded; each tail as its words, longest first.
	askerStart    map[string]bool
	questionTails [][]string
	askerJoins    [][]string
}

type languageName struct{ name, tag string }

type synonym struct {
	phrase string
	tag    string
	keys   []string
}

// lex returns the words, loaded on first use: the files are embedded and
// small, but decoding them at package init cost a command-line run that
// never reads a question (smtpbot explain 550) about 4 ms.
var lex = sync.OnceValue(mustLoad)

func mustLoad() *lexicon {
	l, err := loadLexicon()
	if err != nil {
		panic("intent: " + err.Error())
	}
	return l
}

func loadLexicon() (*lexicon, error) {
	files, err := dataFS.ReadDir("data")
	if err != nil {
		return nil, err
	}
	l := &lexicon{lang: map[string]*words{}, stop: map[string]bool{}, multiStop: map[string][][]string{},
		thaiStop: map[rune][]string{}, askerStart: map[string]bool{}}
	for _, f := range files {
		data, err := dataFS.ReadFile(path.Join("data", f.Name()))
		if err != nil {
			return nil, err
		}
		var w words
		if err := json.Unmarshal(data, &w); err != nil {
			return nil, err
		}
		tag := strings.TrimSuffix(f.Name(), ".json")
		for _, list := range []*[]string{&w.Compare, &w.Connect, &w.Greeting, &w.Thanks, &w.Help, &w.Search, &w.Markers, &w.Filler, &w.Switch, &w.AskerStart, &w.QuestionTail, &w.AskerJoin} {
			for i, p := range *list {
				(*list)[i] = foldPhrase(p)
			}
		}
		for name, to := range w.Languages {
			l.languages = append(l.languages, languageName{name: foldPhrase(name), tag: to})
		}
		l.switchWords = append(l.switchWords, w.Switch...)
		for _, a := range w.AskerStart {
			l.askerStart[a] = true
		}
		for _, q := range w.QuestionTail {
			l.questionTails = append(l.questionTails, strings.Fields(q))
		}
		for _, j := range w.AskerJoin {
			l.askerJoins = append(l.askerJoins, strings.Fields(j))
		}
		for p, keys := range w.Synonyms {
			l.synonyms = append(l.synonyms, synonym{phrase: foldPhrase(p), tag: tag, keys: keys})
		}
		for _, list := range [][]string{w.Filler, w.Greeting, w.Thanks, w.Help, w.Search, w.Compare, w.Connect} {
			for _, p := range list {
				switch f := strings.Fields(p); {
				case hasThai(p):
					first, _ := utf8.DecodeRuneInString(p)
					l.thaiStop[first] = append(l.thaiStop[first], p)
				case len(f) > 1:
					l.multiStop[f[0]] = append(l.multiStop[f[0]], f)
				case len(f) == 1:
					l.stop[p] = true
				}
			}
		}
		l.tags = append(l.tags, tag)
		l.lang[tag] = &w
	}
	if vi := l.lang["vi"]; vi != nil {
		l.markers = newMarkerIndex(vi.Markers)
	}
	// Longest first, so "nghia la gi" goes before "la gi" and
	// "หมายถึงอะไร" before "หมายถึง".
	for first, ps := range l.thaiStop {
		slices.SortFunc(ps, func(a, b string) int { return len(b) - len(a) })
		l.thaiStop[first] = slices.Compact(ps)
	}
	for _, ps := range l.multiStop {
		slices.SortFunc(ps, func(a, b []string) int { return len(b) - len(a) })
	}
	slices.SortFunc(l.languages, func(a, b languageName) int { return len(b.name) - len(a.name) })
	slices.SortFunc(l.switchWords, func(a, b string) int { return len(b) - len(a) })
	slices.SortFunc(l.questionTails, func(a, b []string) int { return len(b) - len(a) })
	slices.SortFunc(l.synonyms, func(a, b synonym) int {
		if d := len(b.phrase) - len(a.phrase); d != 0 {
			return d
		}
		return strings.Compare(a.phrase, b.phrase)
	})
	return l, nil
}

// foldPhrase folds a phrase of the data files the way texts are folded.
func foldPhrase(p string) string { return strings.Join(strings.Fields(fold(p)), " ") }

// spaced is a folded text with its tokens separated by single spaces and a
// space at each end, so that " or " finds the word "or" only.
type spaced string

func newSpaced(clean string) spaced {
	if ascii(clean) {
		return newSpacedASCII(clean)
	}
	return spacedFolded(fold(clean))
}

// spacedFolded puts the words of a folded text one space apart, with a
// space at each end, in one pass.
func spacedFolded(f string) spaced {
	var b spacedBuilder
	b.start(len(f))
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
			c = ' '
		}
		b.add(c)
	}
	return b.done()
}

// newSpacedASCII is newSpaced for an ASCII text, folding as foldASCII does
// in the same pass rather than building the folded text first: most
// questions and pastes are ASCII, and Language reads every paste.
func newSpacedASCII(clean string) spaced {
	var b spacedBuilder
	b.start(len(clean))
	for i := 0; i < len(clean); i++ {
		if c, keep := foldASCIIByte(clean[i]); keep {
			b.add(c)
		}
	}
	return b.done()
}

// spacedBuilder writes a spaced text: a space first, then the bytes added,
// each run of spaces as one, and a space at the end. A strings.Builder
// hands over what it wrote without copying it into a string.
type spacedBuilder struct {
	b    strings.Builder
	last byte
}

// start makes room for n bytes and writes the first space.
func (sb *spacedBuilder) start(n int) {
	sb.b.Grow(n + 2)
	sb.b.WriteByte(' ')
	sb.last = ' '
}

func (sb *spacedBuilder) add(c byte) {
	if c != ' ' || sb.last != ' ' {
		sb.b.WriteByte(c)
		sb.last = c
	}
}

func (sb *spacedBuilder) done() spaced {
	if sb.last != ' ' {
		sb.b.WriteByte(' ')
	}
	return spaced(sb.b.String())
}

// has reports whether the folded phrase p is in s: as whole words for
// Latin phrases, anywhere for Thai, which has no spaces between words.
func (s spaced) has(p string) bool {
	if p == "" {
		return false
	}
	if hasThai(p) {
		return strings.Contains(string(s), p)
	}
	// As " "+p+" " without building that string: s starts and ends with a
	// space, so every occurrence has a byte on each side to check.
	for rest, off := string(s), 0; ; {
		i := strings.Index(rest[off:], p)
		if i < 0 {
			return false
		}
		i += off
		if i > 0 && rest[i-1] == ' ' && i+len(p) < len(rest) && rest[i+len(p)] == ' ' {
			return true
		}
		off = i + 1
	}
}

// any reports whether s has a phrase of list in any language.
func (s spaced) any(list func(*words) []string) bool {
	for _, tag := range lex().tags {
		for _, p := range list(lex().lang[tag]) {
			if s.has(p) {
				return true
			}
		}
	}
	return false
}

// content returns the words of s that are not filler, not greetings and
// not the grammar's own words: what a question is about. Digits-only
// tokens (codes, counts) are left out too.
func (s spaced) content() []string {
	tokens := strings.Fields(string(s))
	var out []string
	for i := 0; i < len(tokens); i++ {
		w := tokens[i]
		if hasThai(w) {
			for _, piece := range strings.Fields(cutThaiStops(w)) {
				if len([]rune(piece)) >= 2 {
					out = append(out, piece)
				}
			}
			continue
		}
		if n := lex().multiStopAt(tokens[i:]); n > 0 {
			i += n - 1
			continue
		}
		if lex().stop[w] || len(w) < 2 || strings.Trim(w, "0123456789") == "" {
			continue
		}
		out = append(out, w)
	}
	return out
}

// cutThaiStops blanks the stop phrases of Thai text, which has no spaces
// between words, reading left to right and taking the longest phrase that
// starts at each place: "สวัสดีครับ" is สวัสดี then ครับ, not สวัส and
// ดีครับ, whichever of two phrases of one length came first.
func cutThaiStops(w string) string {
	var b strings.Builder
	for i := 0; i < len(w); {
		r, size := utf8.DecodeRuneInString(w[i:])
		n := 0
		for _, p := range lex().thaiStop[r] { // longest first
			if strings.HasPrefix(w[i:], p) {
				n = len(p)
				break
			}
		}
		if n > 0 {
			b.WriteByte(' ')
			i += n
			continue
		}
		b.WriteString(w[i : i+size])
		i += size
	}
	return b.String()
}

// multiStopAt returns the length in tokens of the longest multi-word stop
// phrase at the start of tokens, or 0.
func (l *lexicon) multiStopAt(tokens []string) int {
	for _, p := range l.multiStop[tokens[0]] {
		if len(p) <= len(tokens) && slices.Equal(p, tokens[:len(p)]) {
			return len(p)
		}
	}
	return 0
}
