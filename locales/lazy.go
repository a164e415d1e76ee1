package locales

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sync"

	"github.com/smtpcodes/smtpbot/internal/jsonread"
)

// Texts are read when first needed: a run of the command line explains a
// code in one language, and decoding every language's files at start-up
// took most of its time. At load, only each language's name and distinctive
// letters are picked out of the top of its ui.json; its labels, code and
// provider texts are decoded on first use, once, whichever goroutine asks
// first, and the files of labels only as far as a key needs.

// lazyFile is one JSON file of one language, decoded on first use.
type lazyFile[T any] struct {
	once sync.Once
	data map[string]T
	err  error
}

// get decodes the file base in dir of fsys the first time and returns its
// map; after a decoding error it returns nil, so lookups fall back to
// English. The path is joined only when the file is read: every lookup of
// a code's texts comes through here.
func (f *lazyFile[T]) get(fsys fs.FS, dir, base string) map[string]T {
	return f.load(func(data *map[string]T) error { return readJSON(fsys, path.Join(dir, base), data) })
}

// load runs read the first time and returns the map it filled; after an
// error it returns nil.
func (f *lazyFile[T]) load(read func(*map[string]T) error) map[string]T {
	f.once.Do(func() {
		if f.err = read(&f.data); f.err != nil {
			f.data = nil
		}
	})
	return f.data
}

// langFiles are the files of one language that are read on first use.
type langFiles struct {
	fsys fs.FS
	dir  string
	// labels holds ui.json, reasons.json and diagnose.json, each read
	// when a key is not in the files before it: explaining a code needs
	// only ui.json. ui merges all three, for LoadAll and the tests.
	labels    [len(labelFiles)]lazyFile[string]
	ui        lazyFile[string]
	replies   lazyFile[CodeText]
	enhanced  lazyFile[CodeText]
	providers lazyFile[ProviderText]

	contrastsOnce sync.Once
	contrasts     map[string]string // by pairKey of the two codes
	contrastsErr  error
}

// contrasts returns the notes on pairs of codes, read on first use.
func (l *Lang) contrasts() map[string]string {
	f := l.files
	f.contrastsOnce.Do(func() { f.contrasts, f.contrastsErr = readContrasts(f.fsys, f.dir) })
	return f.contrasts
}

// labelFiles are the files of labels, in the order a key is looked for:
// reasons.json and diagnose.json keep the texts of bounce reasons and next
// steps, and of live DNS checks, apart from ui.json for translators, but
// they are looked up like any label. Only ui.json must exist.
var labelFiles = [...]string{"ui.json", "reasons.json", "diagnose.json"}

// label returns the label under key, reading the label files in turn until
// one has it. A file that does not parse holds no labels (LoadAll reports
// it).
func (l *Lang) label(key string) (string, bool) {
	for i := range labelFiles {
		if s, ok := l.labelFile(i)[key]; ok {
			return s, true
		}
	}
	return "", false
}

// labelFile returns the labels of labelFiles[i], read on first use.
func (l *Lang) labelFile(i int) map[string]string {
	f := l.files
	return f.labels[i].load(func(m *map[string]string) error {
		err := readJSON(f.fsys, path.Join(f.dir, labelFiles[i]), m)
		if i > 0 && errors.Is(err, fs.ErrNotExist) {
			*m = map[string]string{}
			return nil
		}
		return err
	})
}

// ui returns every label of the language: the label files merged. A key in
// two of them is an error, since which text shows would depend on the
// order of the files.
func (l *Lang) ui() map[string]string {
	f := l.files
	return f.ui.load(func(ui *map[string]string) error {
		merged := map[string]string{}
		for i, name := range labelFiles {
			labels := l.labelFile(i)
			if err := f.labels[i].err; err != nil {
				return err
			}
			for k, v := range labels {
				if _, dup := merged[k]; dup {
					return fmt.Errorf("locales: %s/%s: %s is also in another file of labels", f.dir, name, k)
				}
				merged[k] = v
			}
		}
		*ui = merged
		return nil
	})
}

func (l *Lang) replies() map[string]CodeText {
	return l.files.replies.get(l.files.fsys, l.files.dir, "replies.json")
}

func (l *Lang) enhanced() map[string]CodeText {
	return l.files.enhanced.get(l.files.fsys, l.files.dir, "enhanced.json")
}

func (l *Lang) providers() map[string]ProviderText {
	return l.files.providers.get(l.files.fsys, l.files.dir, "providers.json")
}

// codeTexts returns the map that holds key: enhanced codes are keyed
// "X.1.1", reply codes "550".
func (l *Lang) codeTexts(key string) map[string]CodeText {
	if len(key) > 0 && key[0] == 'X' {
		return l.enhanced()
	}
	return l.replies()
}

// LoadAll reads every file of every language now, and returns the first
// error. Tests call it to check every text; a server may call it at
// start-up to pay the decoding once, before the first request.
func (b *Bundle) LoadAll() error {
	for _, l := range b.langs {
		l.ui()
		l.replies()
		l.enhanced()
		l.providers()
		l.contrasts()
		for _, err := range []error{l.files.ui.err, l.files.replies.err, l.files.enhanced.err, l.files.providers.err, l.files.contrastsErr} {
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// topLevelString returns the string value of key in the JSON object data
// without decoding the rest, or "" when it is not there. It finds the key as
// a quoted name followed by a colon, which inside a string value would have
// its quotes escaped; a test checks it against a full decode of every
// ui.json. When data may be the start of a file, complete reports whether
// the answer holds whatever follows: false when the search ran into the
// end of data.
func topLevelString(data []byte, key string) (v string, complete bool) {
	needle := []byte(`"` + key + `"`)
	for off := 0; ; {
		i := bytes.Index(data[off:], needle)
		if i < 0 {
			return "", false
		}
		i += off
		off = i + len(needle)
		if i > 0 && data[i-1] == '\\' {
			continue
		}
		j := skipSpace(data, off)
		if j == len(data) {
			return "", false
		}
		if data[j] != ':' {
			continue
		}
		j = skipSpace(data, j+1)
		if j == len(data) {
			return "", false
		}
		if data[j] != '"' {
			return "", true
		}
		end := j + 1
		for end < len(data) && data[end] != '"' {
			if data[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(data) {
			return "", false
		}
		r := jsonread.NewReader(string(data[j : end+1]))
		if v = r.String(); r.End() == nil {
			return v, true
		}
		if json.Unmarshal(data[j:end+1], &v) != nil {
			return "", true
		}
		return v, true
	}
}

func skipSpace(data []byte, j int) int {
	for j < len(data) && (data[j] == ' ' || data[j] == '\t' || data[j] == '\n' || data[j] == '\r') {
		j++
	}
	return j
}

// headSize is how much of a ui.json LoadFS reads first: the language's
// name and letters are kept at its top.
const headSize = 2048

// nameAndLetters reads the language's name and distinctive letters from
// its ui.json at name: from the file's first headSize bytes when they are
// there, so that loading does not copy every language's labels, else from
// the whole file.
func nameAndLetters(fsys fs.FS, name string) (langName, letters string, err error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", "", err
	}
	head := make([]byte, headSize)
	n, err := io.ReadFull(f, head)
	f.Close()
	whole := err == io.EOF || err == io.ErrUnexpectedEOF
	if err != nil && !whole {
		return "", "", err
	}
	head = head[:n]
	langName, ok1 := topLevelString(head, "language.name")
	letters, ok2 := topLevelString(head, "language.letters")
	if whole || ok1 && ok2 {
		return langName, letters, nil
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return "", "", err
	}
	langName, _ = topLevelString(data, "language.name")
	letters, _ = topLevelString(data, "language.letters")
	return langName, letters, nil
}
