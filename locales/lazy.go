package locales

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"path"
	"sync"
)

// Texts are read when first needed: a run of the command line explains a
// code in one language, and decoding every language's files at start-up
// took most of its time. At load, only each language's name and distinctive
// letters are picked out of its ui.json; its labels, code and provider texts
// are decoded on first use, once, whichever goroutine asks first.

// lazyFile is one JSON file of one language, decoded on first use.
type lazyFile[T any] struct {
	once sync.Once
	data map[string]T
	err  error
}

// get decodes the file at name in fsys the first time and returns its map;
// after a decoding error it returns nil, so lookups fall back to English.
func (f *lazyFile[T]) get(fsys fs.FS, name string) map[string]T {
	return f.load(func(data *map[string]T) error { return readJSON(fsys, name, data) })
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
	fsys      fs.FS
	dir       string
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

// ui returns the labels: ui.json, with reasons.json and diagnose.json
// merged in.
func (l *Lang) ui() map[string]string {
	f := l.files
	return f.ui.load(func(ui *map[string]string) error {
		if err := readJSON(f.fsys, path.Join(f.dir, "ui.json"), ui); err != nil {
			return err
		}
		if err := mergeUI(f.fsys, path.Join(f.dir, "reasons.json"), *ui); err != nil {
			return err
		}
		return mergeUI(f.fsys, path.Join(f.dir, "diagnose.json"), *ui)
	})
}

func (l *Lang) replies() map[string]CodeText {
	return l.files.replies.get(l.files.fsys, path.Join(l.files.dir, "replies.json"))
}

func (l *Lang) enhanced() map[string]CodeText {
	return l.files.enhanced.get(l.files.fsys, path.Join(l.files.dir, "enhanced.json"))
}

func (l *Lang) providers() map[string]ProviderText {
	return l.files.providers.get(l.files.fsys, path.Join(l.files.dir, "providers.json"))
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
// ui.json.
func topLevelString(data []byte, key string) string {
	needle := []byte(`"` + key + `"`)
	for off := 0; ; {
		i := bytes.Index(data[off:], needle)
		if i < 0 {
			return ""
		}
		i += off
		off = i + len(needle)
		if i > 0 && data[i-1] == '\\' {
			continue
		}
		j := off
		for j < len(data) && (data[j] == ' ' || data[j] == '\t' || data[j] == '\n' || data[j] == '\r') {
			j++
		}
		if j == len(data) || data[j] != ':' {
			continue
		}
		j++
		for j < len(data) && (data[j] == ' ' || data[j] == '\t' || data[j] == '\n' || data[j] == '\r') {
			j++
		}
		if j == len(data) || data[j] != '"' {
			return ""
		}
		end := j + 1
		for end < len(data) && data[end] != '"' {
			if data[end] == '\\' {
				end++
			}
			end++
		}
		var v string
		if end >= len(data) || json.Unmarshal(data[j:end+1], &v) != nil {
			return ""
		}
		return v
	}
}
